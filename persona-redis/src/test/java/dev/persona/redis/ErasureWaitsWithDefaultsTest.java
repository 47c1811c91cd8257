package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.holdsState;
import static dev.persona.redis.Fixtures.productView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the library's defaults (a 50 ms command timeout), an erasure and a link wait for a slow
 * Redis up to 1 s, as documented, and are done when the call returns. Before, the client gave up on
 * every command at the command timeout, so a {@code forget} or {@code forgetUser} on a Redis slower
 * than 50 ms returned with its erasure only queued, and another instance used the erased state
 * until it landed (the steady load test: a decision 179 ms after a {@code forgetUser} that erased
 * nothing); a sign-in's link was queued likewise, where a {@code forgetUser} cannot find it.
 */
final class ErasureWaitsWithDefaultsTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void forget_onARedisSlowerThanTheCommandTimeout_isDoneWhenItReturns() {
    try (RedisSessionStore store = RedisSessionStore.builder(redis.uri()).build()) {
      PersonaEngine engine = engine(store);
      engine.decide(productView("slow-forget"));
      assertThat(holdsState(redis, store.redisKey("slow-forget"))).isTrue();

      redis.pause(Duration.ofMillis(300));
      engine.forget("slow-forget");

      assertThat(store.stats().pendingErasures()).as("erasures still queued").isZero();
      assertThat(holdsState(redis, store.redisKey("slow-forget")))
          .as("the state in Redis")
          .isFalse();
    }
  }

  @Test
  void forgetUser_afterASignInOnARedisSlowerThanTheCommandTimeout_findsTheSession() {
    try (RedisSessionStore a = RedisSessionStore.builder(redis.uri()).build();
        RedisSessionStore b = RedisSessionStore.builder(redis.uri()).build()) {
      engine(a).decide(productView("slow-link"));

      redis.pause(Duration.ofMillis(600));
      engine(a)
          .decide(
              Visit.builder("slow-link").userId("u-slow").event(Event.of("product_view")).build());

      assertThat(engine(b).forgetUser("u-slow")).as("sessions b erased").isEqualTo(1);
      assertThat(holdsState(redis, a.redisKey("slow-link"))).as("the state in Redis").isFalse();
    }
  }
}
