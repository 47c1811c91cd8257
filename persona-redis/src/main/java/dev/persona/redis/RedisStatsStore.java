package dev.persona.redis;

import dev.persona.VariantStats;
import dev.persona.redis.internal.Check;
import dev.persona.redis.internal.RedisLink;
import dev.persona.redis.internal.RedisStats;
import dev.persona.redis.internal.StatsKeys;
import dev.persona.spi.StatsStore;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link StatsStore} on Redis: outcome counts of every instance merged in one hash, so that
 * experiments and optimized placements see the whole traffic.
 *
 * <pre>{@code
 * RedisStatsStore stats = RedisStatsStore.builder("redis://cache.internal:6379").build();
 * }</pre>
 *
 * <p>The hash is {@linkplain Builder#keyPrefix the prefix} followed by {@code "{stats}"} (a hash
 * tag, for a {@linkplain Builder#cluster Redis Cluster}); it does not expire (delete it to start
 * over). A hash of an earlier version, named without braces ({@code persona:stats}), is merged into
 * it, exactly, by the snapshots on a single server. Each {@link #add} is one Lua script on the
 * server that increments the combination's fields with {@code HINCRBY} and {@code HINCRBYFLOAT}, so
 * concurrent increments from any number of instances are never lost; an optimized placement's
 * {@linkplain dev.persona.DiscountedCounts discounted counts} are one more field that the script
 * adds to, in any order, by the same rule. At most {@linkplain Builder#maxEntries a bounded number}
 * of placement, variant and segment combinations are kept; increments for further ones are refused
 * and counted ({@link #dropped()}). A {@link #snapshot} reads the hash with {@code HSCAN}, about
 * 500 fields per command, so that even a full hash (six or seven fields per combination) never
 * blocks Redis, and the sessions on it, for more than a fraction of a millisecond at a time; each
 * count is exact as of the command that read it, and increments made while a snapshot is read may
 * be in it or not.
 *
 * <p><b>Each outcome once.</b> The same script keeps the ids of recent outcomes in a sorted set
 * beside the hash (its key followed by {@code ":o"}), as 16-byte digests scored by the Redis
 * server's clock: the latest {@linkplain Builder#maxOutcomeIds 100,000}, none older than
 * {@linkplain Builder#outcomeIdTtl one hour}. An increment whose id is there adds nothing ({@link
 * #duplicates()}), whichever instance sent it first; beyond those bounds the oldest ids are
 * forgotten first, and an outcome added again after its id was forgotten counts again. An increment
 * without an id ({@link #add(VariantStats)}) gets a random one, so that it too counts once however
 * often it is tried.
 *
 * <p><b>Faults.</b> {@link #add} waits at most {@linkplain Builder#commandTimeout the command
 * timeout} (default 50 ms) and {@link #snapshot} at most {@linkplain Builder#snapshotTimeout the
 * snapshot timeout} (default 50 ms). An increment that Redis did not acknowledge in time, because
 * it failed, was away or was slow, is queued and {@code add} returns: one daemon thread of this
 * store tries the queued increments again in order, with the same ids, waiting 5 ms after a failed
 * try, doubling up to 1 s. A try that finds the id already there had been applied before its answer
 * was missed, and counts nothing more. So an increment is counted once, and is lost only when the
 * queue is full ({@linkplain Builder#retryQueueSize 10,000} waiting), when it has been tried for
 * {@linkplain Builder#retryFor a minute} in vain, or when it is still queued a second after {@link
 * #close()}: then it is counted in {@link #lost()} and logged, and in the first case {@code add}
 * throws a {@link RedisUnavailableException}, which the engine counts as a stats store failure. A
 * {@code snapshot} that fails throws that exception too. Failures are logged at most once a minute
 * on the logger {@code dev.persona.redis}; the store reconnects by itself.
 *
 * <p>The engine adds on {@code recordOutcome}, on the caller's thread, and reads a snapshot at most
 * once per {@code statsRefresh} interval (default 1 s), on the thread of one decision with an
 * optimized placement: the command and snapshot timeouts bound what those calls wait. When a
 * snapshot fails, optimized placements go on with the last one read.
 *
 * <p>Thread-safe. Close it at shutdown.
 *
 * @since 0.2.0
 */
public final class RedisStatsStore implements StatsStore, AutoCloseable {
  private final RedisStats stats;

  private RedisStatsStore(RedisStats stats) {
    this.stats = stats;
  }

  /**
   * Starts a builder for a store on the given Redis server.
   *
   * @param redisUri a Lettuce Redis URI, such as {@code redis://host:6379/0}
   * @return the builder
   * @throws IllegalArgumentException if it is not a Redis URI (the message does not echo it)
   */
  public static Builder builder(String redisUri) {
    return new Builder(RedisLink.parse(Objects.requireNonNull(redisUri, "redisUri")));
  }

  /**
   * {@inheritDoc} It gets a random outcome id, so that a retry after a timeout counts it once.
   *
   * @throws RedisUnavailableException if Redis failed or did not answer in time, and the increment
   *     could not be queued to be tried again: it is lost
   */
  @Override
  public void add(VariantStats increment) {
    stats.add(null, Objects.requireNonNull(increment, "increment"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws RedisUnavailableException if Redis failed or did not answer in time, and the increment
   *     could not be queued to be tried again: it is lost
   * @since 0.4.0
   */
  @Override
  public void add(String outcomeId, VariantStats increment) {
    stats.add(
        Objects.requireNonNull(outcomeId, "outcomeId"),
        Objects.requireNonNull(increment, "increment"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws RedisUnavailableException if Redis failed or did not answer in time
   */
  @Override
  public List<VariantStats> snapshot() {
    return stats.snapshot();
  }

  /**
   * Returns true: {@link #add} waits at most the command timeout and {@link #snapshot} at most the
   * snapshot timeout, so the engine calls this store on the request thread, without a limit of its
   * own.
   */
  @Override
  public boolean boundsCallTime() {
    return true;
  }

  /**
   * Returns how many increments this instance had refused because the hash held the most
   * combinations.
   *
   * @return the count
   */
  public long dropped() {
    return stats.dropped();
  }

  /**
   * Returns how many times Redis failed or did not answer in time for this instance. An increment
   * that failed and was then applied by a retry is not lost: see {@link #lost()}.
   *
   * @return the count
   */
  public long failures() {
    return stats.failures();
  }

  /**
   * Returns how many increments of this instance added nothing because their outcome id was kept:
   * the outcome had been added before, by this instance or another.
   *
   * @return the count
   * @since 0.4.0
   */
  public long duplicates() {
    return stats.duplicates();
  }

  /**
   * Returns how many increments of this instance failed at first and were queued to be tried again.
   *
   * @return the count
   * @since 0.4.0
   */
  public long retried() {
    return stats.retried();
  }

  /**
   * Returns how many increments of this instance wait to be tried again.
   *
   * @return the count, at most {@link Builder#retryQueueSize}
   * @since 0.4.0
   */
  public int queued() {
    return stats.queued();
  }

  /**
   * Returns how many increments of this instance were lost: they failed and could not be queued, or
   * were given up after {@link Builder#retryFor}, or were still queued at close. Redis may have
   * applied some of them before its answer was missed; every other increment was applied exactly
   * once.
   *
   * @return the count
   * @since 0.4.0
   */
  public long lost() {
    return stats.lost();
  }

  /**
   * Returns how many fields of the hash snapshots could not read: written by something else.
   *
   * @return the count
   */
  public long foreignFields() {
    return stats.foreignFields();
  }

  /**
   * Tries the queued increments for at most one second (those left are lost, counted), then closes
   * the connection and stops the client's threads, waiting at most a few seconds.
   */
  @Override
  public void close() {
    stats.close();
  }

  @Override
  public String toString() {
    return "RedisStatsStore[dropped="
        + dropped()
        + ", failures="
        + failures()
        + ", duplicates="
        + duplicates()
        + ", retried="
        + retried()
        + ", lost="
        + lost()
        + "]";
  }

  /**
   * Settings of a {@link RedisStatsStore}; those it shares with the session store are on {@link
   * RedisStoreBuilder}. Each setter checks its argument at once. Not thread-safe; build on one
   * thread.
   *
   * @since 0.2.0
   */
  public static final class Builder extends RedisStoreBuilder<Builder> {
    private int maxEntries = 10_000;
    private Duration snapshotTimeout = Duration.ofMillis(50);
    private int maxOutcomeIds = 100_000;
    private Duration outcomeIdTtl = Duration.ofHours(1);
    private int retryQueueSize = 10_000;
    private Duration retryFor = Duration.ofMinutes(1);

    private Builder(RedisURI uri) {
      super(uri);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets the most combinations of placement, variant and segment kept (default 10,000).
     *
     * @param maxEntries positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * Sets the most a snapshot waits for Redis (default 50 ms).
     *
     * @param timeout positive, at most 1 minute
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder snapshotTimeout(Duration timeout) {
      this.snapshotTimeout = Check.positive("snapshotTimeout", timeout, Duration.ofMinutes(1));
      return this;
    }

    /**
     * Sets how many outcome ids are kept (default 100,000): an outcome added again while its id is
     * kept counts once. Beyond it the oldest ids are forgotten first. Each costs Redis about 120
     * bytes.
     *
     * @param maxIds positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @since 0.4.0
     */
    public Builder maxOutcomeIds(int maxIds) {
      if (maxIds <= 0) {
        throw new IllegalArgumentException("maxOutcomeIds must be positive, was " + maxIds);
      }
      this.maxOutcomeIds = maxIds;
      return this;
    }

    /**
     * Sets how long an outcome id is kept (default 1 hour), by the Redis server's clock.
     *
     * @param ttl positive, at most 30 days, and longer than {@link #retryFor}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @since 0.4.0
     */
    public Builder outcomeIdTtl(Duration ttl) {
      this.outcomeIdTtl = Check.positive("outcomeIdTtl", ttl, Duration.ofDays(30));
      return this;
    }

    /**
     * Sets how many increments that failed may wait to be tried again (default 10,000); further
     * ones are lost, counted. 0 tries none again.
     *
     * @param size 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @since 0.4.0
     */
    public Builder retryQueueSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("retryQueueSize must not be negative, was " + size);
      }
      this.retryQueueSize = size;
      return this;
    }

    /**
     * Sets how long an increment that failed is tried again before it is given up, lost and counted
     * (default 1 minute).
     *
     * @param retryFor positive, at most 1 hour, and shorter than {@link #outcomeIdTtl}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @since 0.4.0
     */
    public Builder retryFor(Duration retryFor) {
      this.retryFor = Check.positive("retryFor", retryFor, Duration.ofHours(1));
      return this;
    }

    /**
     * Builds the store and tries to connect, waiting at most the connect timeout. A Redis that is
     * not there yet does not fail the build.
     *
     * @return the store; close it at shutdown
     * @throws IllegalStateException if {@code retryFor} is not shorter than {@code outcomeIdTtl}: a
     *     late retry could count an outcome whose id had expired
     */
    public RedisStatsStore build() {
      if (retryFor.compareTo(outcomeIdTtl) >= 0) {
        throw new IllegalStateException(
            "retryFor ("
                + retryFor
                + ") must be shorter than outcomeIdTtl ("
                + outcomeIdTtl
                + "), or a late retry could count an outcome twice");
      }
      RedisLink link =
          new RedisLink(
              uri,
              cluster,
              max(commandTimeout, snapshotTimeout),
              connectTimeout,
              RedisStats.SCRIPTS);
      return new RedisStatsStore(
          new RedisStats(
              link,
              StatsKeys.of(keyPrefix),
              maxEntries,
              maxOutcomeIds,
              outcomeIdTtl,
              commandTimeout,
              snapshotTimeout,
              retryQueueSize,
              retryFor));
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }
}
