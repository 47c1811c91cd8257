package dev.persona.internal.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SessionStore}: a bounded Caffeine cache with idle expiry, of one small holder
 * per session whose state is replaced by compare-and-set. A request reads the holder quietly and
 * replaces its state without a lock or garbage; only a new session writes to the cache. The cache
 * is told of an access at most once per {@link #TOUCHES_PER_IDLE_TIMEOUT}th of the idle timeout per
 * session, which keeps a session in use from expiring while sparing every request the cache's
 * bookkeeping of reads (shared buffers that request threads would contend for); recency for
 * eviction is as precise as that. An update that races with the session's removal or eviction may
 * land in the removed holder and is then dropped, as if it had run just before the removal.
 *
 * <p>Idle time is measured on a {@link Timeline}: the clock's time, but never backwards, so that a
 * wall clock stepping back does not keep a session beyond its idle timeout in real time.
 */
public final class InMemorySessionStore implements SessionStore {
  /** How often per idle timeout a session in use tells the cache it was used, at most. */
  static final int TOUCHES_PER_IDLE_TIMEOUT = 8;

  private final Cache<String, Holder> cache;
  private final Policy<String, Holder> policy;
  private final Timeline time;
  private final long touchEveryMillis;

  /** A store whose idle time is measured on {@code clock} and on {@link System#nanoTime()}. */
  public InMemorySessionStore(long maxSessions, Duration idleTimeout, Clock clock) {
    this(maxSessions, idleTimeout, new Timeline(clock));
  }

  /** A store whose idle time is measured on {@code time}, such as its engine's. */
  public InMemorySessionStore(long maxSessions, Duration idleTimeout, Timeline time) {
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
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(time.millis()))
            .executor(Runnable::run)
            .build();
    this.policy = cache.policy();
    this.time = time;
    this.touchEveryMillis = Math.max(1, idleTimeout.toMillis() / TOUCHES_PER_IDLE_TIMEOUT);
  }

  /** Returns a session's holder, telling the cache of the access if it has not heard lately. */
  private Holder holder(String sessionId) {
    Holder h = policy.getIfPresentQuietly(sessionId);
    if (h != null) {
      long now = time.millis();
      if (now - h.touchedMillis >= touchEveryMillis) {
        h.touchedMillis = now;
        var unused = cache.getIfPresent(sessionId); // the read alone tells the cache of the access
      }
    }
    return h;
  }

  @Override
  public @Nullable SessionState get(String sessionId) {
    Holder h = holder(sessionId);
    return h == null ? null : h.state;
  }

  /**
   * Returns a session's state without telling the cache of an access, so that a look at the session
   * neither keeps it from expiring nor changes its recency for eviction.
   */
  public @Nullable SessionState peek(String sessionId) {
    Holder h = policy.getIfPresentQuietly(sessionId);
    return h == null ? null : h.state;
  }

  @Override
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    Holder h = holder(sessionId);
    if (h == null) {
      SessionState first = change.apply(null);
      if (first == null) {
        return null;
      }
      Holder fresh = new Holder(first, time.millis());
      h = cache.asMap().putIfAbsent(sessionId, fresh);
      if (h == null) {
        return first;
      }
    }
    for (; ; ) {
      SessionState old = h.state;
      SessionState next = change.apply(old);
      if (Holder.STATE.compareAndSet(h, old, next)) {
        if (next == null) {
          cache.asMap().remove(sessionId, h);
        }
        return next;
      }
    }
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

  /** One session's place in the cache. */
  private static final class Holder {
    static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Holder.class, "state", SessionState.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile SessionState state;

    /** When the cache was last told of an access; racy, which costs at most an extra touch. */
    long touchedMillis;

    Holder(SessionState state, long touchedMillis) {
      this.state = state;
      this.touchedMillis = touchedMillis;
    }
  }
}
