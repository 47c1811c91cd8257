package dev.persona.internal.rules;

/**
 * Scores and assigns by testing each rule's and assignment's {@link Predicate} tree: the slower
 * path a rule set takes when its bytecode could not be generated, and the oracle that tests check
 * the generated code against. Immutable and thread-safe.
 */
final class InterpretedScorer implements Scorer {
  private final CompiledRule[] rules;
  private final CompiledAssignment[] lifecycle;
  private final CompiledAssignment[] stages;

  /** Takes the arguments of {@link Scorer.Generator#generate}. */
  InterpretedScorer(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    this.rules = rules;
    this.lifecycle = lifecycle;
    this.stages = stages;
  }

  @Override
  public void score(SignalFrame f, double[] scores) {
    for (CompiledRule r : rules) {
      double scale = r.fire(f);
      if (scale != 0) {
        int[] persona = r.persona();
        double[] weight = r.weight();
        for (int i = 0; i < persona.length; i++) {
          scores[persona[i]] += weight[i] * scale;
        }
      }
    }
  }

  @Override
  public int lifecycle(SignalFrame f) {
    return first(lifecycle, f);
  }

  @Override
  public int stage(SignalFrame f) {
    return first(stages, f);
  }

  private static int first(CompiledAssignment[] assignments, SignalFrame f) {
    for (int i = 0; i < assignments.length; i++) {
      if (assignments[i].when().test(f)) {
        return i;
      }
    }
    return -1;
  }
}
