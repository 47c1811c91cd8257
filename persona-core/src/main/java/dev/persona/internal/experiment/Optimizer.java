package dev.persona.internal.experiment;

import dev.persona.Outcome;
import dev.persona.VariantStats;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.ruleset.Optimization;
import dev.persona.spi.StatsStore;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of outcome statistics: records increments in the {@link StatsStore}, keeps a
 * snapshot of it no older than the refresh interval, and picks variants of optimized placements by
 * Thompson sampling on that snapshot. Thread-safe; a failing store costs only the statistics.
 */
public final class Optimizer {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.outcomes");

  private final StatsStore store;
  private final long refreshNanos;
  private final RandomGenerator seeded;
  private final ThrottledLog failures = new ThrottledLog(LOG, 60_000);
  private final LongAdder storeFailures = new LongAdder();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile StatsIndex index = StatsIndex.EMPTY;
  private volatile long refreshedAt;
  private volatile boolean everRead;

  /**
   * @param store where the statistics are kept
   * @param refreshNanos how old the snapshot used for choosing may be; 0 reads the store each time
   * @param seed the seed of a shared, deterministic random source; null for per-thread randomness
   */
  public Optimizer(StatsStore store, long refreshNanos, Long seed) {
    this.store = store;
    this.refreshNanos = refreshNanos;
    this.seeded = seed == null ? null : new Locked(new SplittableRandom(seed));
  }

  /**
   * Adds an increment to the store, with its outcome's id when it has one; a failure is counted and
   * logged, never thrown.
   */
  public boolean record(@Nullable String outcomeId, VariantStats increment) {
    try {
      if (outcomeId == null) {
        store.add(increment);
      } else {
        store.add(outcomeId, increment);
      }
      return true;
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("stats store", e);
      return false;
    }
  }

  /** Returns the store's current totals, or null if it failed. */
  public List<VariantStats> snapshot() {
    try {
      return store.snapshot();
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("stats store", e);
      return null;
    }
  }

  /** Returns how often the store failed. */
  public long storeFailures() {
    return storeFailures.sum();
  }

  /**
   * Picks one of {@code n} eligible variants, {@code ids[0..n)}, for the segment.
   *
   * @return an index into {@code ids}
   */
  public int choose(
      String placement, String segment, String[] ids, int n, Optimization optimization) {
    if (n == 1) {
      return 0;
    }
    RandomGenerator random = random();
    Map<String, VariantStats> stats = current().of(placement, segment);
    Outcome.Kind goal = goal(optimization.goal());
    for (int i = 0; i < n; i++) {
      VariantStats s = stats.get(ids[i]);
      if (s == null || s.exposures() < optimization.warmup()) {
        return random.nextInt(n);
      }
    }
    if (random.nextDouble() < optimization.exploration()) {
      return random.nextInt(n);
    }
    int best = 0;
    double bestDraw = -1;
    for (int i = 0; i < n; i++) {
      VariantStats s = stats.get(ids[i]);
      long wins = Math.min(s.count(goal), s.exposures());
      double draw = Beta.sample((double) (1 + wins), (double) (1 + s.exposures() - wins), random);
      if (draw > bestDraw) {
        best = i;
        bestDraw = draw;
      }
    }
    return best;
  }

  /** Maps a placement's goal to the outcome counted as its conversion. */
  public static Outcome.Kind goal(Optimization.Goal goal) {
    switch (goal) {
      case CLICK:
        return Outcome.Kind.CLICK;
      case ADD_TO_CART:
        return Outcome.Kind.ADD_TO_CART;
      default:
        return Outcome.Kind.PURCHASE;
    }
  }

  private RandomGenerator random() {
    return seeded != null ? seeded : ThreadLocalRandom.current();
  }

  private StatsIndex current() {
    long now = System.nanoTime();
    if (everRead && now - refreshedAt < refreshNanos) {
      return index;
    }
    if (refreshNanos > 0 && !refreshing.compareAndSet(false, true)) {
      return index;
    }
    try {
      List<VariantStats> snapshot = snapshot();
      if (snapshot != null) {
        index = new StatsIndex(snapshot);
      }
      refreshedAt = now;
      everRead = true;
      return index;
    } finally {
      refreshing.set(false);
    }
  }

  /** A random generator made safe for threads by a lock; for seeded, reproducible tests. */
  private static final class Locked implements RandomGenerator {
    private final SplittableRandom random;

    Locked(SplittableRandom random) {
      this.random = random;
    }

    @Override
    public synchronized long nextLong() {
      return random.nextLong();
    }

    @Override
    public synchronized double nextDouble() {
      return random.nextDouble();
    }

    @Override
    public synchronized int nextInt(int bound) {
      return random.nextInt(bound);
    }

    @Override
    public synchronized double nextGaussian() {
      return random.nextGaussian();
    }
  }
}
