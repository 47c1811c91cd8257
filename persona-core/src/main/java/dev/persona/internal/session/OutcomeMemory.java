package dev.persona.internal.session;

/**
 * What a session remembers for experiments: its {@link Exposures} and its latest {@link
 * Conversions}, so that outcomes can be credited to what the shopper saw, and the {@link
 * Assignments} of sticky experiments. One object for all three, so that a state of a session that
 * has none costs no more than one reference. Immutable, so shared between threads freely.
 */
final class OutcomeMemory {
  static final OutcomeMemory NONE =
      new OutcomeMemory(Exposures.NONE, Conversions.NONE, Assignments.NONE);

  final Exposures exposures;
  final Conversions conversions;
  final Assignments assignments;

  private OutcomeMemory(Exposures exposures, Conversions conversions, Assignments assignments) {
    this.exposures = exposures;
    this.conversions = conversions;
    this.assignments = assignments;
  }

  static OutcomeMemory of(Exposures exposures, Conversions conversions, Assignments assignments) {
    return exposures.size() == 0 && conversions.size() == 0 && assignments.size() == 0
        ? NONE
        : new OutcomeMemory(exposures, conversions, assignments);
  }

  OutcomeMemory withExposures(Exposures next) {
    return of(next, conversions, assignments);
  }

  OutcomeMemory withConversions(Conversions next) {
    return of(exposures, next, assignments);
  }

  /** Returns this memory with {@code added} merged into its assignments; this when unchanged. */
  @SuppressWarnings("ReferenceEquality") // merge returns its receiver when nothing changes
  OutcomeMemory withAssigned(Assignments added) {
    Assignments next = assignments.merge(added);
    return next == assignments ? this : of(exposures, conversions, next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutcomeMemory m
        && exposures.equals(m.exposures)
        && conversions.equals(m.conversions)
        && assignments.equals(m.assignments);
  }

  @Override
  public int hashCode() {
    return (exposures.hashCode() * 31 + conversions.hashCode()) * 31 + assignments.hashCode();
  }
}
