package dev.persona.spi;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.Visit;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Told of every decision, after it is made, and of every outcome the engine counts; for metrics,
 * logging of exposures or auditing.
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
 * <p><b>Outcomes</b> ({@link #onOutcome}, since 0.5.0) come through the same queue and thread as
 * the decisions, in the order they were queued among them: those the caller records with {@code
 * PersonaEngine.recordOutcome} and the purchases and adds to cart the engine credits by itself to
 * an earlier exposure, from the session's {@code purchase} and {@code add_to_cart} events. A
 * listener is told of each outcome the engine counts, once: not of an outcome it ignores (not
 * {@linkplain Outcome#counted() counted}, or refused: an unknown placement, variant or persona, an
 * over-long id), and not again of one recorded or credited again with the same {@linkplain
 * Outcome#id() id}, placement and kind while this engine remembers it (the latest 16,384 for up to
 * an hour; an instance does not know what other instances sharing the statistics told their own
 * listeners). An outcome that finds the queue full is dropped for the listener and counted in
 * {@code EngineStats.listenerDrops()}, as decisions are. The default does nothing, so that a
 * listener written as a lambda of {@link #onDecision} is told of decisions alone.
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

  /**
   * Receives one outcome the engine counted; does nothing unless overridden.
   *
   * <p>An outcome the caller recorded is the one it gave. One the engine credited carries the
   * placement, variant, persona, basis, experiment and {@linkplain Outcome#decisionId() decision
   * id} of the exposure it was credited to (the decision id when that exposure was recorded from
   * the decision's choice, or given one), the session's id, a purchase's order value, and as its
   * {@linkplain Outcome#id() id} {@code "event:"} and 32 hex digits of a digest of the event's id
   * (its {@code order_id}, else its session, time, product and value): the same each time the same
   * event is credited, saying nothing of the order id, and counted as that order id is when the
   * outcome is recorded or logged again, so that it still counts once.
   *
   * @param outcome the outcome counted
   * @param at when it happened: the engine's clock when the caller recorded it; for a credit, the
   *     time of the event credited
   * @since 0.5.0
   */
  default void onOutcome(Outcome outcome, Instant at) {}
}
