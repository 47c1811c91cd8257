package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.testing.CapturedLog;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts empty twice within a few seconds (a restart loop): each loss is found, logged once
 * and counted, and the sessions are written back each time. Before, a loss found within ten seconds
 * of the last write-back was taken for the same one, and nothing was written back after the second:
 * a session not visited again was lost.
 */
final class RepeatedLossTest extends WithRedis {
  @Test
  void aSecondLossSoonAfterTheFirst_isWrittenBackToo() {
    String log =
        CapturedLog.during(
            () -> {
              try (RedisLink link = Races.link(redis.uri());
                  RedisSessions sessions = Races.sessions(link, false, 1_000);
                  RedisSessions reader = Races.noCopies(redis.uri())) {
                PersonaEngine engine = engine(sessions);
                engine.decide(productView("s"));
                engine.decide(productView("s"));

                loseData(link, sessions);
                awaitTrue(() -> visits(reader, "s") == 2, 15);
                engine.decide(productView("s")); // waits while the copies are written back
                awaitTrue(() -> sessions.counters()[6] == 0 && visits(reader, "s") == 3, 15);

                loseData(link, sessions); // seconds after the first
                awaitTrue(() -> visits(reader, "s") == 3, 15);
                assertThat(sessions.counters()[12]).as("losses found").isEqualTo(2);
                awaitTrue(() -> sessions.counters()[10] == 2, 5); // read after the reader's
              }
            });
    // logged by each store once per loss: the reader's too
    assertThat(log.lines().filter(l -> l.contains("Redis lost its data (restarted")))
        .allMatch(l -> l.contains("] WARN dev.persona.redis - Redis session store:"))
        .anyMatch(l -> l.contains("(2 times since this store was built)"))
        .noneMatch(l -> l.contains("(3 times"));
  }

  /** Kills Redis once the store would find the loss, restarts it empty, waits for it to answer. */
  private void loseData(RedisLink link, RedisSessions sessions) {
    Races.awaitWatchingForLoss(sessions);
    redis.kill();
    redis.startAgain();
    awaitTrue(() -> answers(link));
  }
}
