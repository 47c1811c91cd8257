package dev.persona.spi;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link SessionStore} that could not serve a session from its backing storage (it was
 * unreachable, too slow, or held data the store could not read) but offers what it knows locally
 * instead: the {@linkplain #fallback() last state it saw}, possibly stale, or none.
 *
 * <p>The engine then decides with the fallback in place of the stored state, applies the request's
 * behaviour to it for this decision only, flags the decision {@link
 * dev.persona.Decision.Flag#STORE_DEGRADED} and counts the failure; it does not retry. Any other
 * exception from a store costs the session its stored state for that request ({@link
 * dev.persona.Decision.Flag#STORE_FAILED}).
 *
 * <p>The message must not contain session or user ids: the engine may log the exception. Immutable
 * and thread-safe, provided the fallback is.
 *
 * @since 0.2.0
 */
public final class SessionStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Not serialized: a fallback belongs to the process that knew it. */
  private final transient @Nullable SessionState fallback;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, without ids
   * @param cause the underlying failure, or null
   * @param fallback the last state the store knows locally for the session, or null for none
   */
  public SessionStoreException(
      String message, @Nullable Throwable cause, @Nullable SessionState fallback) {
    super(message, cause);
    this.fallback = fallback;
  }

  /**
   * Returns the state to use in place of the stored one: the last state the store knows locally for
   * the session, which may be stale.
   *
   * @return the fallback state, or null when the store knows none
   */
  public @Nullable SessionState fallback() {
    return fallback;
  }
}
