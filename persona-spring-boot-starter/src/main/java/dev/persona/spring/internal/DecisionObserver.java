package dev.persona.spring.internal;

import dev.persona.Decision;

/**
 * Told of every decision the filter makes, with the time it took: the meters' way in. Thread-safe
 * implementations only.
 */
public interface DecisionObserver {
  /** Does nothing. */
  DecisionObserver NONE = (decision, nanos) -> {};

  /**
   * Takes one decision.
   *
   * @param decision the decision
   * @param nanos how long {@code decide} took
   */
  void decided(Decision decision, long nanos);
}
