package dev.persona.redis;

import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;

/** {@link RedisStatsStoreTest} on the Redis Cluster of three masters the tests share. */
final class RedisStatsStoreClusterTest extends RedisStatsStoreTest {
  @Override
  LocalRedis startRedis() {
    return RedisCluster.shared();
  }
}
