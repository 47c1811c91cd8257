package dev.persona.ruleset;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An experiment on a placement: visitors are split into arms, each showing one variant, by a stable
 * hash of the visitor and the experiment's id into 10,000 buckets. The same visitor (user id, else
 * session id) always lands in the same arm, on every instance and after restarts; changing the id
 * reshuffles everyone. Arms may cover less than 100% of traffic; visitors outside every arm are
 * personalized as usual. How the hash is made is the experiment's {@link Bucketing}: Persona's own
 * by default, or Optimizely's, so that an experiment moved from Optimizely keeps its visitors'
 * arms. A {@linkplain Sticky sticky} experiment also remembers each visitor's arm, so that the
 * visitor keeps it when the arms change or they sign in.
 *
 * <p>An experiment may have a {@linkplain #start() start} and an {@linkplain #end() end}: outside
 * them, by the engine's clock, its placement shows every visitor its default variant, assigns no
 * arm, and counts no outcome.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the experiment's id, which seeds the assignment
 * @param arms the arms, in bucket order
 * @param bucketing how visitors are hashed into buckets
 * @param sticky whether visitors keep the arm first seen, and whose wins on sign-in
 * @param start when the experiment starts, included; null for no start
 * @param end when the experiment ends, excluded; null for no end
 * @since 0.2.0
 */
public record Experiment(
    String id,
    List<Arm> arms,
    Bucketing bucketing,
    Sticky sticky,
    @Nullable Instant start,
    @Nullable Instant end) {

  /**
   * Checks the experiment.
   *
   * @throws IllegalArgumentException if the id is malformed, there are no arms, an arm repeats a
   *     variant, the shares add up to more than 100 percent, or the end is not after the start
   */
  public Experiment {
    Ids.check("experiment", id);
    Objects.requireNonNull(bucketing, "bucketing");
    Objects.requireNonNull(sticky, "sticky");
    arms = List.copyOf(arms);
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("experiment '" + id + "' needs at least one arm");
    }
    Set<String> seen = new HashSet<>();
    double total = 0;
    for (Arm a : arms) {
      if (!seen.add(a.variant())) {
        throw new IllegalArgumentException(
            "experiment '" + id + "': variant '" + a.variant() + "' has two arms");
      }
      total += a.percent();
    }
    if (total > 100 + 1e-9) {
      throw new IllegalArgumentException(
          "experiment '" + id + "': arms add up to " + total + " percent, more than 100");
    }
    if (start != null && end != null && !end.isAfter(start)) {
      throw new IllegalArgumentException(
          "experiment '" + id + "': its end " + end + " is not after its start " + start);
    }
  }

  /**
   * An experiment without a start or end.
   *
   * @param id the experiment's id
   * @param arms the arms, in bucket order
   * @param bucketing how visitors are hashed into buckets
   * @param sticky whether visitors keep the arm first seen, and whose wins on sign-in
   * @throws IllegalArgumentException as the canonical constructor
   * @since 0.4.0
   */
  public Experiment(String id, List<Arm> arms, Bucketing bucketing, Sticky sticky) {
    this(id, arms, bucketing, sticky, null, null);
  }

  /**
   * An experiment with the given arms, bucketed as Persona does by default, not sticky.
   *
   * @param id the experiment's id
   * @param arms the arms, in bucket order
   * @throws IllegalArgumentException as the canonical constructor
   */
  public Experiment(String id, List<Arm> arms) {
    this(id, arms, Bucketing.PERSONA, Sticky.OFF, null, null);
  }

  /**
   * Returns an experiment with the given arms, bucketed as Persona does by default.
   *
   * @param id the experiment's id
   * @param arms the arms
   * @return the experiment
   */
  public static Experiment of(String id, Arm... arms) {
    return new Experiment(id, List.of(arms));
  }

  /**
   * Returns this experiment with visitors hashed into buckets as {@code bucketing} says.
   *
   * @param bucketing how to hash visitors
   * @return the experiment
   * @since 0.4.0
   */
  public Experiment withBucketing(Bucketing bucketing) {
    return new Experiment(id, arms, bucketing, sticky, start, end);
  }

  /**
   * Returns this experiment with visitors keeping their arms as {@code sticky} says.
   *
   * @param sticky whether visitors keep the arm first seen, and whose wins on sign-in
   * @return the experiment
   * @since 0.4.0
   */
  public Experiment withSticky(Sticky sticky) {
    return new Experiment(id, arms, bucketing, sticky, start, end);
  }

  /**
   * Returns this experiment starting at {@code start}: before it, by the engine's clock, its
   * placement shows every visitor its default variant, assigns no arm and counts no outcome.
   *
   * @param start the first instant the experiment runs, or null for no start
   * @return the experiment
   * @throws IllegalArgumentException if the experiment has an end that is not after it
   * @since 0.5.0
   */
  public Experiment withStart(@Nullable Instant start) {
    return new Experiment(id, arms, bucketing, sticky, start, end);
  }

  /**
   * Returns this experiment ending at {@code end}: from it on, by the engine's clock, its placement
   * shows every visitor its default variant, assigns no arm and counts no outcome, also none of a
   * decision made before the end.
   *
   * @param end the first instant the experiment no longer runs, or null for no end
   * @return the experiment
   * @throws IllegalArgumentException if the experiment has a start that is not before it
   * @since 0.5.0
   */
  public Experiment withEnd(@Nullable Instant end) {
    return new Experiment(id, arms, bucketing, sticky, start, end);
  }

  /**
   * Returns whether the experiment runs at {@code epochMillis}: at or after its start, if it has
   * one, and before its end, if it has one.
   *
   * @param epochMillis milliseconds since the epoch
   * @return true if it runs then
   * @since 0.5.0
   */
  public boolean runsAt(long epochMillis) {
    Instant t = Instant.ofEpochMilli(epochMillis);
    return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
  }

  /**
   * Whether a visitor keeps the arm first seen, and whose arm wins on sign-in. A sticky experiment
   * remembers a visitor's arm in the session's state the first time the visitor is in one, so that
   * it is shared by every instance through the session store (such as Redis) like the rest of the
   * session, and the visitor keeps it when the arms' percentages change (a ramp from 10/10 to
   * 50/50) or arms are added, for as long as the session lives. A visitor outside every arm is not
   * remembered, so a ramp brings new visitors in; a visitor held out or forced for QA is not
   * either. An arm removed from the experiment releases its visitors to the hash; a new experiment
   * id starts afresh. A session remembers at most 32 arms, its first ones; the arms of sticky
   * experiments beyond them are hashed on each decision, as if not sticky. Without a session (no
   * consent), arms are hashed. Thread-safe: an enum.
   *
   * @since 0.4.0
   */
  public enum Sticky {
    /** Not sticky, the default: each decision hashes the visitor's id with the current arms. */
    OFF,
    /**
     * Sticky per session: the visitor keeps the arm they already have in this session, also when
     * they sign in (the visitor id switching from the session id to the user id): the anonymous arm
     * carries over to the user. Another session of the user starts from the user id's arm.
     */
    SESSION,
    /**
     * Sticky per visitor, the user's arm winning: a visitor keeps the arm the session has while
     * anonymous and, once signed in, the user's own arm: the one this session first gave the user,
     * else the user id's, which is the arm the user has in their other sessions and on other
     * devices (as long as the arms have not changed since).
     */
    USER
  }

  /**
   * How an experiment hashes a visitor into one of 10,000 buckets, of which its arms take
   * consecutive ranges in the order listed (an arm of {@code p} percent takes {@code 100 × p}
   * buckets). Both use MurmurHash3 x86_32 and read the hash as an unsigned number, times 10,000,
   * divided by 2^32; they differ in what is hashed. Thread-safe: an enum.
   *
   * @since 0.4.0
   */
  public enum Bucketing {
    /**
     * Persona's: {@code murmur3_x86_32(utf8(experimentId + ":" + visitorId), seed 0)}. The default;
     * an experiment's assignments never move between versions.
     */
    PERSONA,
    /**
     * Optimizely's, as its SDKs bucket a variation: {@code murmur3_x86_32(utf8(visitorId +
     * experimentId), seed 1)}. A visitor gets the same bucket as in Optimizely when the experiment
     * has Optimizely's experiment id (its numeric id, not its key) and the visit's user id is
     * Optimizely's bucketing id (its user id, unless the {@code $opt_bucketing_id} attribute set
     * another); with the arms in the order of Optimizely's traffic allocation, each of {@code (end
     * of range - previous end of range) / 100} percent, the same arm. Optimizely's mutually
     * exclusive groups are not reproduced.
     */
    OPTIMIZELY
  }

  /**
   * One arm: a variant and the percentage of visitors who see it.
   *
   * <p>Immutable and thread-safe.
   *
   * @param variant the variant's id
   * @param percent the share of visitors, more than 0 and at most 100, in steps of 0.01
   * @since 0.2.0
   */
  public record Arm(String variant, double percent) {

    /**
     * Checks the arm.
     *
     * @throws IllegalArgumentException if the percentage is out of range
     */
    public Arm {
      Objects.requireNonNull(variant, "variant");
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "arm '" + variant + "': percent must be more than 0 and at most 100, was " + percent);
      }
    }

    /**
     * Returns an arm.
     *
     * @param variant the variant's id
     * @param percent the share of visitors
     * @return the arm
     */
    public static Arm of(String variant, double percent) {
      return new Arm(variant, percent);
    }
  }
}
