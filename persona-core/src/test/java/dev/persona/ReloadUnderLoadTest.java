package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "hot reload under load": {@value #DECIDERS} threads decide at full speed while the rules
 * are reloaded {@value #RELOADS} times, every third reload invalid. No decision fails, each names a
 * valid version, and nothing blocks: the longest single {@code decide} and the longest single
 * {@code reload} each stay under {@link #BOUND} (a bound for a loaded 2-core machine; both take
 * well under a millisecond on a quiet one), and decisions are served under at least {@value
 * #MIN_VERSIONS_SEEN} distinct versions, so they overlapped the reloads.
 */
final class ReloadUnderLoadTest {
  private static final int RELOADS = 2_000;
  private static final int DECIDERS = 4;
  private static final Duration BOUND = Duration.ofSeconds(1);
  private static final int MIN_VERSIONS_SEEN = 20;

  @Test
  void reloadingThousandsOfTimes_failsNoDecisionServesOnlyValidVersions_andNothingBlocks()
      throws Exception {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(version(0)).build();
    Set<String> valid = ConcurrentHashMap.newKeySet();
    valid.add("v0");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean reloading = new AtomicBoolean(true);
    AtomicLong decisions = new AtomicLong();
    AtomicLong bad = new AtomicLong();
    AtomicLong slowestDecide = new AtomicLong();
    CountDownLatch deciding = new CountDownLatch(DECIDERS);
    ExecutorService pool = Executors.newFixedThreadPool(DECIDERS);
    List<Future<?>> deciders = new ArrayList<>();
    for (int t = 0; t < DECIDERS; t++) {
      int thread = t;
      deciders.add(
          pool.submit(
              () -> {
                long i = 0;
                long slowest = 0;
                do {
                  Visit visit =
                      Visit.builder("s" + thread + "-" + (i++ % 100))
                          .event(Event.of("apply_coupon"))
                          .build();
                  long start = System.nanoTime();
                  Decision d = engine.decide(visit);
                  slowest = Math.max(slowest, System.nanoTime() - start);
                  decisions.incrementAndGet();
                  seen.add(d.ruleSetVersion());
                  if (!d.flags().isEmpty() || !valid.contains(d.ruleSetVersion())) {
                    bad.incrementAndGet();
                  }
                  deciding.countDown();
                } while (reloading.get());
                slowestDecide.accumulateAndGet(slowest, Math::max);
              }));
    }
    assertThat(deciding.await(30, TimeUnit.SECONDS)).isTrue();
    long started = System.nanoTime();
    long slowestReload = 0;
    int refused = 0;
    for (int i = 1; i <= RELOADS; i++) {
      long start = System.nanoTime();
      if (i % 3 == 0) {
        try {
          engine.reload(broken(i));
        } catch (RuleSetException expected) {
          refused++;
        }
      } else {
        RuleSet next = version(i);
        valid.add(next.version());
        engine.reload(next);
      }
      slowestReload = Math.max(slowestReload, System.nanoTime() - start);
    }
    long stormMillis = (System.nanoTime() - started) / 1_000_000;
    reloading.set(false);
    for (Future<?> f : deciders) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "reload under load: %d reloads in %d ms while %d threads made %d decisions under %d"
            + " versions; slowest decide %.3f ms, slowest reload %.3f ms%n",
        RELOADS,
        stormMillis,
        DECIDERS,
        decisions.get(),
        seen.size(),
        slowestDecide.get() / 1e6,
        slowestReload / 1e6);

    assertThat(refused).isEqualTo(RELOADS / 3);
    assertThat(bad.get()).isZero();
    assertThat(decisions.get()).isPositive();
    assertThat(seen).hasSizeGreaterThanOrEqualTo(MIN_VERSIONS_SEEN);
    assertThat(slowestDecide.get()).as("slowest decide, ns").isLessThan(BOUND.toNanos());
    assertThat(slowestReload).as("slowest reload, ns").isLessThan(BOUND.toNanos());
    assertThat(engine.ruleSet().version()).isEqualTo("v" + RELOADS);
    assertThat(engine.stats().defaultDecisions()).isZero();
  }

  private static RuleSet version(int i) {
    return TestRules.ruleSet().toBuilder()
        .version("v" + i)
        .rule(
            Rule.builder("coupon")
                .when(Condition.gte("coupons_applied", 1))
                .add("value_hunter", 0.4 + i % 5 / 10.0)
                .build())
        .build();
  }

  /** Compiles as a model but not against the engine: it tests a signal that does not exist. */
  private static RuleSet broken(int i) {
    return version(i).toBuilder()
        .version("broken-" + i)
        .rule(
            Rule.builder("typo")
                .when(Condition.gte("coupon_applied", 1))
                .add("value_hunter", 0.1)
                .build())
        .build();
  }
}
