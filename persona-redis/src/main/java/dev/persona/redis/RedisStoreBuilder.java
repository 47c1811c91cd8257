package dev.persona.redis;

import dev.persona.redis.internal.Check;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the builders of both Redis stores set alike: the server (one, or a Redis Cluster), the key
 * prefix and how long a call and a connection attempt may take. Each setter checks its argument at
 * once. Not thread-safe; build on one thread.
 *
 * @param <B> the builder's own type, which each setter returns
 * @since 0.3.0
 */
public abstract sealed class RedisStoreBuilder<B extends RedisStoreBuilder<B>>
    permits RedisSessionStore.Builder, RedisStatsStore.Builder {
  final RedisURI uri;
  boolean cluster;
  String keyPrefix = "persona:";
  Duration commandTimeout = Duration.ofMillis(50);
  Duration connectTimeout = Duration.ofSeconds(1);

  RedisStoreBuilder(RedisURI uri) {
    this.uri = uri;
  }

  abstract B self();

  /**
   * Treats the URI as a seed node of a Redis Cluster (default false: one server, or a proxy that
   * looks like one). The store then learns the other nodes from the seed (which must be up when it
   * first connects), sends each key's commands to the node serving its slot, follows {@code MOVED}
   * and {@code ASK} redirects and reads the cluster's layout again after a redirect or reconnect
   * and every minute. The keys are the same either way: each script touches keys of one hash slot.
   *
   * @param cluster true for a Redis Cluster
   * @return this builder
   * @throws IllegalArgumentException if true and the URI names a database other than 0, or Sentinel
   *     nodes: a cluster has neither
   * @since 0.3.0
   */
  public B cluster(boolean cluster) {
    if (cluster && (uri.getDatabase() != 0 || !uri.getSentinels().isEmpty())) {
      throw new IllegalArgumentException(
          "a Redis Cluster URI names no database other than 0 and no Sentinel");
    }
    this.cluster = cluster;
    return self();
  }

  /**
   * Sets what every key starts with (default {@code "persona:"}), to share a Redis database.
   *
   * @param prefix up to 100 characters, possibly empty; no braces, which mark the keys' cluster
   *     hash tags
   * @return this builder
   * @throws IllegalArgumentException if longer, or if it holds a brace
   */
  public B keyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > 100) {
      throw new IllegalArgumentException("keyPrefix must be at most 100 characters");
    }
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "keyPrefix must not hold braces: they mark the keys' hash tags");
    }
    this.keyPrefix = prefix;
    return self();
  }

  /**
   * Sets the most one call waits for Redis, all attempts together (default 50 ms). This bounds what
   * a slow or absent Redis adds to a decision or an outcome.
   *
   * @param timeout positive, at most 1 minute
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public B commandTimeout(Duration timeout) {
    this.commandTimeout = Check.positive("commandTimeout", timeout, Duration.ofMinutes(1));
    return self();
  }

  /**
   * Sets the most a connection attempt takes (default 1 s); {@code build()} waits this long at most
   * for the first one.
   *
   * @param timeout positive, at most 1 minute
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = Check.positive("connectTimeout", timeout, Duration.ofMinutes(1));
    return self();
  }
}
