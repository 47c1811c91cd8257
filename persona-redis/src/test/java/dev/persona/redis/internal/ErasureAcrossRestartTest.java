package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.sessions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.spi.SessionState;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts empty while an erasure made during the outage still waits on the instance that
 * made it: another instance's first request after the restart, which may come before the erasing
 * instance writes its erasure, finds that Redis lost its data and waits for the copies and erasures
 * to land, rather than writing, and deciding with, changes made before the erasure. The background
 * writers are held before they look at Redis ({@link RedisSessions.Probe} point {@code "idle"}), so
 * that only the request can find the loss first.
 */
final class ErasureAcrossRestartTest extends WithRedis {
  @Test
  void theFirstRequestAfterARestartThatLostTheData_beforeAQueuedErasureLands_usesNoErasedChange()
      throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    Races.Gate idleB = new Races.Gate("idle");
    try (RedisSessions a = sessions(redis.uri(), false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = sessions(linkB, false, 1_000);
        RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      a.probe(idleA::at);
      b.probe(idleB::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      idleA.arm();
      idleB.arm();
      idleA.awaitReached();
      idleB.awaitReached(); // neither writer looks at Redis again until opened
      try {
        redis.stop();
        // a session that starts while Redis is down, on both instances, then is erased on one
        assertThat(requests(onB.decide(productView("s")))).isEqualTo(1);
        assertThat(requests(onA.decide(productView("s")))).isEqualTo(1);
        onA.forget("s");
        assertThat(a.counters()[7]).as("erasures waiting on a").isEqualTo(1);

        redis.startAgain(); // empty
        awaitTrue(() -> answers(linkB)); // b is connected again; a may be too
        Decision first = onB.decide(productView("s"));
        assertThat(requests(first))
            .as(
                "requests b's first decision after the restart saw: its change from before the"
                    + " erasure, which waits on a, must not count")
            .isEqualTo(1);
        assertThat(first.flags()).contains(Decision.Flag.STORE_DEGRADED);
      } finally {
        idleA.open();
        idleB.open();
      }
      awaitTrue(() -> a.counters()[7] == 0 && b.counters()[6] == 0);
      SessionState stored = reader.get("s");
      assertThat(stored).isNotNull();
      assertThat(stored.visits())
          .as("requests in Redis: only the one made after the erasure")
          .isEqualTo(1);
    }
  }

  /** Returns the requests the decision's session state counted. */
  private static int requests(Decision d) {
    Signal s = d.signal("requests");
    assertThat(s).isNotNull();
    return ((Number) s.value()).intValue();
  }
}
