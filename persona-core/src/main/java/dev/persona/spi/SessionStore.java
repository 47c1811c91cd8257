package dev.persona.spi;

import dev.persona.internal.session.InMemorySessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Where the engine keeps {@link SessionState} between the requests of a session. The default keeps
 * sessions in memory ({@link #inMemory(long, Duration)}); a shared store lets several instances of
 * a storefront see the same session.
 *
 * <p>Implementations must be thread-safe: the engine calls them from every request thread, and
 * requests of one session may run in parallel. {@link #update} must be atomic per session, so that
 * parallel requests lose no events. A store that throws or fails costs the session its memory for
 * that request only: the engine still decides, flags the decision and counts the failure. A store
 * that knows the session locally while its backing storage fails throws a {@link
 * SessionStoreException} carrying that state, and the engine decides with it. A failure is anything
 * thrown but a JVM-fatal error: an {@link Error} such as an {@link AssertionError} or a {@link
 * LinkageError} counts as one, while a {@link VirtualMachineError} other than {@link
 * StackOverflowError} (such as {@link OutOfMemoryError}) and {@link ThreadDeath} are thrown on, out
 * of the engine's call. A store that stalls costs a decision at most the engine's extension
 * timeout, unless it {@linkplain #boundsCallTime() bounds its calls itself}.
 *
 * @since 0.1.0
 */
public interface SessionStore {

  /**
   * Returns the state of a session.
   *
   * @param sessionId the session id
   * @return the state, or null when the store holds none
   */
  @Nullable SessionState get(String sessionId);

  /**
   * Atomically replaces the state of a session with {@code change} applied to it, as {@link
   * java.util.concurrent.ConcurrentMap#compute} does. The function receives null when the store
   * holds no state; returning null removes the state. A store may call the function more than once
   * (for example, when a compare-and-set fails), so the engine's functions have no side effects.
   * They are also idempotent and commutative: a store may apply one again to the state it already
   * produced (it is then returned unchanged), or later, after other changes, on another instance (a
   * write retried after a timeout or an outage), and the session counts its events once. Some of
   * them are {@link Change}s, which a store that {@linkplain #tellsKept tells} calls back with the
   * state it kept.
   *
   * @param sessionId the session id
   * @param change computes the new state from the current one
   * @return the new state, or null if removed
   */
  @Nullable SessionState update(String sessionId, UnaryOperator<@Nullable SessionState> change);

  /**
   * Removes the state of a session, if any.
   *
   * @param sessionId the session id
   */
  void remove(String sessionId);

  /**
   * Records that a signed-in user's visit used this session, so that {@link #removeUser} finds the
   * session from any instance. Called on each visit that carries a user id; a store may skip calls
   * it has recorded lately. The default does nothing: the engine also remembers, per instance, the
   * sessions it served each user.
   *
   * @param userId the user id
   * @param sessionId the session id
   * @since 0.3.0
   */
  default void linkUser(String userId, String sessionId) {}

  /**
   * Erases the state of every session {@linkplain #linkUser linked} to the user, on every instance
   * that shares this store. The default erases nothing and returns 0.
   *
   * @param userId the user id
   * @return how many sessions were erased
   * @since 0.3.0
   */
  default int removeUser(String userId) {
    return 0;
  }

  /**
   * Returns whether every call of this store returns within a short, bounded time by itself, for
   * example because each of its commands has a timeout of a few milliseconds and it then throws.
   * The engine runs a custom store that does not on a small pool of threads, so that a stalled call
   * costs a decision at most {@code ExtensionConfig.Builder.callTimeout} (at the price of a thread
   * hop per call); a store that does is called on the request thread. False unless overridden.
   *
   * @return true if no call of this store can stall
   * @since 0.2.0
   */
  default boolean boundsCallTime() {
    return false;
  }

  /**
   * Returns whether this store calls {@link Change#kept} for every change whose application it
   * stored, as that method says. The engine then makes the attribution credits of purchases, adds
   * to cart and exposures from the states this store kept only; otherwise from the state {@link
   * #update} returns (or the fallback of its failure) and from every state a change makes when the
   * store applies it later or on another thread, some of which the store may not keep: a copy whose
   * compare-and-set then failed, which may hold what another instance erased. False unless
   * overridden.
   *
   * @return true if this store tells changes which of their applications it kept
   * @since 0.5.0
   */
  default boolean tellsKept() {
    return false;
  }

  /**
   * Returns a store that keeps at most {@code maxSessions} sessions in memory and forgets a session
   * idle for {@code idleTimeout}, evicting the least recently used first. Backed by Caffeine.
   *
   * @param maxSessions the most sessions kept, positive
   * @param idleTimeout how long an untouched session is kept, positive
   * @return the store
   * @throws IllegalArgumentException if a limit is not positive
   */
  static SessionStore inMemory(long maxSessions, Duration idleTimeout) {
    return new InMemorySessionStore(maxSessions, idleTimeout, Clock.systemUTC());
  }

  /**
   * Like {@link #inMemory(long, Duration)}, with idle time measured on {@code clock} (and on the
   * elapsed {@link System#nanoTime()} while {@code clock} is behind a time it read before); for
   * tests.
   *
   * @param maxSessions the most sessions kept, positive
   * @param idleTimeout how long an untouched session is kept, positive
   * @param clock the clock that measures idle time
   * @return the store
   * @throws IllegalArgumentException if a limit is not positive
   */
  static SessionStore inMemory(long maxSessions, Duration idleTimeout, Clock clock) {
    return new InMemorySessionStore(
        maxSessions, idleTimeout, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A change of a session's state that wants to learn which of its applications the store kept: a
   * store may apply a change several times (to a copy whose compare-and-set then fails, then to
   * what another instance wrote) and keep only one result. The engine's changes that make
   * attribution credits are such changes.
   *
   * <p>Implementations are the engine's, and are thread-safe: a store may call them from any
   * thread.
   *
   * @since 0.5.0
   */
  interface Change extends UnaryOperator<@Nullable SessionState> {

    /**
     * Called by a store that {@linkplain SessionStore#tellsKept tells kept}, once it knows that a
     * state holding this change's application is stored: with that state, as stored (with other
     * changes applied too, perhaps). Called for each write that stored the change, so at least once
     * for each change that lands, also when the store finds the change applied already (a write
     * whose answer was lost landed) and writes nothing: with the stored state that holds it. Never
     * with a state the store did not keep, and never for a change it dropped (made before an
     * erasure, or beyond its bounds). May be called during {@link SessionStore#update} or later, on
     * any thread. Quick and never throws. Does nothing unless overridden.
     *
     * @param state the state stored, which holds this change's application
     */
    default void kept(@Nullable SessionState state) {}

    /**
     * Returns the change to apply again later, if {@code stored}, a state the store kept, held this
     * change back for a denial of consent made before it: the shopper may have granted consent
     * again in between on another instance, whose write lands later. A store shared by instances
     * keeps the returned change for a while and applies it to the next states it writes of the
     * session, and to what it hears another instance wrote (calling this method again with each
     * state it keeps, and keeping the change while the answer is not null); the change lets itself
     * in only on a grant made between the denial and itself, once. Null when {@code stored} holds
     * this change's application or dropped it for good. Quick and never throws. Null unless
     * overridden.
     *
     * @param state the state stored
     * @return the change to keep and apply again, or null
     * @since 0.5.0
     */
    default @Nullable Change heldBack(@Nullable SessionState state) {
      return null;
    }
  }
}
