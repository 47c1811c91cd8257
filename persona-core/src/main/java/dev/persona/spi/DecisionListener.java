package dev.persona.spi;

import dev.persona.Decision;
import dev.persona.Visit;

/**
 * Told of every decision, after it is made and before {@code decide} returns; for metrics, logging
 * of exposures or auditing. Runs on the request thread, so it should be quick.
 *
 * <p>Implementations must be thread-safe. A listener that throws does not affect the decision: the
 * failure is counted and logged at most once a minute. Visits carry personal data; a listener that
 * logs must leave ids and values out.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DecisionListener {

  /**
   * Receives one decision.
   *
   * @param visit the visit decided on
   * @param decision the decision returned for it
   */
  void onDecision(Visit visit, Decision decision);
}
