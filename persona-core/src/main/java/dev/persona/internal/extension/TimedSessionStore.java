package dev.persona.internal.extension;

import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A custom session store whose every call runs through {@link TimedCalls}: a call that times out or
 * is refused throws {@link TimedCalls.CallFailed}, which costs the decision the stored state as any
 * other store failure does. What the store throws comes through unchanged, so that a {@link
 * dev.persona.spi.SessionStoreException} still carries its fallback. An update that timed out may
 * still complete later, with the engine's pure function. Thread-safe if the store is.
 */
public final class TimedSessionStore implements SessionStore {
  private final SessionStore store;
  private final TimedCalls calls;

  public TimedSessionStore(SessionStore store, TimedCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  @Override
  public @Nullable SessionState get(String sessionId) {
    return calls.call(() -> store.get(sessionId));
  }

  @Override
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    return calls.call(() -> store.update(sessionId, change));
  }

  @Override
  public void remove(String sessionId) {
    calls.call(
        () -> {
          store.remove(sessionId);
          return null;
        });
  }

  @Override
  public void linkUser(String userId, String sessionId) {
    calls.call(
        () -> {
          store.linkUser(userId, sessionId);
          return null;
        });
  }

  @Override
  public int removeUser(String userId) {
    return calls.call(() -> store.removeUser(userId));
  }

  @Override
  public boolean boundsCallTime() {
    return true;
  }

  @Override
  public boolean tellsKept() {
    return store.tellsKept();
  }
}
