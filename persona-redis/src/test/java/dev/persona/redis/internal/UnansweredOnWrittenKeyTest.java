package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * a read the session when Redis held none, so its copy takes the key for empty; b then wrote it,
 * and a heard of that write. a's next write expects no key: it cannot land, and its answer never
 * comes (Redis stalls past a's timeout). It must not be kept as a write that may have landed
 * ({@link UnansweredWrites}): after Redis lost its data, a would write back, weakly, what it sent
 * (its own visit on nothing), a's next change would land on that copy as on any state, and b's
 * copy, written back later (a busy sweep), would be refused: the session's history lost. Without
 * that record a's changes land provisionally, and b's copy replaces them; a writes them again on
 * it.
 */
final class UnansweredOnWrittenKeyTest extends WithRedis {
  @Test
  void aWriteExpectingNoKey_onAKeyReportedWritten_isNotWrittenBackAfterALoss() throws Exception {
    Races.Gate roundA = new Races.Gate("round");
    Races.Gate idleB = new Races.Gate("idle");
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = quick(linkA);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      a.probe(roundA::at);
      b.probe(idleB::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      assertThat(a.get("s")).as("a takes the key for empty").isNull();
      for (int i = 0; i < 3; i++) {
        onB.decide(productView("s")); // b holds the newest copy; a hears of these writes
      }
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      roundA.arm(); // a's writer does not write the change again before the loss
      redis.pause(Duration.ofMillis(800));
      Decision d = onA.decide(productView("s")); // expects no key; answered after a's timeout
      assertThat(d.flags()).contains(Decision.Flag.STORE_DEGRADED);
      RedisServer.sleep(1_000); // Redis answered: a conflict, never taken
      assertThat(visits(reader, "s")).as("a's write did not land").isEqualTo(3);
      idleB.arm();
      idleB.awaitReached(); // b's writer finds the loss late, as in a long sweep

      try {
        redis.stop();
        redis.startAgain(); // empty
        awaitTrue(() -> answers(linkA) && answers(linkB));
        roundA.open(); // a finds the loss; its change waits, then lands
        awaitTrue(() -> a.counters()[6] == 0, 40);
        RedisServer.sleep(2_500); // past any write-back's hold
        assertThat(onA.decide(productView("s")).flags()).isEmpty();
      } finally {
        roundA.open();
        idleB.open(); // b finds the loss and writes back its copy
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (visits(reader, "s") != 5 && System.nanoTime() < deadline) {
        RedisServer.sleep(100);
      }
      assertThat(visits(reader, "s"))
          .as(
              "b's three visits and a's two; written back by a %s, b %s",
              a.counters()[10], b.counters()[10])
          .isEqualTo(5);
      assertThat(a.counters()[10]).as("a wrote back nothing: it held nothing to").isZero();
    }
  }

  /** Sessions as {@link Races#sessions} makes them, but waiting at most 200 ms for Redis. */
  private static RedisSessions quick(RedisLink link) {
    return new RedisSessions(
        link,
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofMillis(200),
        1_000,
        Duration.ofSeconds(1),
        1_000,
        Clock.systemUTC(),
        false);
  }
}
