package dev.persona.internal.experiment;

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

  /** Returns the visitor's bucket, 0 to 9,999, in the experiment {@code experimentId}. */
  public int bucket(String experimentId) {
    return Buckets.bucket(experimentId, visitorId);
  }
}
