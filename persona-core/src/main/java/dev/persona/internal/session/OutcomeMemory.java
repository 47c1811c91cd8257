package dev.persona.internal.session;

/**
 * What a session remembers so that outcomes can be credited to what the shopper saw: its {@link
 * Exposures} and its latest {@link Conversions}. One object for both, so that a state of a session
 * that has neither costs no more than one reference. Immutable, so shared between threads freely.
 */
final class OutcomeMemory {
  static final OutcomeMemory NONE = new OutcomeMemory(Exposures.NONE, Conversions.NONE);

  final Exposures exposures;
  final Conversions conversions;

  private OutcomeMemory(Exposures exposures, Conversions conversions) {
    this.exposures = exposures;
    this.conversions = conversions;
  }

  static OutcomeMemory of(Exposures exposures, Conversions conversions) {
    return exposures.size() == 0 && conversions.size() == 0
        ? NONE
        : new OutcomeMemory(exposures, conversions);
  }

  OutcomeMemory withExposures(Exposures next) {
    return of(next, conversions);
  }

  OutcomeMemory withConversions(Conversions next) {
    return of(exposures, next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutcomeMemory m
        && exposures.equals(m.exposures)
        && conversions.equals(m.conversions);
  }

  @Override
  public int hashCode() {
    return exposures.hashCode() * 31 + conversions.hashCode();
  }
}
