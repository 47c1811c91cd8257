package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * An erasure that Redis acknowledged and then lost with its data (killed and restarted empty)
 * before it reported the erasure to every instance: an instance that did not hear of it holds its
 * copy of the session as current and writes it back. The erasing instance writes its erasure again
 * first, so the erased session does not come back; a copy made after the erasure still does.
 */
final class ErasureLostWithDataTest extends WithRedis {
  @Test
  void anErasureLostBeforeTheOtherInstanceHeardOfIt_holdsAfterTheRestart() {
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      engine(b).decide(productView("s"));
      engine(b).decide(productView("s"));
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      b.probe(
          point -> {
            if (point.equals("report")) {
              throw new IllegalStateException("Redis died before it sent this report");
            }
          });

      a.remove("s");
      assertThat(reader.get("s")).as("erased in Redis").isNull();
      a.probe(
          point -> {
            if (point.equals("idle")) {
              RedisServer.sleep(1_000); // a finds the loss after b wrote its copy back
            }
          });

      redis.kill();
      redis.startAgain(); // empty: the erasure is gone, and b never heard of it
      b.probe(point -> {});
      awaitTrue(() -> b.counters()[10] > 0, 15); // b wrote back its copy of the erased session
      a.probe(point -> {});

      awaitTrue(() -> visits(reader, "s") == 0, 15); // a wrote its erasure again
      RedisServer.sleep(2_500); // past the write-back hold: nothing brings it back
      assertThat(visits(reader, "s")).as("visits in Redis").isZero();
      awaitTrue(() -> b.get("s") == null, 5);
    }
  }

  @Test
  void aCopyMadeAfterTheErasure_isWrittenBackOverTheErasureWrittenAgain() {
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      engine(b).decide(productView("s"));
      engine(b).decide(productView("s"));
      a.remove("s");
      engine(b).decide(productView("s")); // the shopper goes on, after the erasure
      assertThat(visits(reader, "s")).isEqualTo(1);
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary

      redis.kill();
      redis.startAgain(); // empty
      awaitTrue(() -> answers(linkA) && answers(linkB));
      awaitTrue(() -> b.counters()[10] > 0, 10); // b wrote its copy back
      RedisServer.sleep(2_500); // a wrote its erasure again, before or after b's copy

      assertThat(visits(reader, "s")).as("the visit after the erasure").isEqualTo(1);
    }
  }

  @Test
  void aChangeLandingOnTheErasureWrittenAgain_beforeTheCopyMadeAfterIt_keepsBoth() {
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      engine(b).decide(productView("s"));
      a.remove("s");
      engine(b).decide(productView("s")); // after the erasure
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      b.probe(
          point -> {
            if (point.equals("idle")) {
              RedisServer.sleep(1_500); // b finds the loss late, after a wrote on the key
            }
          });

      redis.kill();
      redis.startAgain(); // empty
      awaitTrue(() -> answers(linkA));
      engine(a).decide(productView("s")); // a holds no copy: its change lands on what a wrote
      b.probe(point -> {});
      awaitTrue(() -> answers(linkB));
      awaitTrue(() -> visits(reader, "s") == 2, 15);
      RedisServer.sleep(2_500);
      assertThat(visits(reader, "s")).as("b's visit after the erasure and a's since").isEqualTo(2);
    }
  }
}
