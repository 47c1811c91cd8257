package dev.persona.internal.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The default {@link SessionStore}: a bounded Caffeine cache with idle expiry. */
public final class InMemorySessionStore implements SessionStore {
  private final Cache<String, SessionState> cache;

  public InMemorySessionStore(long maxSessions, Duration idleTimeout, Clock clock) {
    if (maxSessions <= 0) {
      throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxSessions)
            .expireAfterAccess(idleTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .executor(Runnable::run)
            .build();
  }

  @Override
  public SessionState get(String sessionId) {
    return cache.getIfPresent(sessionId);
  }

  @Override
  public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
    return cache.asMap().compute(sessionId, (id, old) -> change.apply(old));
  }

  @Override
  public void remove(String sessionId) {
    cache.invalidate(sessionId);
  }

  /** Returns the approximate number of sessions held. */
  public long size() {
    return cache.estimatedSize();
  }

  /** Performs pending evictions now; for tests. */
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public String toString() {
    return "InMemorySessionStore{size=" + cache.estimatedSize() + "}";
  }

  /** Returns true: a call does not wait for anything but the cache. */
  @Override
  public boolean boundsCallTime() {
    return true;
  }
}
