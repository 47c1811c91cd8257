package dev.persona.internal.experiment;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
import dev.persona.VariantStats;
import dev.persona.internal.extension.TimedStatsStore;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.StatsStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of outcome statistics: records increments in the {@link StatsStore}, keeps a
 * snapshot of it no older than the refresh interval, and picks variants of optimized placements by
 * Thompson sampling on that snapshot. Thread-safe; a failing store costs only the statistics.
 *
 * <p>For an optimized placement with a half-life of evidence, each increment also carries its
 * {@link DiscountedCounts}, recorded at the point the snapshot shows: the placement's exposures in
 * the segment over all variants (at most the refresh interval's traffic behind, on every instance
 * alike). Sampling decays each variant's discounted counts to that point; when a variant of the
 * segment has none (a store that does not keep them, or counts from before they were kept), the
 * segment is sampled on its whole counts. Recording such an increment may read the snapshot, at
 * most once per refresh interval, on the recording thread, so that an instance that only records
 * outcomes records them at the right point too.
 */
public final class Optimizer {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.outcomes");

  private final StatsStore store;
  private final LongSupplier wallMillis;
  private final long refreshNanos;
  private final RandomGenerator seeded;
  private final ThrottledLog failures = new ThrottledLog(LOG, 60_000);
  private final LongAdder storeFailures = new LongAdder();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile StatsIndex index = StatsIndex.EMPTY;
  private volatile Map<String, Integer> halfLives = Map.of();
  private volatile KnownOutcomes known = KnownOutcomes.NONE;
  private volatile long refreshedAt;
  private volatile boolean everRead;

  /**
   * @param store where the statistics are kept
   * @param refreshNanos how old the snapshot used for choosing may be; 0 reads the store each time
   * @param seed the seed of a shared, deterministic random source; null for per-thread randomness
   * @param wallMillis the engine's clock, which says whether scheduled experiments run
   */
  public Optimizer(StatsStore store, long refreshNanos, Long seed, LongSupplier wallMillis) {
    this.store = store;
    this.wallMillis = wallMillis;
    this.refreshNanos = refreshNanos;
    this.seeded = seed == null ? null : new Locked(new SplittableRandom(seed));
  }

  /**
   * Takes the rule set's placements, variants and personas, which the increments recorded from now
   * on must name ({@link #knows}), and the half-lives of evidence of its optimized placements.
   */
  public void placements(RuleSet rules) {
    known = KnownOutcomes.of(rules);
    Map<String, Integer> h = new HashMap<>();
    for (Placement p : rules.placements()) {
      Optimization o = p.optimization();
      if (o != null && o.halfLife() > 0) {
        h.put(p.id(), o.halfLife());
      }
    }
    halfLives = Map.copyOf(h);
  }

  /**
   * Returns whether the current rule set has the placement, the variant in it and the segment (a
   * persona id, or null), and the placement's experiment runs now if it has a start or end: only
   * such increments may be recorded.
   */
  public boolean knows(String placement, String variant, @Nullable String segment) {
    return known.knows(placement, variant, segment, wallMillis.getAsLong());
  }

  /**
   * Adds an increment to the store, with its outcome's id when it has one, and with its discounted
   * counts when its placement is optimized with a half-life; a failure is counted and logged, never
   * thrown. An increment of a time-limited store that took longer than its limit is logged, and
   * left to land: it is not a failure unless the store then throws.
   *
   * @return true if the store took it or may still apply it; false if it failed
   */
  public boolean record(@Nullable String outcomeId, VariantStats increment) {
    increment = discounted(increment);
    try {
      if (outcomeId == null) {
        store.add(increment);
      } else {
        store.add(outcomeId, increment);
      }
      return true;
    } catch (TimedStatsStore.Pending e) {
      failures.failure("stats store", e);
      return true;
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("stats store", e);
      return false;
    }
  }

  /** Returns the increment with its discounted counts, at the point the snapshot shows. */
  private VariantStats discounted(VariantStats s) {
    Integer h = halfLives.get(s.placement());
    if (h == null
        || s.discounted() != null
        || s.exposures() < 0
        || s.clicks() < 0
        || s.addsToCart() < 0
        || s.purchases() < 0) {
      return s;
    }
    long at = current().of(s.placement(), s.segment()).exposures;
    return VariantStats.builder(s.placement(), s.variant(), s.segment())
        .exposures(s.exposures())
        .clicks(s.clicks())
        .addsToCart(s.addsToCart())
        .purchases(s.purchases())
        .value(s.value())
        .discounted(
            DiscountedCounts.of(
                Math.max(0, at),
                h,
                (double) s.exposures(),
                (double) s.clicks(),
                (double) s.addsToCart(),
                (double) s.purchases()))
        .build();
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

  /**
   * Returns the placement's exposures in the store's totals, over all variants and segments, as
   * last read: reads the store if the snapshot is older than the refresh interval.
   */
  long exposures(String placement) {
    return current().exposures(placement);
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
    StatsIndex.Segment seg = current().of(placement, segment);
    Map<String, StatsIndex.Row> stats = seg.byVariant;
    Outcome.Kind goal = goal(optimization.goal());
    int halfLife = optimization.halfLife();
    boolean discounted = halfLife > 0;
    for (int i = 0; i < n; i++) {
      StatsIndex.Row r = stats.get(ids[i]);
      if (r == null || r.stats.exposures() < optimization.warmup()) {
        return random.nextInt(n);
      }
      discounted &= r.halfLife > 0;
    }
    if (random.nextDouble() < optimization.exploration()) {
      return random.nextInt(n);
    }
    int best = 0;
    double bestDraw = -1;
    for (int i = 0; i < n; i++) {
      StatsIndex.Row r = stats.get(ids[i]);
      double trials;
      double wins;
      if (!discounted) {
        trials = r.stats.exposures();
        wins = Math.min(r.stats.count(goal), r.stats.exposures());
      } else if (r.halfLife == halfLife) {
        trials = r.exposures;
        wins = Math.min(r.count(goal), trials);
      } else {
        // the half-life changed since these counts were added: decay them by the new one
        DiscountedCounts d = r.stats.discounted();
        double f = DiscountedCounts.decay(d.at(), seg.exposures, halfLife);
        trials = d.exposures() * f;
        wins = Math.min(d.count(goal) * f, trials);
      }
      double draw = Beta.sample(1 + wins, 1 + trials - wins, random);
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
