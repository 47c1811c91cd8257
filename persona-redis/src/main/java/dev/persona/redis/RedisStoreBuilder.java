package dev.persona.redis;

import dev.persona.redis.internal.Check;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the builders of both Redis stores set alike: the server, the key prefix and how long a call
 * and a connection attempt may take. Each setter checks its argument at once. Not thread-safe;
 * build on one thread.
 *
 * @param <B> the builder's own type, which each setter returns
 * @since 0.3.0
 */
public abstract sealed class RedisStoreBuilder<B extends RedisStoreBuilder<B>>
    permits RedisSessionStore.Builder, RedisStatsStore.Builder {
  final RedisURI uri;
  String keyPrefix = "persona:";
  Duration commandTimeout = Duration.ofMillis(5);
  Duration connectTimeout = Duration.ofSeconds(1);

  RedisStoreBuilder(RedisURI uri) {
    this.uri = uri;
  }

  abstract B self();

  /**
   * Sets what every key starts with (default {@code "persona:"}), to share a Redis database.
   *
   * @param prefix up to 100 characters, possibly empty
   * @return this builder
   * @throws IllegalArgumentException if longer
   */
  public B keyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > 100) {
      throw new IllegalArgumentException("keyPrefix must be at most 100 characters");
    }
    this.keyPrefix = prefix;
    return self();
  }

  /**
   * Sets the most one call waits for Redis, all attempts together (default 5 ms). This bounds what
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
