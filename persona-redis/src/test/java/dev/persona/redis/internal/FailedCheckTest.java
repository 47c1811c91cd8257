package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.redis.RedisUnavailableException;
import dev.persona.testing.RedisServer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The check of the report of an instance's own write fails (a timeout under load, as the outage
 * load run's first sessions met while the JVMs warmed up), seconds before Redis is killed and
 * restarted empty. The instance that wrote last holds the only copy not changed by that write; the
 * other instance's copy was. Before, the failed check left that copy changed for good: neither copy
 * was written back and the whole session was lost (in the load run, sessions that ended seconds
 * before the kill, none of their visits in Redis at the end).
 */
final class FailedCheckTest extends WithRedis {
  @Test
  void theLastWritersCopy_whoseOwnReportsCheckFailed_isWrittenBack() throws Exception {
    AtomicBoolean failCheck = new AtomicBoolean();
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      a.probe(
          point -> {
            if (point.equals("check") && failCheck.compareAndSet(true, false)) {
              // as a check whose answer never comes: no token is found for the copy
              throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, null);
            }
          });
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onA.decide(productView("s"));
      onB.decide(productView("s"));
      RedisServer.sleep(300); // a heard and checked b's write
      failCheck.set(true);
      onA.decide(productView("s")); // a writes last; b's copy is changed by it
      awaitTrue(() -> !failCheck.get(), 5); // the check of a's own report failed
      RedisServer.sleep(2_500); // seconds before the kill, as in the load run

      redis.kill();
      redis.startAgain(); // empty
      awaitTrue(() -> answers(linkA) && answers(linkB));
      awaitTrue(() -> visits(reader, "s") == 3, 30);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> a.counters()[10] > 0, 5);
      assertThat(a.counters()[10]).as("a's copy written back").isEqualTo(1);
    }
  }
}
