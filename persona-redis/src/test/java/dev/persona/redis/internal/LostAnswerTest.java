package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.redis.RedisUnavailableException;
import dev.persona.spi.SessionState;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A write whose answer comes too late, though it landed, is still a write of this instance: when
 * its change is then found in Redis already, it is kept among the changes this instance wrote, so
 * that an erasure made before the change, landing after it, has the change written again. The
 * answer is lost at {@link RedisSessions.Probe} point {@code "answer"}, as a timeout under load
 * loses it.
 */
final class LostAnswerTest extends WithRedis {
  @Test
  void aChangeWhoseWriteLandedButWhoseAnswerWasLost_isWrittenAgain_onALaterTombstone() {
    // a's clock is 10 s behind: its erasure is made before b's change, and lands after it
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-10));
    AtomicBoolean loseAnswer = new AtomicBoolean();
    try (RedisSessions a = sessions(behind);
        RedisSessions b = sessions(Clock.systemUTC());
        RedisSessions reader = sessions(Clock.systemUTC())) {
      b.probe(
          point -> {
            if (point.equals("answer") && loseAnswer.compareAndSet(true, false)) {
              throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, null);
            }
          });
      PersonaEngine onA = Races.engine(a);
      PersonaEngine onB = Races.engine(b);
      onA.decide(productView("s"));
      loseAnswer.set(true);
      Decision d = onB.decide(productView("s")); // lands; its answer is lost
      assertThat(loseAnswer).as("b's write landed and its answer was lost").isFalse();
      assertThat(d.flags()).contains(Decision.Flag.STORE_DEGRADED);
      awaitTrue(() -> b.counters()[6] == 0); // written again: found there already

      onA.forget("s"); // made before b's change

      awaitTrue(
          () -> {
            SessionState s = reader.get("s");
            return s != null && s.visits() == 1;
          });
    }
  }

  private RedisSessions sessions(Clock clock) {
    return new RedisSessions(
        Races.link(redis.uri()),
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        1_000,
        Duration.ofSeconds(1),
        1_000,
        clock,
        false);
  }

  private static Visit productView(String sessionId) {
    return Visit.builder(sessionId).event(Event.of("product_view")).build();
  }
}
