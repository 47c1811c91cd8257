package dev.persona.redis;

import dev.persona.redis.internal.Check;
import dev.persona.redis.internal.RedisLink;
import dev.persona.redis.internal.RedisSessions;
import dev.persona.redis.internal.SessionKeys;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} on Redis, so that every instance of a storefront sees the same session,
 * with a near cache in front so that a hot session costs one round trip per request and a read
 * costs none.
 *
 * <pre>{@code
 * RedisSessionStore sessions = RedisSessionStore.builder("redis://cache.internal:6379")
 *     .sessionTtl(Duration.ofMinutes(30))          // = the engine's idle timeout
 *     .build();
 * PersonaEngine engine = PersonaEngine.builder()
 *     .ruleSet(rules)
 *     .sessions(SessionConfig.store(sessions).idleTimeout(Duration.ofMinutes(30)).build())
 *     .build();
 * // at shutdown: sessions.close();
 * }</pre>
 *
 * <p><b>Keys.</b> One key per session: the {@linkplain Builder#keyPrefix prefix}, {@code "s:"} and
 * the first 128 bits of SHA-256 of the session id in hex (HMAC-SHA256 with a {@linkplain
 * Builder#keySecret secret}, if set), in braces: {@code persona:s:{<32 hex digits>}}. The braces
 * make the hash a hash tag, so that on a {@linkplain Builder#cluster Redis Cluster} every key of a
 * session lies in one slot. Raw ids never reach Redis. The key is a hash of a random version token
 * and the state's {@linkplain SessionState#toBytes() versioned bytes}, and expires after
 * {@linkplain Builder#sessionTtl the session TTL} without writes.
 *
 * <p><b>Updates</b> are a compare-and-set on the token, in a Lua script: the change is applied to
 * the copy this instance last saw and written only if no other instance wrote in between; otherwise
 * it is applied again to the current state. Parallel requests of one session on any number of
 * instances lose no event. Each update costs one round trip when this instance's copy is current,
 * two when another instance wrote the session since. The engine's changes are idempotent and
 * commutative (each carries an id the state remembers), so a change written late, out of order or
 * twice counts once.
 *
 * <p><b>Near cache and staleness.</b> Each instance keeps up to {@linkplain Builder#nearCacheSize a
 * bounded number} of sessions locally. Updates always check the copy against Redis, so they never
 * build on stale state. Redis reports to each instance the session keys other instances change
 * ({@code CLIENT TRACKING}, on the server or on every master of a cluster): {@link #get} answers
 * from a local copy no one changed since it was read, without a round trip, however old. While
 * Redis does not report (before it confirmed, after a connection was lost, until it confirms
 * again), {@code get} answers from the local copy when Redis confirmed it at most {@linkplain
 * Builder#maxStaleness maxStaleness} ago (default 1 s): only then may it miss a write or a {@link
 * #remove} made by another instance, for at most that long. The engine reads with {@code get} only
 * for bots and, with {@code requireConsent}, to look for consent given earlier.
 *
 * <p><b>Faults cost freshness, not data.</b> Every call waits for Redis at most {@linkplain
 * Builder#commandTimeout the command timeout} (default 50 ms), all attempts together. When Redis
 * fails, is too slow or is down, the call throws a {@link SessionStoreException} carrying the local
 * copy, which the engine decides with, flagging the decision {@code STORE_DEGRADED}; the request's
 * change waits in this instance's queue and one background thread writes it, with backoff from 10
 * ms to 1 s, as soon as Redis answers, at once when the connection comes back (the next request of
 * the session on this instance writes it too). The queue holds at most {@linkplain
 * Builder#maxPendingChanges maxPendingChanges} changes (default 100,000); a change beyond it is
 * dropped, counted ({@link Stats#dropped()}) and logged at ERROR at most once a minute. {@link
 * #close()} writes what waits for at most two seconds. Failures are counted ({@link #stats()}) and
 * logged at most once a minute on the logger {@code dev.persona.redis}, without ids; the store
 * reconnects by itself. A key holding anything but a state this engine reads (garbage, another
 * type, a newer format) is treated as an empty session, flagged the same way, and replaced by the
 * next write.
 *
 * <p><b>Redis that lost its data.</b> When a key this instance wrote within the TTL is gone (Redis
 * restarted without persistence), the next write of the session writes back the state this instance
 * last wrote, with the changes since; counted in {@link Stats#restored()}. Changes another instance
 * wrote after that are lost unless it writes the session back first; run Redis with AOF ({@code
 * appendonly yes}) so that a restart loses nothing.
 *
 * <p><b>Erasure.</b> {@link #remove} and {@link #removeUser} leave a tombstone: the key keeps a new
 * token and the time of the erasure, without the state, until it expires. Every instance's next
 * write of the session then finds it, does not write its copy back, and drops changes made before
 * the erasure: by the time, to the microsecond, at which the instance that made each received it
 * (instances' clocks must agree to within the time between two requests of a shopper). When Redis
 * fails, the erasure waits in the queue like a change and is written first; meanwhile this instance
 * uses no state of the session.
 *
 * <p>Thread-safe: one store serves every request thread of an instance. Close it at shutdown.
 *
 * @since 0.2.0
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
  private final RedisSessions sessions;

  private RedisSessionStore(RedisSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * Starts a builder for a store on the given Redis server.
   *
   * @param redisUri a Lettuce Redis URI, such as {@code redis://host:6379/0}, {@code
   *     redis://:password@host:6379} or {@code rediss://host:6380} for TLS
   * @return the builder
   * @throws IllegalArgumentException if it is not a Redis URI (the message does not echo it)
   */
  public static Builder builder(String redisUri) {
    return new Builder(RedisLink.parse(Objects.requireNonNull(redisUri, "redisUri")));
  }

  /**
   * {@inheritDoc}
   *
   * @throws SessionStoreException if Redis failed or did not answer in time, with the local copy;
   *     or if the key held data that is not a session state, with no fallback
   */
  @Override
  public @Nullable SessionState get(String sessionId) {
    return sessions.get(Objects.requireNonNull(sessionId, "sessionId"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws SessionStoreException if Redis failed or did not answer in time, with the local copy as
   *     it was before this change; or after replacing data that was not a session state, with no
   *     fallback
   */
  @Override
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    return sessions.update(
        Objects.requireNonNull(sessionId, "sessionId"), Objects.requireNonNull(change, "change"));
  }

  /**
   * Erases the session: replaces its state in Redis with a tombstone and drops this instance's copy
   * and its changes waiting. Copies other instances hold are no longer used by updates, and by
   * reads after at most {@code maxStaleness}. Waits for Redis up to 1 s; when Redis still fails,
   * returns all the same: the erasure waits in the queue, is written before anything else of the
   * session, and until then this instance uses none of its state.
   */
  @Override
  public void remove(String sessionId) {
    sessions.remove(Objects.requireNonNull(sessionId, "sessionId"));
  }

  /**
   * Adds the session to the user's set in Redis (the user id hashed like session ids), so that
   * {@link #removeUser} finds it from any instance; at most once per quarter of the TTL per session
   * this instance holds. The set expires with the TTL after its last addition and keeps at most
   * 1,024 sessions. Waits for Redis up to 1 s, as an erasure does (or the command timeout, if
   * longer): a link that waits in the queue is one a {@code removeUser} on another instance cannot
   * find yet. When Redis still fails, the link waits in the queue and is written later.
   *
   * @throws SessionStoreException if Redis failed or did not answer in time
   */
  @Override
  public void linkUser(String userId, String sessionId) {
    sessions.linkUser(
        Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(sessionId, "sessionId"));
  }

  /**
   * Erases every session in the user's set, as {@link #remove} does, and takes them out of the set.
   * When the set cannot be read, the erasure of the user waits in the queue and returns 0.
   */
  @Override
  public int removeUser(String userId) {
    return sessions.removeUser(Objects.requireNonNull(userId, "userId"));
  }

  /**
   * Returns true: every call waits for Redis at most the {@linkplain Builder#commandTimeout command
   * timeout}, or 1 s for an erasure and a link to a user (whichever is longer), so the engine calls
   * this store on the request thread, without its extension timeout and the thread hop that costs.
   *
   * @return true
   */
  @Override
  public boolean boundsCallTime() {
    return true;
  }

  /**
   * Returns true: a change applied to a copy whose compare-and-set then fails (another instance
   * wrote or erased the session meanwhile) is applied again to what Redis holds, and only the state
   * written is {@linkplain SessionStore.Change#kept kept}: told once its write landed, by the
   * request or later by the background writer, or when a write whose answer was lost is found to
   * have landed. So the engine credits purchases, adds to cart and exposures from states Redis
   * held, never from a copy of a session another instance erased.
   *
   * @return true
   * @since 0.5.0
   */
  @Override
  public boolean tellsKept() {
    return true;
  }

  /**
   * Returns the Redis key of a session, for operations: hashed, so no id can be read back from it.
   *
   * @param sessionId the session id
   * @return the key
   */
  public String redisKey(String sessionId) {
    return sessions.key(Objects.requireNonNull(sessionId, "sessionId"));
  }

  /**
   * Returns this instance's counts since the store was built.
   *
   * @return the counts
   */
  public Stats stats() {
    return new Stats(sessions.counters());
  }

  /**
   * Writes the changes and erasures that wait, for at most two seconds, then closes the connection
   * and stops the client's threads, waiting at most a few seconds more.
   */
  @Override
  public void close() {
    sessions.close();
  }

  @Override
  public String toString() {
    return "RedisSessionStore" + stats();
  }

  /**
   * Counts of one store since it was built. A final class rather than a record, so that counts can
   * be added without breaking callers. Immutable and thread-safe.
   *
   * @since 0.2.0
   */
  public static final class Stats {
    private final long nearCacheHits;
    private final long nearCacheMisses;
    private final long conflicts;
    private final long timeouts;
    private final long failures;
    private final long unreadable;
    private final long pendingChanges;
    private final long pendingErasures;
    private final long writtenLate;
    private final long dropped;
    private final long restored;
    private final long writtenBehind;
    private final long dataLosses;

    private Stats(long[] counts) {
      this.nearCacheHits = counts[0];
      this.nearCacheMisses = counts[1];
      this.conflicts = counts[2];
      this.timeouts = counts[3];
      this.failures = counts[4];
      this.unreadable = counts[5];
      this.pendingChanges = counts[6];
      this.pendingErasures = counts[7];
      this.writtenLate = counts[8];
      this.dropped = counts[9];
      this.restored = counts[10];
      this.writtenBehind = counts[11];
      this.dataLosses = counts[12];
    }

    /**
     * Returns the number of calls that found a local copy.
     *
     * @return a count since the store was built
     */
    public long nearCacheHits() {
      return nearCacheHits;
    }

    /**
     * Returns the number of calls that did not find a local copy.
     *
     * @return a count since the store was built
     */
    public long nearCacheMisses() {
      return nearCacheMisses;
    }

    /**
     * Returns the number of updates that found another instance's write and applied the change
     * again.
     *
     * @return a count since the store was built
     */
    public long conflicts() {
      return conflicts;
    }

    /**
     * Returns the number of calls that Redis did not answer in time.
     *
     * @return a count since the store was built
     */
    public long timeouts() {
      return timeouts;
    }

    /**
     * Returns the number of calls that failed, timeouts included. A failed call loses nothing by
     * itself: its change waits and is written later ({@link #writtenLate()}).
     *
     * @return a count since the store was built
     */
    public long failures() {
      return failures;
    }

    /**
     * Returns the number of keys found holding something else than a session state.
     *
     * @return a count since the store was built
     */
    public long unreadable() {
      return unreadable;
    }

    /**
     * Returns the number of changes waiting to be written now.
     *
     * @return a current count
     * @since 0.3.0
     */
    public long pendingChanges() {
      return pendingChanges;
    }

    /**
     * Returns the number of erasures waiting to be written now.
     *
     * @return a current count
     * @since 0.3.0
     */
    public long pendingErasures() {
      return pendingErasures;
    }

    /**
     * Returns the number of changes written after they waited because a write of their session
     * failed or timed out (changes written behind count here only then).
     *
     * @return a count since the store was built
     * @since 0.3.0
     */
    public long writtenLate() {
      return writtenLate;
    }

    /**
     * Returns the number of changes lost: dropped because {@code maxPendingChanges} were waiting.
     *
     * @return a count since the store was built
     * @since 0.3.0
     */
    public long dropped() {
      return dropped;
    }

    /**
     * Returns the number of sessions written back after Redis lost them.
     *
     * @return a count since the store was built
     * @since 0.3.0
     */
    public long restored() {
      return restored;
    }

    /**
     * Returns the number of changes to a copy known current that were written in the background
     * ({@link Builder#writeBehind}).
     *
     * @return a count since the store was built
     * @since 0.3.0
     */
    public long writtenBehind() {
      return writtenBehind;
    }

    /**
     * Returns the number of times this instance found that Redis had lost its data (a restart
     * without persistence) and wrote back the sessions it holds; each is logged once, at WARN.
     *
     * @return a count since the store was built
     * @since 0.5.0
     */
    public long dataLosses() {
      return dataLosses;
    }

    @Override
    public String toString() {
      return "Stats{"
          + "nearCacheHits="
          + nearCacheHits
          + ", nearCacheMisses="
          + nearCacheMisses
          + ", conflicts="
          + conflicts
          + ", timeouts="
          + timeouts
          + ", failures="
          + failures
          + ", unreadable="
          + unreadable
          + ", pendingChanges="
          + pendingChanges
          + ", pendingErasures="
          + pendingErasures
          + ", writtenLate="
          + writtenLate
          + ", dropped="
          + dropped
          + ", restored="
          + restored
          + ", writtenBehind="
          + writtenBehind
          + ", dataLosses="
          + dataLosses
          + "}";
    }
  }

  /**
   * Settings of a {@link RedisSessionStore}; those it shares with the stats store are on {@link
   * RedisStoreBuilder}. Each setter checks its argument at once. Not thread-safe; build on one
   * thread.
   *
   * @since 0.2.0
   */
  public static final class Builder extends RedisStoreBuilder<Builder> {
    private byte[] keySecret;
    private Duration sessionTtl = Duration.ofMinutes(30);
    private long nearCacheSize = 10_000;
    private Duration maxStaleness = Duration.ofSeconds(1);
    private int maxPendingChanges = 100_000;
    private Clock clock = Clock.systemUTC();
    private boolean writeBehind;

    private Builder(RedisURI uri) {
      super(uri);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Hashes session ids with HMAC-SHA256 under this secret instead of plain SHA-256, so that
     * someone who reads the keys cannot check a known id against them. Every instance must use the
     * same secret; changing it orphans every session (they expire).
     *
     * @param secret at least 16 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if shorter
     */
    public Builder keySecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException("keySecret must be at least 16 bytes");
      }
      this.keySecret = secret.clone();
      return this;
    }

    /**
     * Sets how long a key lives after its last write (default 30 minutes); use the engine's {@code
     * sessionIdleTimeout}, or, for a store of profiles, the profile's {@code timeToLive} (such as
     * 180 days).
     *
     * @param ttl positive, at most 400 days
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder sessionTtl(Duration ttl) {
      this.sessionTtl = Check.positive("sessionTtl", ttl, Duration.ofDays(400));
      return this;
    }

    /**
     * Sets the most sessions kept locally (default 10,000); the least recently used go first. 0
     * keeps none: every update then costs two round trips.
     *
     * @param size not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder nearCacheSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("nearCacheSize must not be negative, was " + size);
      }
      this.nearCacheSize = size;
      return this;
    }

    /**
     * Sets how old a local copy {@link RedisSessionStore#get} may answer with while Redis does not
     * report other instances' changes (default 1 s); 0 asks Redis every time then. A copy Redis
     * reported no change of since it was read is answered with however old.
     *
     * @param staleness not negative, at most 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxStaleness(Duration staleness) {
      Objects.requireNonNull(staleness, "staleness");
      this.maxStaleness =
          staleness.isZero()
              ? staleness
              : Check.positive("maxStaleness", staleness, Duration.ofHours(1));
      return this;
    }

    /**
     * Sets the most changes that may wait to be written while Redis fails (default 100,000, about
     * 50 MB at most); a change beyond it is dropped and counted.
     *
     * @param max positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxPendingChanges(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxPendingChanges must be positive, was " + max);
      }
      this.maxPendingChanges = max;
      return this;
    }

    /**
     * Writes a change to a copy of the session known current in the background, so that the
     * decision waits for no round trip (default false). A copy is known current when Redis reported
     * no other instance's write of it since it was read, on a single server or a cluster (where
     * every master that serves slots must be reporting), and no erasure or write-back of the
     * session waits. The change is applied to the copy and queued, atomically per session, and the
     * request returns; the store's background thread writes, at most once a millisecond, each
     * session's queued changes with one compare-and-set, those of many sessions in flight at once,
     * and a conflict is applied again to the state another instance wrote, so nothing is lost or
     * counted twice. A decision on another instance may not see the change until it is written:
     * usually within a millisecond and a round trip, longer when requests come faster than the
     * writer keeps up. While a tenth of {@link #maxPendingChanges} changes wait (10,000 by
     * default), a change is written before the decision returns, as without this setting, so that
     * the background never falls further behind; the rest of the bound stays for changes that wait
     * because Redis failed.
     *
     * @param writeBehind whether to write changes to current copies in the background
     * @return this builder
     */
    public Builder writeBehind(boolean writeBehind) {
      this.writeBehind = writeBehind;
      return this;
    }

    /**
     * Sets the clock that dates the changes this store receives, its erasures and its links of
     * sessions to users, to the microsecond (default the system clock): a change an instance
     * received before another erased the session is part of what was erased. It is not the engine's
     * clock, which dates behaviour: leave the default unless a test needs to set the instances'
     * clocks apart; a clock that does not advance cannot tell which of two instances came first.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the store and tries to connect, waiting at most the connect timeout. A Redis that is
     * not there yet does not fail the build: calls fail over to local copies until it is.
     *
     * @return the store; close it at shutdown
     * @throws IllegalStateException if {@code maxStaleness} is not shorter than {@code sessionTtl}
     */
    public RedisSessionStore build() {
      if (maxStaleness.compareTo(sessionTtl) >= 0) {
        throw new IllegalStateException("maxStaleness must be shorter than sessionTtl");
      }
      // Lettuce's own limit is the longest any call waits (an erasure's or a link's), not the
      // command timeout: each call stops waiting at its own deadline
      RedisLink link =
          new RedisLink(
              uri,
              cluster,
              commandTimeout.compareTo(RedisSessions.ERASE_TIMEOUT) > 0
                  ? commandTimeout
                  : RedisSessions.ERASE_TIMEOUT,
              connectTimeout,
              RedisSessions.SCRIPTS);
      return new RedisSessionStore(
          new RedisSessions(
              link,
              new SessionKeys(keyPrefix, keySecret),
              sessionTtl,
              commandTimeout,
              nearCacheSize,
              maxStaleness,
              maxPendingChanges,
              clock,
              writeBehind));
    }
  }
}
