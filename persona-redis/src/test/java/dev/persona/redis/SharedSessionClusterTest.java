package dev.persona.redis;

import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;

/** {@link SharedSessionTest} on the Redis Cluster of three masters the tests share. */
final class SharedSessionClusterTest extends SharedSessionTest {
  @Override
  LocalRedis startRedis() {
    return RedisCluster.shared();
  }
}
