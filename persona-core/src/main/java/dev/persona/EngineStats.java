package dev.persona;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Counters of an engine since it was built, read with {@link PersonaEngine#stats()}. A final class
 * rather than a record, so that counters can be added without breaking callers; build one for a
 * test with {@link #builder()}.
 *
 * <p>Immutable and thread-safe: a snapshot.
 *
 * @since 0.1.0
 */
public final class EngineStats {
  private final long decisions;
  private final long defaultDecisions;
  private final long truncatedInputs;
  private final long rejectedInputs;
  private final long unknownEvents;
  private final long extractorFailures;
  private final long storeFailures;
  private final long listenerFailures;
  private final long outcomes;
  private final long attributedOutcomes;
  private final long refusedOutcomes;
  private final long unexposedChoices;
  private final long statsStoreFailures;
  private final long statsStoreTimeouts;
  private final long listenerDrops;
  private final long interpretedRuleSets;

  private EngineStats(Builder b) {
    this.decisions = b.decisions;
    this.defaultDecisions = b.defaultDecisions;
    this.truncatedInputs = b.truncatedInputs;
    this.rejectedInputs = b.rejectedInputs;
    this.unknownEvents = b.unknownEvents;
    this.extractorFailures = b.extractorFailures;
    this.storeFailures = b.storeFailures;
    this.listenerFailures = b.listenerFailures;
    this.outcomes = b.outcomes;
    this.attributedOutcomes = b.attributedOutcomes;
    this.refusedOutcomes = b.refusedOutcomes;
    this.unexposedChoices = b.unexposedChoices;
    this.statsStoreFailures = b.statsStoreFailures;
    this.statsStoreTimeouts = b.statsStoreTimeouts;
    this.listenerDrops = b.listenerDrops;
    this.interpretedRuleSets = b.interpretedRuleSets;
  }

  /**
   * Returns a builder with every counter at zero.
   *
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the number of decisions returned.
   *
   * @return a count since the engine was built
   */
  public long decisions() {
    return decisions;
  }

  /**
   * Returns the number of decisions that fell back to every placement's default (invalid visit or
   * internal error).
   *
   * @return a count since the engine was built
   */
  public long defaultDecisions() {
    return defaultDecisions;
  }

  /**
   * Returns the number of input values cut to a limit, or input dropped for exceeding one.
   *
   * @return a count since the engine was built
   */
  public long truncatedInputs() {
    return truncatedInputs;
  }

  /**
   * Returns the number of input values of the wrong type or otherwise unusable.
   *
   * @return a count since the engine was built
   */
  public long rejectedInputs() {
    return rejectedInputs;
  }

  /**
   * Returns the number of events of a type the engine does not know.
   *
   * @return a count since the engine was built
   */
  public long unknownEvents() {
    return unknownEvents;
  }

  /**
   * Returns the number of extractor calls that threw, or that timed out or were refused a thread
   * (see {@link dev.persona.config.ExtensionConfig.Builder#callTimeout}).
   *
   * @return a count since the engine was built
   */
  public long extractorFailures() {
    return extractorFailures;
  }

  /**
   * Returns the number of session store calls that threw, or that timed out or were refused a
   * thread: calls of the session store and, since 0.5.0, of the profile store ({@link
   * dev.persona.config.ProfileConfig}).
   *
   * @return a count since the engine was built
   */
  public long storeFailures() {
    return storeFailures;
  }

  /**
   * Returns the number of listener calls that threw.
   *
   * @return a count since the engine was built
   */
  public long listenerFailures() {
    return listenerFailures;
  }

  /**
   * Returns the number of outcomes recorded with {@link PersonaEngine#recordOutcome}, those
   * recorded again included (the statistics count them once).
   *
   * @return a count since the engine was built
   */
  public long outcomes() {
    return outcomes;
  }

  /**
   * Returns the number of purchases and adds to cart credited to earlier exposures automatically,
   * those of events sent again included (the statistics count them once).
   *
   * @return a count since the engine was built
   */
  public long attributedOutcomes() {
    return attributedOutcomes;
  }

  /**
   * Returns the number of outcomes {@link PersonaEngine#recordOutcome} refused, and of purchases
   * and adds to cart not credited automatically, because the rule set in use when they were
   * recorded has no such placement, no such variant in it, or no persona of the segment's id, or
   * because the placement's experiment was not running then (before its {@linkplain
   * dev.persona.ruleset.Experiment#start() start} or from its end). They are not stored.
   *
   * @return a count since the engine was built
   * @since 0.5.0
   */
  public long refusedOutcomes() {
    return refusedOutcomes;
  }

  /**
   * Returns the number of choices flagged {@link Decision.Flag#EXPOSURES_MISSING}: made by an
   * experiment's arm or an optimized placement that had chosen for 1,000 decisions on this engine,
   * or for its first 10 minutes before, without an exposure of it ever recorded here or showing in
   * the stats store's totals.
   *
   * @return a count since the engine was built
   * @since 0.5.0
   */
  public long unexposedChoices() {
    return unexposedChoices;
  }

  /**
   * Returns the number of increments the stats store did not apply and snapshots it did not give:
   * calls that threw, or that were refused a thread or timed out (snapshots; an increment that
   * timed out counts here only if it then throws: {@link #statsStoreTimeouts()}), and automatic
   * credits dropped because too many were waiting to be recorded.
   *
   * @return a count since the engine was built
   */
  public long statsStoreFailures() {
    return statsStoreFailures;
  }

  /**
   * Returns the number of calls of a custom stats store that took longer than {@link
   * dev.persona.config.ExtensionConfig.Builder#statsStoreTimeout the limit}: snapshots, also
   * counted in {@link #statsStoreFailures()}, and increments, which were left to finish and may
   * still be applied (once); those that then throw are counted in {@link #statsStoreFailures()}.
   *
   * @return a count since the engine was built
   * @since 0.5.0
   */
  public long statsStoreTimeouts() {
    return statsStoreTimeouts;
  }

  /**
   * Returns the number of decisions and outcomes not passed to a listener, because its queue was
   * full (see {@link dev.persona.config.ExtensionConfig.Builder#listenerQueueCapacity}) or the
   * engine was closed.
   *
   * @return a count since the engine was built
   */
  public long listenerDrops() {
    return listenerDrops;
  }

  /**
   * Returns the number of rule sets, of the one the engine was built with and those reloaded since,
   * whose scorer could not be generated as bytecode, so that they score on the slower interpreted
   * path (each is also logged once, on the logger {@code dev.persona.rules}); 0 unless a bug or the
   * JVM prevents generation.
   *
   * @return a count since the engine was built
   * @since 0.3.0
   */
  public long interpretedRuleSets() {
    return interpretedRuleSets;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EngineStats s && Arrays.equals(values(), s.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  private long[] values() {
    return new long[] {
      decisions,
      defaultDecisions,
      truncatedInputs,
      rejectedInputs,
      unknownEvents,
      extractorFailures,
      storeFailures,
      listenerFailures,
      outcomes,
      attributedOutcomes,
      refusedOutcomes,
      unexposedChoices,
      statsStoreFailures,
      statsStoreTimeouts,
      listenerDrops,
      interpretedRuleSets
    };
  }

  @Override
  public String toString() {
    return "EngineStats{"
        + "decisions="
        + decisions
        + ", defaultDecisions="
        + defaultDecisions
        + ", truncatedInputs="
        + truncatedInputs
        + ", rejectedInputs="
        + rejectedInputs
        + ", unknownEvents="
        + unknownEvents
        + ", extractorFailures="
        + extractorFailures
        + ", storeFailures="
        + storeFailures
        + ", listenerFailures="
        + listenerFailures
        + ", outcomes="
        + outcomes
        + ", attributedOutcomes="
        + attributedOutcomes
        + ", refusedOutcomes="
        + refusedOutcomes
        + ", unexposedChoices="
        + unexposedChoices
        + ", statsStoreFailures="
        + statsStoreFailures
        + ", statsStoreTimeouts="
        + statsStoreTimeouts
        + ", listenerDrops="
        + listenerDrops
        + ", interpretedRuleSets="
        + interpretedRuleSets
        + "}";
  }

  /**
   * Builds {@link EngineStats}, for the engine and for tests of code that reads them. Not
   * thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private long decisions;
    private long defaultDecisions;
    private long truncatedInputs;
    private long rejectedInputs;
    private long unknownEvents;
    private long extractorFailures;
    private long storeFailures;
    private long listenerFailures;
    private long outcomes;
    private long attributedOutcomes;
    private long refusedOutcomes;
    private long unexposedChoices;
    private long statsStoreFailures;
    private long statsStoreTimeouts;
    private long listenerDrops;
    private long interpretedRuleSets;

    private Builder() {}

    /** Sets {@link EngineStats#decisions()}; returns this builder. */
    public Builder decisions(long count) {
      this.decisions = count;
      return this;
    }

    /** Sets {@link EngineStats#defaultDecisions()}; returns this builder. */
    public Builder defaultDecisions(long count) {
      this.defaultDecisions = count;
      return this;
    }

    /** Sets {@link EngineStats#truncatedInputs()}; returns this builder. */
    public Builder truncatedInputs(long count) {
      this.truncatedInputs = count;
      return this;
    }

    /** Sets {@link EngineStats#rejectedInputs()}; returns this builder. */
    public Builder rejectedInputs(long count) {
      this.rejectedInputs = count;
      return this;
    }

    /** Sets {@link EngineStats#unknownEvents()}; returns this builder. */
    public Builder unknownEvents(long count) {
      this.unknownEvents = count;
      return this;
    }

    /**
     * Sets the number of extractor calls that threw, or that timed out or were refused a thread
     * (see {@link dev.persona.config.ExtensionConfig.Builder#callTimeout}).
     *
     * @param count the count
     * @return this builder
     */
    public Builder extractorFailures(long count) {
      this.extractorFailures = count;
      return this;
    }

    /** Sets {@link EngineStats#storeFailures()}; returns this builder. */
    public Builder storeFailures(long count) {
      this.storeFailures = count;
      return this;
    }

    /** Sets {@link EngineStats#listenerFailures()}; returns this builder. */
    public Builder listenerFailures(long count) {
      this.listenerFailures = count;
      return this;
    }

    /**
     * Sets the number of outcomes recorded with {@link PersonaEngine#recordOutcome}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder outcomes(long count) {
      this.outcomes = count;
      return this;
    }

    /** Sets {@link EngineStats#attributedOutcomes()}; returns this builder. */
    public Builder attributedOutcomes(long count) {
      this.attributedOutcomes = count;
      return this;
    }

    /** Sets {@link EngineStats#refusedOutcomes()}; returns this builder. */
    public Builder refusedOutcomes(long count) {
      this.refusedOutcomes = count;
      return this;
    }

    /** Sets {@link EngineStats#unexposedChoices()}; returns this builder. */
    public Builder unexposedChoices(long count) {
      this.unexposedChoices = count;
      return this;
    }

    /** Sets {@link EngineStats#statsStoreFailures()}; returns this builder. */
    public Builder statsStoreFailures(long count) {
      this.statsStoreFailures = count;
      return this;
    }

    /** Sets {@link EngineStats#statsStoreTimeouts()}; returns this builder. */
    public Builder statsStoreTimeouts(long count) {
      this.statsStoreTimeouts = count;
      return this;
    }

    /**
     * Sets the number of decisions not passed to a listener, because its queue was full (see {@link
     * dev.persona.config.ExtensionConfig.Builder#listenerQueueCapacity}) or the engine was closed.
     *
     * @param count the count
     * @return this builder
     */
    public Builder listenerDrops(long count) {
      this.listenerDrops = count;
      return this;
    }

    /**
     * Sets the number of rule sets, of the one the engine was built with and those reloaded since,
     * whose scorer could not be generated as bytecode, so that they score on the slower interpreted
     * path (each is also logged once, on the logger {@code dev.persona.rules}); 0 unless a bug or
     * the JVM prevents generation.
     *
     * @param count the count
     * @return this builder
     */
    public Builder interpretedRuleSets(long count) {
      this.interpretedRuleSets = count;
      return this;
    }

    /**
     * Builds the snapshot.
     *
     * @return the counters
     */
    public EngineStats build() {
      return new EngineStats(this);
    }
  }
}
