package dev.persona.redis;

import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;

/** {@link RedisStatsStoreTest} on a Redis Cluster of three masters, started for these tests. */
final class RedisStatsStoreClusterTest extends RedisStatsStoreTest {
  @Override
  LocalRedis startRedis() {
    return RedisCluster.start(3);
  }
}
