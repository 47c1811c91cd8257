package dev.persona.internal.rules;

/**
 * Scores a rule set's personas and picks its lifecycle and stage for one frame: the class {@link
 * RuleCode} generates, or {@link InterpretedScorer} when that could not be made. Both take the
 * rules in the order given when made and give exactly the same answers. Implementations are
 * immutable and thread-safe.
 */
interface Scorer {
  /** The name of {@link #score}, which generated classes implement by name. */
  String SCORE = "score";

  /** The name of {@link #lifecycle}, which generated classes implement by name. */
  String LIFECYCLE = "lifecycle";

  /** The name of {@link #stage}, which generated classes implement by name. */
  String STAGE = "stage";

  /**
   * Adds what each firing rule adds to {@code scores}, in rule order, as {@link CompiledRule#fire}
   * defines it: {@code weight} times the scale; nothing when the scale is 0.
   */
  void score(SignalFrame f, double[] scores);

  /** Returns the index of the first lifecycle assignment that holds, or -1. */
  int lifecycle(SignalFrame f);

  /** Returns the index of the first stage assignment that holds, or -1. */
  int stage(SignalFrame f);

  /** Makes the scorer of rules and assignments; throws when it cannot. */
  @FunctionalInterface
  interface Generator {
    /**
     * Returns the scorer of these rules and assignments.
     *
     * @param rules the rules in scoring order
     * @param lifecycle the lifecycle assignments, sorted by priority
     * @param stages the stage assignments, sorted by priority
     */
    Scorer generate(
        CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages)
        throws Throwable;
  }
}
