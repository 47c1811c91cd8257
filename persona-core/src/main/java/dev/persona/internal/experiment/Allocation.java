package dev.persona.internal.experiment;

import dev.persona.ruleset.Experiment;
import java.util.Map;

/**
 * What one decision knows for choosing beyond the rule set: the visitor (user id, else session id)
 * that experiments hash, whether the visitor is in the personalization holdout, QA overrides and
 * the optimizer. One per decision; immutable.
 *
 * @param visitorId the id experiments hash
 * @param holdout whether the visitor is in the holdout
 * @param forced variant ids pinned by placement id for QA; empty when none or not allowed
 * @param optimizer the optimizer
 */
public record Allocation(
    String visitorId, boolean holdout, Map<String, String> forced, Optimizer optimizer) {

  /**
   * Returns the visitor's bucket, 0 to 9,999, in the experiment {@code experimentId}, hashed as
   * {@code bucketing} says.
   */
  public int bucket(String experimentId, Experiment.Bucketing bucketing) {
    return bucketing == Experiment.Bucketing.OPTIMIZELY
        ? Buckets.optimizely(visitorId, experimentId)
        : Buckets.bucket(experimentId, visitorId);
  }
}
