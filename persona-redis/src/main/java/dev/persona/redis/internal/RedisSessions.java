package dev.persona.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.redis.RedisUnavailableException;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Sessions on Redis behind a Caffeine near cache; the logic of {@code RedisSessionStore}.
 *
 * <p>The near cache holds, per session id, the key, the version token and the state this instance
 * last wrote or read. An update applies its change to that copy and sends it with a compare-and-set
 * ({@link SessionScript}); when another instance wrote in between, the script answers the current
 * state and the change is applied again to it, so no update is lost and a stale copy costs one more
 * round trip, never a wrong result. A read ({@code get}) answers from the near cache when its copy
 * was confirmed by Redis at most {@code maxStaleness} ago.
 *
 * <p>When Redis fails or does not answer within the timeout (all attempts together), the change is
 * applied to the local copy, which is kept (it is written with the next successful update if no
 * other instance wrote the session in between), and a {@link SessionStoreException} carries the
 * local copy as it was before this request. Thread-safe.
 */
public final class RedisSessions implements AutoCloseable {
  /** The scripts to load when connecting. */
  public static final List<Script> SCRIPTS = List.of(SessionScript.CAS);

  private static final int MAX_ATTEMPTS = 100;
  private static final byte[] EMPTY = new byte[0];

  private final RedisLink link;
  private final SessionKeys keys;
  private final Cache<String, Near> near;
  private final byte[] ttlMillis;
  private final long timeoutNanos;
  private final long maxStalenessNanos;
  private final FailureLog log;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder unreadable = new LongAdder();

  /**
   * Creates the sessions.
   *
   * @param link the connection
   * @param keys the session keys
   * @param ttl the idle expiry of a key
   * @param timeout the most one operation waits for Redis
   * @param nearCacheSize the most sessions kept locally; 0 for none
   * @param maxStaleness how old a local copy {@code get} may answer with
   */
  public RedisSessions(
      RedisLink link,
      SessionKeys keys,
      Duration ttl,
      Duration timeout,
      long nearCacheSize,
      Duration maxStaleness) {
    this.link = link;
    this.keys = keys;
    this.ttlMillis = ascii(Long.toString(ttl.toMillis()));
    this.timeoutNanos = timeout.toNanos();
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.log = new FailureLog("Redis session store", 60_000);
    this.near =
        Caffeine.newBuilder()
            .maximumSize(nearCacheSize)
            .expireAfterAccess(ttl.toNanos(), TimeUnit.NANOSECONDS)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Returns a session's state, from the near cache when fresh enough.
   *
   * @param sessionId the session id
   * @return the state, or null
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data
   */
  public @Nullable SessionState get(String sessionId) {
    long now = System.nanoTime();
    Near n = near.getIfPresent(sessionId);
    if (n != null && n.confirmed && now - n.confirmedNanos <= maxStalenessNanos) {
      hits.increment();
      return n.state;
    }
    misses.increment();
    byte[] key = n != null ? n.key : keys.of(sessionId);
    Current c;
    try {
      c = current(link.eval(SessionScript.CAS, key, now + timeoutNanos, SessionScript.READ));
    } catch (RedisUnavailableException e) {
      throw degraded(e, n);
    }
    log.success();
    SessionState state = c.state;
    if (n != null && !n.unreadable && Arrays.equals(n.token, c.token)) {
      state = n.state; // the same version, possibly with changes kept while Redis was away
    }
    near.put(sessionId, new Near(key, c.token, state, c.unreadable, true, System.nanoTime()));
    if (c.unreadable) {
      throw unreadable();
    }
    return state;
  }

  /**
   * Applies a change atomically, trying again on conflicts until the timeout.
   *
   * @param sessionId the session id
   * @param change the engine's pure change
   * @return the new state, or null if removed
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data,
   *     which the change then replaced
   */
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    long deadline = System.nanoTime() + timeoutNanos;
    Near n = near.getIfPresent(sessionId);
    byte[] key;
    Current base;
    if (n != null) {
      hits.increment();
      key = n.key;
      base = new Current(n.token, n.state, n.unreadable);
    } else {
      misses.increment();
      key = keys.of(sessionId);
      base = new Current(SessionScript.NONE, null, false);
    }
    try {
      for (int attempt = 1; ; attempt++) {
        SessionState next = change.apply(base.state);
        byte[] token = newToken();
        List<Object> answer =
            link.eval(
                SessionScript.CAS,
                key,
                deadline,
                base.token,
                token,
                next == null ? EMPTY : next.toBytes(),
                ttlMillis);
        if (written(answer)) {
          log.success();
          if (next == null) {
            near.invalidate(sessionId);
          } else {
            near.put(sessionId, new Near(key, token, next, false, true, System.nanoTime()));
          }
          if (base.unreadable) {
            throw unreadable();
          }
          return next;
        }
        conflicts.increment();
        if (attempt == MAX_ATTEMPTS) {
          throw new RedisUnavailableException(RedisUnavailableException.Kind.CONTENDED, null);
        }
        base = current(answer);
      }
    } catch (RedisUnavailableException e) {
      throw degraded(e, keepLocally(sessionId, key, change));
    }
  }

