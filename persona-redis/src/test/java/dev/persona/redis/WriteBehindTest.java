package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.patientStore;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.redis.internal.WithRedis;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code writeBehind(true)}: a change to a copy known current is applied to it and written by the
 * background writer; parallel requests of one session keep each other's changes, and beyond a tenth
 * of {@code maxPendingChanges} waiting, changes are written before the decision returns.
 */
final class WriteBehindTest extends WithRedis {
  @Test
  void manyThreadsWritingBehindOnFewSessions_endExact_andEachDecisionSeesTheChangesBeforeIt()
      throws Exception {
    int sessions = 3;
    int threads = 8;
    int requestsEach = 60 * Fixtures.scale();
    try (RedisSessionStore store = patientStore(redis).writeBehind(true).build()) {
      PersonaEngine engine = engine(store);
      for (int s = 0; s < sessions; s++) {
        assertThat(engine.decide(productView("hot-" + s)).flags()).isEmpty(); // written through
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      ConcurrentHashMap<String, ConcurrentLinkedQueue<Integer>> seen = new ConcurrentHashMap<>();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int r = 0; r < requestsEach; r++) {
                    String id = "hot-" + (first + r) % sessions;
                    Decision d = engine.decide(productView(id));
                    assertThat(d.flags()).isEmpty();
                    seen.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>())
                        .add((int) signal(d, "requests"));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      awaitTrue(() -> store.stats().pendingChanges() == 0);

      int total = threads * requestsEach;
      assertThat(store.stats().writtenBehind()).isPositive();
      assertThat(store.stats().dropped()).isZero();
      int seenTotal = 0;
      for (int s = 0; s < sessions; s++) {
        List<Integer> counts = new ArrayList<>(seen.get("hot-" + s));
        seenTotal += counts.size();
        // applied to the copy one after the other: no two decisions saw the same count
        assertThat(counts).as("requests seen by the decisions of hot-" + s).doesNotHaveDuplicates();
        assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(2, counts.size() + 1));
      }
      assertThat(seenTotal).isEqualTo(total);
      try (RedisSessionStore other = patientStore(redis).build()) {
        PersonaEngine reader = engine(other);
        for (int s = 0; s < sessions; s++) {
          String id = "hot-" + s;
          int made = seen.get(id).size() + 1;
          Decision d = reader.decide(Visit.builder(id).build());
          assertThat(signal(d, "product_views")).as("views of " + id).isEqualTo(made);
          assertThat(signal(d, "requests")).as("requests of " + id).isEqualTo(made + 1);
        }
      }
    }
  }

  @Test
  void beyondATenthOfMaxPendingChanges_changesAreWrittenThrough_andOnlyWhatIsLostCountsAsDropped() {
    int max = 20; // a tenth: 2 changes may wait to be written behind
    int sessions = 24;
    try (RedisSessionStore store =
        RedisSessionStore.builder(redis.uri()).writeBehind(true).maxPendingChanges(max).build()) {
      PersonaEngine engine = engine(store);
      for (int s = 0; s < sessions; s++) {
        assertThat(engine.decide(productView("q-" + s)).flags()).isEmpty();
      }
      awaitTrue(() -> store.stats().pendingChanges() == 0);
      redis.pause(Duration.ofSeconds(5)); // every write waits: the queue fills
      RedisServer.sleep(200);

      List<Decision> decisions = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        decisions.add(engine.decide(productView("q-" + s)));
      }

      // the first two go behind, at once; the next ones wait for Redis, time out and queue; the
      // last four find the queue full: lost, and counted once each
      assertThat(store.stats().writtenBehind()).isEqualTo(2);
      for (int s = 0; s < sessions; s++) {
        assertThat(decisions.get(s).flags().contains(Decision.Flag.STORE_DEGRADED))
            .as("q-" + s + " degraded")
            .isEqualTo(s >= 2);
      }
      assertThat(store.stats().pendingChanges()).isEqualTo(max);
      assertThat(store.stats().dropped()).isEqualTo(sessions - max);

      awaitTrue(() -> store.stats().pendingChanges() == 0);
      assertThat(store.stats().dropped()).isEqualTo(sessions - max);
      try (RedisSessionStore other = patientStore(redis).build()) {
        PersonaEngine reader = engine(other);
        for (int s = 0; s < sessions; s++) {
          Decision d = reader.decide(Visit.builder("q-" + s).build());
          if (s < max) {
            assertThat(signal(d, "product_views")).as("views of q-" + s).isEqualTo(2);
          } else {
            // dropped from the queue, though the write that timed out may still have landed
            assertThat(signal(d, "product_views")).as("views of q-" + s).isBetween(1.0, 2.0);
          }
        }
      }
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within 20 s");
      }
      RedisServer.sleep(10);
    }
  }
}
