package dev.persona.redis;

import dev.persona.VariantStats;
import dev.persona.redis.internal.Check;
import dev.persona.redis.internal.RedisLink;
import dev.persona.redis.internal.RedisStats;
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
 * concurrent increments from any number of instances are never lost. At most {@linkplain
 * Builder#maxEntries a bounded number} of placement, variant and segment combinations are kept;
 * increments for further ones are refused and counted ({@link #dropped()}). A {@link #snapshot}
 * reads the hash with {@code HSCAN}, about 500 fields per command, so that even a full hash (six
 * fields per combination) never blocks Redis, and the sessions on it, for more than a fraction of a
 * millisecond at a time; each count is exact as of the command that read it, and increments made
 * while a snapshot is read may be in it or not.
 *
 * <p><b>Faults.</b> {@link #add} waits at most {@linkplain Builder#commandTimeout the command
 * timeout} (default 5 ms) and {@link #snapshot} at most {@linkplain Builder#snapshotTimeout the
 * snapshot timeout} (default 50 ms). When Redis fails or is too slow they throw a {@link
 * RedisUnavailableException}, which the engine counts; an increment whose answer did not come in
 * time may or may not have been applied. Failures are logged at most once a minute on the logger
 * {@code dev.persona.redis}; the store reconnects by itself.
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
   * {@inheritDoc}
   *
   * @throws RedisUnavailableException if Redis failed or did not answer in time
   */
  @Override
  public void add(VariantStats increment) {
    stats.add(Objects.requireNonNull(increment, "increment"));
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
   * Returns how many increments this instance had refused because the hash held the most
   * combinations.
   *
   * @return the count
   */
  public long dropped() {
    return stats.dropped();
  }

  /**
   * Returns how many times Redis failed or did not answer in time for this instance.
   *
   * @return the count
   */
  public long failures() {
    return stats.failures();
  }

  /**
   * Returns how many fields of the hash snapshots could not read: written by something else.
   *
   * @return the count
   */
  public long foreignFields() {
    return stats.foreignFields();
  }

  /** Closes the connection and stops the client's threads, waiting at most a few seconds. */
  @Override
  public void close() {
    stats.close();
  }

  @Override
  public String toString() {
    return "RedisStatsStore[dropped=" + dropped() + ", failures=" + failures() + "]";
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
     * Builds the store and tries to connect, waiting at most the connect timeout. A Redis that is
     * not there yet does not fail the build.
     *
     * @return the store; close it at shutdown
     */
    public RedisStatsStore build() {
      RedisLink link =
          new RedisLink(
              uri,
              cluster,
              max(commandTimeout, snapshotTimeout),
              connectTimeout,
              RedisStats.SCRIPTS);
      return new RedisStatsStore(
          new RedisStats(link, keyPrefix, maxEntries, commandTimeout, snapshotTimeout));
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }
}
