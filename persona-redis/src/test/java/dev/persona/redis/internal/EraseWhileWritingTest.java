package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.sessions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.testing.RedisServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An erasure of a session while the background writer writes that session's changes: the erasure
 * waits for the writer's write to land and then is written once, by the erasing request alone.
 * Written at once instead, it would make the writer's compare-and-set conflict with it and write
 * again, on the tombstone, a state that only looks to other instances like one more write.
 */
final class EraseWhileWritingTest {
  private RedisServer redis;
  private final ExecutorService requests = Executors.newSingleThreadExecutor();

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() {
    requests.shutdownNow();
    redis.close();
  }

  @Test
  void anErasureWhileTheWriterWritesTheSession_waitsForIt_andIsWrittenOnceWithoutAConflict()
      throws Exception {
    Races.Gate round = new Races.Gate("round");
    Races.Gate send = new Races.Gate("send");
    CompletableFuture<Void> waits = new CompletableFuture<>();
    RedisSessions a = sessions(redis.uri(), true, 1_000);
    boolean closed = false;
    try (RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      a.probe(
          point -> {
            round.at(point);
            send.at(point);
            if (point.equals("waits")) {
              waits.complete(null);
            }
          });
      PersonaEngine onA = engine(a);
      assertThat(requests(onA.decide(productView("s")))).isEqualTo(1); // written through
      round.arm();
      assertThat(requests(onA.decide(productView("s")))).isEqualTo(2); // written behind
      assertThat(a.counters()[11]).as("written behind").isEqualTo(1);
      send.arm();
      round.open();
      send.awaitReached(); // the writer holds the session, its compare-and-set not sent yet

      CompletableFuture<Void> erased = CompletableFuture.runAsync(() -> a.remove("s"), requests);
      CompletableFuture.anyOf(erased, waits).get(20, TimeUnit.SECONDS);
      boolean waited = !erased.isDone();
      send.open();
      erased.get(20, TimeUnit.SECONDS);
      assertThat(a.get("s")).as("the session here").isNull();
      a.close(); // the writer ends its round
      closed = true;

      assertThat(a.counters()[2])
          .as("conflicts: the writer's write and the erasure's, one after the other")
          .isZero();
      assertThat(waited).as("the erasure waited for the writer's write").isTrue();
      assertThat(a.counters()[7]).as("erasures waiting").isZero();
      assertThat(a.counters()[6]).as("changes waiting").isZero();
      assertThat(reader.get("s")).as("the session in Redis").isNull();
    } finally {
      round.open();
      send.open();
      if (!closed) {
        a.close();
      }
    }
  }

  /** Returns the requests the decision's session state counted; the decision is not degraded. */
  private static int requests(Decision d) {
    assertThat(d.flags()).isEmpty();
    return ((Number) d.signal("requests").value()).intValue();
  }
}
