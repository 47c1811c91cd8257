package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A custom stats store that stalls holds up {@code decide} and {@code recordOutcome} for at most
 * {@link ExtensionConfig.Builder#statsStoreTimeout}, as the other extensions are bounded; an
 * increment that timed out and lands later counts once, and is a failure only if it then throws.
 */
final class StalledStatsStoreTest {
  private static final Duration TIMEOUT = Duration.ofMillis(50);

  /**
   * Generous: the machine is shared; what matters is that the calls return at all, and how soon.
   */
  private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.tiles",
                      Variant.builder("deals").build(),
                      Variant.builder("popular").asDefault().build())
                  .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.05)))
          .build();

  private static PersonaEngine engine(RuleSet rules, StatsStore stats, Duration timeout) {
    return PersonaEngine.builder()
        .ruleSet(rules)
        .experiments(
            ExperimentConfig.builder()
                .statsStore(stats)
                .statsRefresh(Duration.ofHours(1)) // one snapshot read, at the first decision
                .build())
        .extensions(ExtensionConfig.builder().statsStoreTimeout(timeout).build())
        .build();
  }

  private static PersonaEngine engine(StatsStore stats, Duration timeout) {
    return engine(RULES, stats, timeout);
  }

  /** An exposure without an id, which counts every time it is applied. */
  private static Outcome exposure() {
    return Outcome.builder(Outcome.Kind.EXPOSURE, "s1", "home.hero", "new-season").build();
  }

  private static long timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return System.nanoTime() - start;
  }

  @Test
  void aStalledSnapshot_holdsUpDecideForAtMostTheLimit_thenCallsFailAtOnce_untilItReturns()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Stalling store = new Stalling(release, false);
    try (PersonaEngine engine = engine(store, TIMEOUT)) {
      Decision[] d = new Decision[1];
      long decide = timed(() -> d[0] = engine.decide(Visit.builder("s1").build()));
      long record = timed(() -> engine.recordOutcome(exposure()));

      assertThat(decide).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
      assertThat(record).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
      assertThat(store.entered)
          .hasValue(1); // the exposure was not handed over: the snapshot is overdue
      assertThat(d[0].flags()).isEmpty();
      assertThat(d[0].variant("home.tiles").basis()).isEqualTo(VariantChoice.Basis.OPTIMIZED);
      assertThat(engine.stats().statsStoreTimeouts()).isEqualTo(1);
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(2); // the snapshot, the exposure

      release.countDown();
      store.awaitReturned(1);
      // the store is called again once the overdue call is done, a moment after it returned
      Outcome again =
          Outcome.builder(Outcome.Kind.EXPOSURE, "s1", "home.hero", "new-season").id("x").build();
      int attempts = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (store.returned.get() < 2 && System.nanoTime() < deadline) {
        engine.recordOutcome(again);
        attempts++;
      }

      assertThat(store.totals.snapshot())
          .singleElement()
          .satisfies(s -> assertThat(s.exposures()).isEqualTo(1));
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(2 + attempts - 1);
      assertThat(engine.stats().statsStoreTimeouts()).isEqualTo(1);
      assertThat(store.threads).doesNotContain(Thread.currentThread().getName());
    } finally {
      release.countDown();
    }
  }

  @Test
  void anIncrementThatTimedOut_isLeftToLand_andCountsOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Stalling store = new Stalling(release, false);
    try (PersonaEngine engine = engine(TestRules.ruleSet(), store, TIMEOUT)) {
      String log =
          CapturedLog.during(
              () -> {
                long first = timed(() -> engine.recordOutcome(exposure()));
                long retried = timed(() -> engine.recordOutcome(exposure()));
                assertThat(first).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
                assertThat(retried).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
              });
      assertThat(store.entered).hasValue(1);
      assertThat(engine.stats().statsStoreTimeouts()).isEqualTo(1);
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(1); // the retry, not made

      release.countDown();
      store.awaitReturned(1);

      assertThat(store.totals.snapshot())
          .singleElement()
          .satisfies(s -> assertThat(s.exposures()).isEqualTo(1));
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(1);
      assertThat(log) // once a minute at most
          .containsOnlyOnce("stats store")
          .contains("stats store timed out after 50 ms; the increment may still be applied, once");
    } finally {
      release.countDown();
    }
  }

  @Test
  void anIncrementThatTimedOut_andThenThrows_countsAsAFailure() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Stalling store = new Stalling(release, true);
    try (PersonaEngine engine = engine(TestRules.ruleSet(), store, TIMEOUT)) {
      engine.recordOutcome(exposure());
      assertThat(engine.stats().statsStoreTimeouts()).isEqualTo(1);
      assertThat(engine.stats().statsStoreFailures()).isZero();

      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (engine.stats().statsStoreFailures() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5); // the late call lands on its own thread
      }

      assertThat(store.thrown).hasValue(1);
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(1);
      assertThat(engine.stats().statsStoreTimeouts()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aStoreThatBoundsItsOwnCalls_andAZeroLimit_areCalledOnTheRequestThread() {
    CountDownLatch open = new CountDownLatch(0);
    Stalling bounded = new Stalling(open, false, true);
    Stalling unbounded = new Stalling(open, false);
    try (PersonaEngine a = engine(bounded, TIMEOUT);
        PersonaEngine b = engine(unbounded, Duration.ZERO)) {
      for (PersonaEngine e : List.of(a, b)) {
        e.decide(Visit.builder("s1").build());
        e.recordOutcome(exposure());
      }
    }

    String me = Thread.currentThread().getName();
    assertThat(bounded.threads).containsOnly(me);
    assertThat(unbounded.threads).containsOnly(me);
  }

  /**
   * An in-memory store whose calls wait until released, ignoring interrupts, and then add (or
   * throw), recording the threads they ran on.
   */
  private static final class Stalling implements StatsStore {
    final StatsStore totals = StatsStore.inMemory(100);
    private final CountDownLatch release;
    private final boolean fail;
    private final boolean bounded;
    final AtomicInteger entered = new AtomicInteger();
    final AtomicInteger returned = new AtomicInteger();
    final AtomicInteger thrown = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    Stalling(CountDownLatch release, boolean fail) {
      this(release, fail, false);
    }

    Stalling(CountDownLatch release, boolean fail, boolean bounded) {
      this.release = release;
      this.fail = fail;
      this.bounded = bounded;
    }

    @Override
    public void add(VariantStats increment) {
      await();
      if (fail) {
        thrown.incrementAndGet();
        throw new IllegalStateException("the store is down");
      }
      totals.add(increment);
      returned.incrementAndGet();
    }

    @Override
    public List<VariantStats> snapshot() {
      await();
      List<VariantStats> out = totals.snapshot();
      returned.incrementAndGet();
      return out;
    }

    @Override
    public boolean boundsCallTime() {
      return bounded;
    }

    private void await() {
      entered.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits for {@code n} calls to return, late ones on their own threads. */
    void awaitReturned(int n) throws InterruptedException {
      awaitCount(returned, n);
    }

    /** Waits for the late calls to land; the test fails on its own timeout if they never do. */
    private static void awaitCount(AtomicInteger count, int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (count.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(count.get()).isEqualTo(n);
    }
  }
}
