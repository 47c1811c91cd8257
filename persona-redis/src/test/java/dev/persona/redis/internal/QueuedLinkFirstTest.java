package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.redis.RedisUnavailableException;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.RedisServer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A sign-in's link of its session to the user waits in an instance's queue (under load, a timeout)
 * while the user is erased on another instance, which finds no session in the user's set. The
 * session's next request on the first instance writes the link before its change: the link erases
 * the session as of the user's erasure, and the decision sees only what came after it. Before, the
 * decision used the erased state until the background writer wrote the link (the steady load test:
 * an erased-state use 144 ms after a {@code forgetUser} that erased nothing).
 */
final class QueuedLinkFirstTest extends WithRedis {
  @Test
  void aSessionsNextRequest_writesItsQueuedLinkFirst_soAUserErasureMadeMeanwhileHolds() {
    AtomicBoolean linksFail = new AtomicBoolean(true);
    AtomicBoolean deaf = new AtomicBoolean();
    Thread test = Thread.currentThread();
    try (RedisSessions a = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions b = Races.sessions(redis.uri(), false, 1_000)) {
      b.probe(
          point -> {
            // the background writer's links keep failing: only a request's may land
            if (point.equals("link") && (linksFail.get() || Thread.currentThread() != test)) {
              throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, null);
            }
            if (point.equals("report") && deaf.get()) {
              throw new IllegalStateException("b does not hear of the user's erasure in time");
            }
          });
      PersonaEngine onB = engine(b);
      onB.decide(signedIn());
      assertThatThrownBy(() -> b.linkUser("u", "s")) // the sign-in's link waits in b's queue
          .isInstanceOf(SessionStoreException.class);

      deaf.set(true);
      assertThat(a.removeUser("u")).as("a finds no session in the user's set").isZero();
      RedisServer.sleep(200);
      linksFail.set(false);

      Decision next = onB.decide(signedIn());

      assertThat(next.signal("requests").value())
          .as("requests the decision after the erasure sees")
          .isEqualTo(1.0);
      assertThat(next.flags()).isEmpty();
    }
  }

  private static Visit signedIn() {
    return Visit.builder("s").userId("u").event(Event.of("product_view")).build();
  }
}
