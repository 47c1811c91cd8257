package dev.persona.redis;

import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;

/** {@link SharedSessionTest} on a Redis Cluster of three masters, started for these tests. */
final class SharedSessionClusterTest extends SharedSessionTest {
  @Override
  LocalRedis startRedis() {
    return RedisCluster.start(3);
  }
}
