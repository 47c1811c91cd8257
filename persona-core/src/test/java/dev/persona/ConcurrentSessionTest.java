package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class ConcurrentSessionTest {
  private static final int THREADS = 8;
  private static final int VISITS_PER_THREAD = 2_000;

  @Test
  void parallelRequestsOfOneSession_countEveryEventExactly() throws Exception {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                int flagged = 0;
                for (int i = 0; i < VISITS_PER_THREAD; i++) {
                  Decision d =
                      engine.decide(
                          Visit.builder("shared")
                              .event(Event.of("product_view"))
                              .event(Event.of("add_to_cart"))
                              .build());
                  flagged += d.flags().isEmpty() ? 0 : 1;
                }
                return flagged;
              }));
    }
    start.countDown();
    for (Future<Integer> f : results) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isZero();
    }
    pool.shutdown();

    Decision last = engine.decide(Visit.builder("shared").build());
    double expected = THREADS * VISITS_PER_THREAD;
    assertThat(last.signal("product_views").value()).isEqualTo(expected);
    assertThat(last.signal("cart_adds").value()).isEqualTo(expected);
    assertThat(last.signal("requests").value()).isEqualTo(expected + 1);
    assertThat(engine.stats().decisions()).isEqualTo(THREADS * VISITS_PER_THREAD + 1L);
  }
}