  /**
   * Applies the change to the local copy and keeps it, for the next requests while Redis is away.
   *
   * @return the local copy as it was before the change, or null
   */
  private Near keepLocally(String sessionId, byte[] key, UnaryOperator<SessionState> change) {
    Near[] before = new Near[1];
    near.asMap()
        .compute(
            sessionId,
            (id, old) -> {
              before[0] = old;
              SessionState base = old == null || old.unreadable ? null : old.state;
              SessionState next = change.apply(base);
              if (next == null) {
                return null;
              }
              return old == null
                  ? new Near(key, SessionScript.READ, next, false, false, 0)
                  : new Near(key, old.token, next, false, old.confirmed, old.confirmedNanos);
            });
    return before[0];
  }

  /**
   * Deletes a session's key and its local copy.
   *
   * @param sessionId the session id
   * @throws SessionStoreException if Redis failed; the local copy is gone all the same
   */
  public void remove(String sessionId) {
    Near n = near.asMap().remove(sessionId);
    byte[] key = n != null ? n.key : keys.of(sessionId);
    try {
      link.await(() -> link.commands().del(key), System.nanoTime() + timeoutNanos);
    } catch (RedisUnavailableException e) {
      throw degraded(e, null);
    }
    log.success();
  }

  private SessionStoreException degraded(RedisUnavailableException e, Near local) {
    if (e.kind() == RedisUnavailableException.Kind.TIMEOUT) {
      timeouts.increment();
    }
    log.failure(e);
    return new SessionStoreException(
        "Redis session store: " + e.getMessage(),
        e,
        local == null || local.unreadable ? null : local.state);
  }

  private SessionStoreException unreadable() {
    unreadable.increment();
    return new SessionStoreException(
        "Redis session store: the key held data that is not a session state; treated as empty",
        null,
        null);
  }

  private static boolean written(List<Object> answer) {
    return !answer.isEmpty() && answer.get(0) instanceof Long n && n == 1L;
  }

  private static Current current(List<Object> answer) {
    byte[] token =
        answer.size() > 1 && answer.get(1) instanceof byte[] b ? b : SessionScript.UNREADABLE;
    if (token.length == 0) {
      return new Current(token, null, false);
    }
    if (!Arrays.equals(token, SessionScript.UNREADABLE)
        && answer.size() > 2
        && answer.get(2) instanceof byte[] data) {
      try {
        return new Current(token, SessionState.fromBytes(data), false);
      } catch (RuntimeException e) {
        // Not a state this engine reads: garbage, a foreign value or a newer format.
      }
    }
    return new Current(token, null, true);
  }

  /** Returns a random version token: 16 hex digits, never one of the script's marks. */
  private static byte[] newToken() {
    return ascii(Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns counters: near-cache hits, misses, conflicts, timeouts, failures, unreadable. */
  public long[] counters() {
    return new long[] {
      hits.sum(), misses.sum(), conflicts.sum(), timeouts.sum(), log.failures(), unreadable.sum()
    };
  }

  /**
   * Returns the Redis key of a session.
   *
   * @param sessionId the session id
   * @return the key
   */
  public String key(String sessionId) {
    return new String(keys.of(sessionId), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    link.close();
  }

  /**
   * What the store knows of a session: the key, token and state, and whether and when Redis last
   * confirmed them.
   */
  // Never compared or hashed (tokens are compared with Arrays.equals); the arrays are never
  // changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Near(
      byte[] key,
      byte[] token,
      SessionState state,
      boolean unreadable,
      boolean confirmed,
      long confirmedNanos) {}

  /** The token and state a key held, or the state to build on. */
  // Never compared or hashed (tokens are compared with Arrays.equals); the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Current(byte[] token, SessionState state, boolean unreadable) {}
}
