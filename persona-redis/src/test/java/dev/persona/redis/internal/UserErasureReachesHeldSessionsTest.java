package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.sessions;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A user erased on one instance while another instance's link of one of the user's sessions has not
 * reached the user's set yet (under load it waits in that instance's queue): the erasing instance
 * cannot find the session, but the instance that holds it hears of the erasure and stops using it
 * at once, instead of when its link lands. And a link waits for a slow Redis as an erasure does, so
 * that it seldom waits in the queue at all.
 */
final class UserErasureReachesHeldSessionsTest extends WithRedis {
  @Test
  void aSessionWhoseLinkDidNotLandYet_isErasedOnTheInstanceThatHoldsIt() {
    SessionKeys keys = new SessionKeys("race:", null);
    RedisLink other = Races.link(redis.uri());
    try (RedisSessions a = sessions(redis.uri(), false, 1_000);
        RedisSessions b = sessions(redis.uri(), false, 1_000)) {
      engine(b).decide(productView("s"));
      b.linkUser("u", "s");
      // as if b's link were still in its queue: the user's set does not hold the session
      byte[] userKey = keys.user("u");
      other.await(
          () -> other.commands().srem(userKey, keys.of("s")), System.nanoTime() + 5_000_000_000L);
      assertThat(b.get("s")).as("b's copy before the erasure").isNotNull();

      assertThat(a.removeUser("u")).as("sessions a found in the user's set").isZero();

      awaitTrue(() -> b.get("s") == null, 5);
      awaitTrue(() -> a.get("s") == null, 5); // and in Redis: the erasure b queued was written
      assertThat(new String(keys.userErasureMark(userKey), StandardCharsets.US_ASCII))
          .startsWith(keys.sessionPrefix());
    } finally {
      other.close();
    }
  }

  @Test
  void aSignInWhileRedisIsSlow_waitsForItsLink_soThatForgetUserOnAnotherInstanceFindsTheSession() {
    try (RedisSessions a = Races.quick(Races.link(redis.uri()), true);
        RedisSessions b = Races.quick(Races.link(redis.uri()), true)) {
      engine(b).decide(productView("s"));
      redis.pause(Duration.ofMillis(300)); // six times the command timeout

      b.linkUser("u", "s"); // returns once the link is in the user's set

      assertThat(a.removeUser("u")).as("sessions a found in the user's set").isEqualTo(1);
      assertThat(a.get("s")).isNull();
      awaitTrue(() -> b.get("s") == null, 5);
    }
  }
}
