package dev.persona.internal.experiment;

import dev.persona.internal.session.Assignments;
import dev.persona.ruleset.Experiment;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one decision knows for choosing beyond the rule set: the visitor (user id, else session id)
 * that experiments hash, whether the visitor is in the personalization holdout, QA overrides, the
 * optimizer, the arms the session remembers for sticky experiments and the engine's time, which
 * says whether experiments with a start or end run. One per decision; immutable.
 *
 * @param visitorId the id experiments hash
 * @param signedIn whether the visitor id is a user id
 * @param holdout whether the visitor is in the holdout
 * @param forced variant ids pinned by placement id for QA; empty when none or not allowed
 * @param optimizer the optimizer
 * @param assigned the arms the session remembers for sticky experiments
 * @param holdoutShare the share of visitors in the holdout, exactly as its buckets make it
 * @param bot whether the request comes from a bot, whose choices are not counted
 * @param nowMillis the engine's clock at the decision
 * @param tracked whether the decision keeps the visit in its session's state
 */
public record Allocation(
    String visitorId,
    boolean signedIn,
    boolean holdout,
    Map<String, String> forced,
    Optimizer optimizer,
    Assignments assigned,
    double holdoutShare,
    boolean bot,
    long nowMillis,
    boolean tracked) {

  /**
   * Returns the visitor's bucket, 0 to 9,999, in the experiment {@code experimentId}, hashed as
   * {@code bucketing} says.
   */
  public int bucket(String experimentId, Experiment.Bucketing bucketing) {
    return bucketing == Experiment.Bucketing.OPTIMIZELY
        ? Buckets.optimizely(visitorId, experimentId)
        : Buckets.bucket(experimentId, visitorId);
  }

  /**
   * Returns the key a sticky experiment remembers the visitor's arm under: 0 for the session's arm,
   * which {@link Experiment.Sticky#SESSION} always uses; a key of the user id for the user's own
   * arm, which {@link Experiment.Sticky#USER} uses once signed in.
   */
  public long visitorKey(Experiment.Sticky sticky) {
    return sticky == Experiment.Sticky.USER && signedIn ? Buckets.userKey(visitorId) : 0;
  }

  /** Returns the variant the session remembers for the experiment, or null. */
  public @Nullable String remembered(
      String placementId, String experimentId, Experiment.Sticky sticky) {
    return assigned.size() == 0
        ? null
        : assigned.variant(placementId, experimentId, visitorKey(sticky));
  }

  /** Returns this allocation with the arms the session remembers; this one when it has none. */
  public Allocation withAssigned(Assignments remembered) {
    return remembered.size() == 0 && assigned.size() == 0
        ? this
        : new Allocation(
            visitorId,
            signedIn,
            holdout,
            forced,
            optimizer,
            remembered,
            holdoutShare,
            bot,
            nowMillis,
            tracked);
  }

  /** Returns this allocation for a decision that did not keep its visit after all. */
  public Allocation untracked() {
    return !tracked
        ? this
        : new Allocation(
            visitorId,
            signedIn,
            holdout,
            forced,
            optimizer,
            assigned,
            holdoutShare,
            bot,
            nowMillis,
            false);
  }
}
