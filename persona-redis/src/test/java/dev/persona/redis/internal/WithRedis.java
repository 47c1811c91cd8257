package dev.persona.redis.internal;

import dev.persona.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test gets a redis-server of its own, {@link #redis}, started before it
 * and stopped after it on a free loopback port. A subclass's own {@code @BeforeEach} methods run
 * after the server started, and its {@code @AfterEach} methods before it stops.
 */
public abstract class WithRedis {
  /** The server of the test running. */
  protected RedisServer redis;

  @BeforeEach
  protected final void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  protected final void stopRedis() {
    redis.close();
  }
}
