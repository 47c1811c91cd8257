package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.SessionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Minutes of mixed traffic from several threads, reporting heap and latency percentiles. Runs only
 * on demand, not in CI:
 *
 * <pre>
 * mvn -B -ntp -pl persona-core test -Dtest=SoakTest -Dpersona.soak.seconds=180
 * </pre>
 */
final class SoakTest {
  private static final String[] AGENTS = {
    SignalKindsTest.iphone(),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/125.0.0.0 Safari/537.36"
  };
  private static final String[] EVENTS = {
    "page_view", "product_view", "search", "add_to_cart", "apply_coupon", "view_reviews", "purchase"
  };

  @Test
  @EnabledIfSystemProperty(named = "persona.soak.seconds", matches = "\\d+")
  void mixedTrafficFromSeveralThreads() throws Exception {
    long seconds = Long.getLong("persona.soak.seconds");
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.inMemory(50_000).build())
            .build();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      results.add(pool.submit(() -> traffic(engine, new SplittableRandom(seed), end)));
    }
    long maxHeap = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(1_000);
      Runtime r = Runtime.getRuntime();
      maxHeap = Math.max(maxHeap, r.totalMemory() - r.freeMemory());
    }
    long[] all = new long[0];
    for (Future<long[]> f : results) {
      long[] mine = f.get(1, TimeUnit.MINUTES);
      long[] joined = Arrays.copyOf(all, all.length + mine.length);
      System.arraycopy(mine, 0, joined, all.length, mine.length);
      all = joined;
    }
    pool.shutdown();
    Arrays.sort(all);
    System.gc();
    Runtime r = Runtime.getRuntime();
    long heapAfterGc = r.totalMemory() - r.freeMemory();
    System.out.printf(
        "soak: %d threads, %d s, %,d decisions (latency sampled every 16th): p50 %,d ns,"
            + " p99 %,d ns, p99.9 %,d ns, max %,d ns; heap in use peaked at %,d MB, %,d MB after GC at the end; %s%n",
        threads,
        seconds,
        engine.stats().decisions(),
        at(all, 0.50),
        at(all, 0.99),
        at(all, 0.999),
        all[all.length - 1],
        maxHeap >> 20,
        heapAfterGc >> 20,
        engine.stats());
    assertThat(engine.stats().defaultDecisions()).isZero();
  }

  /** Returns sampled latencies (every 16th decision) of one thread's traffic. */
  private static long[] traffic(PersonaEngine engine, SplittableRandom random, long end) {
    long[] samples = new long[1 << 16];
    int n = 0;
    long i = 0;
    while (System.nanoTime() < end) {
      Visit.Builder b =
          Visit.builder("s" + random.nextInt(200_000))
              .header("User-Agent", AGENTS[random.nextInt(AGENTS.length)])
              .header("Accept-Language", "en-GB,en;q=0.8");
      if (random.nextInt(20) == 0) {
        b.header("Sec-GPC", "1");
      }
      for (int e = random.nextInt(3); e > 0; e--) {
        b.event(
            Event.builder(EVENTS[random.nextInt(EVENTS.length)])
                .attribute("category", "c" + random.nextInt(30))
                .build());
      }
      Visit visit = b.build();
      long start = System.nanoTime();
      engine.decide(visit);
      long took = System.nanoTime() - start;
      if ((i++ & 15) == 0) {
        if (n == samples.length) {
          samples = Arrays.copyOf(samples, n * 2);
        }
        samples[n++] = took;
      }
    }
    return Arrays.copyOf(samples, n);
  }

  private static long at(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
  }
}
