package dev.persona.spi;

import dev.persona.Decision;
import dev.persona.Visit;
import org.jspecify.annotations.Nullable;

/**
 * Told of every decision, after it is made; for metrics, logging of exposures or auditing.
 *
 * <p>Each listener has a thread of its own and a bounded queue ({@code
 * ExtensionConfig.Builder.listenerQueueCapacity}, default 1,024 decisions): the request thread only
 * queues the decision, just before {@code decide} returns it, so a listener never delays {@code
 * decide}. A listener is told of decisions one at a time, in the order they were made (decisions of
 * parallel requests in the order they were queued). A listener that falls behind until its queue is
 * full misses the decisions that do not fit: they are dropped for it alone, counted in {@code
 * EngineStats.listenerDrops()} and logged at most once a minute. {@code PersonaEngine.close()} lets
 * each listener finish what is queued (waiting at most a second) and stops its thread; after it,
 * listeners are told of nothing.
 *
 * <p>A listener is called only from its own thread (a listener registered twice, from two), so it
 * needs no locking of its own state; anything it shares with other code must be thread-safe. A
 * listener that throws does not affect the decision or later calls: the failure is counted and
 * logged at most once a minute. The visit may be null, for {@code decide(null)}. Visits carry
 * personal data; a listener that logs must leave ids and values out.
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
  void onDecision(@Nullable Visit visit, Decision decision);
}
