package dev.persona.internal.experiment;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.internal.extension.TimedStatsStore;
import dev.persona.internal.report.Fatal;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.StatsStore;
import java.util.Arrays;
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
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      storeFailures.increment();
      failures.failure("stats store", e);
      return false;
    }
  }

  /** Returns the increment with its discounted counts, at the point the snapshot shows. */
  private VariantStats discounted(VariantStats s) {
    Integer h = halfLives.get(s.placement());
    if (h == null
        || s.basis() != VariantChoice.Basis.OPTIMIZED
        || s.discounted() != null
        || s.exposures() < 0
        || s.clicks() < 0
        || s.addsToCart() < 0
        || s.purchases() < 0) {
      return s;
    }
    long at = current().of(s.placement(), s.segment()).exposures;
    return VariantStats.builder(s.placement(), s.variant(), s.segment())
        .basis(s.basis())
        .experiment(s.experiment())
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
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
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
   * Picks one of {@code n} eligible variants, {@code ids[0..n)}, for the segment, by the evidence
   * of the placement's own ({@linkplain dev.persona.VariantChoice.Basis#OPTIMIZED optimized})
   * choices, and puts the probability of the pick in {@code probability[0]}: exact during warm-up,
   * else within about 1e-5 ({@link #probabilities}).
   *
   * @param mask the eligible variants' bits by their index in the placement, the sign bit for any
   *     beyond the 63rd; the key of the probabilities kept per snapshot
   * @return an index into {@code ids}
   */
  public int choose(
      String placement,
      String segment,
      String[] ids,
      int n,
      Optimization optimization,
      long mask,
      double[] probability) {
    if (n == 1) {
      probability[0] = 1;
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
        probability[0] = 1.0 / n;
        return random.nextInt(n);
      }
      discounted &= r.halfLife > 0;
    }
    double explore = optimization.exploration();
    if (random.nextDouble() < explore) {
      int pick = random.nextInt(n);
      probability[0] =
          explore / n
              + (1 - explore) * probabilities(seg, ids, n, goal, halfLife, discounted, mask)[pick];
      return pick;
    }
    int best = 0;
    double bestDraw = -1;
    double[] shape = new double[2];
    for (int i = 0; i < n; i++) {
      shapes(seg, stats.get(ids[i]), goal, halfLife, discounted, shape, 0);
      double draw = Beta.sample(shape[0], shape[1], random);
      if (draw > bestDraw) {
        best = i;
        bestDraw = draw;
      }
    }
    probability[0] =
        explore / n
            + (1 - explore) * probabilities(seg, ids, n, goal, halfLife, discounted, mask)[best];
    return best;
  }

  /**
   * Puts the shape parameters of a variant's Beta posterior in {@code into[at]} and {@code into[at
   * + 1]}: its whole counts, or its discounted counts decayed to the segment's point (by a changed
   * half-life when the placement's half-life changed since they were added).
   */
  private static void shapes(
      StatsIndex.Segment seg,
      StatsIndex.Row r,
      Outcome.Kind goal,
      int halfLife,
      boolean discounted,
      double[] into,
      int at) {
    double trials;
    double wins;
    if (!discounted) {
      trials = r.stats.exposures();
      wins = Math.min(r.stats.count(goal), r.stats.exposures());
    } else if (r.halfLife == halfLife) {
      trials = r.exposures;
      wins = Math.min(r.count(goal), trials);
    } else {
      DiscountedCounts d = r.stats.discounted();
      double f = DiscountedCounts.decay(d.at(), seg.exposures, halfLife);
      trials = d.exposures() * f;
      wins = Math.min(d.count(goal) * f, trials);
    }
    into[at] = 1 + wins;
    into[at + 1] = 1 + trials - wins;
  }

  /**
   * Returns, for each of the eligible variants, the probability that its posterior gives the
   * highest draw: by {@link Posteriors} (within 1e-5) for up to {@value #INTEGRATED} variants, else
   * by {@value #DRAWS} seeded draws (standard error at most 0.005). Computed once per snapshot,
   * segment, set of eligible variants, goal and half-life, on the first thread that needs it.
   */
  private static double[] probabilities(
      StatsIndex.Segment seg,
      String[] ids,
      int n,
      Outcome.Kind goal,
      int halfLife,
      boolean discounted,
      long mask) {
    Object key =
        mask >= 0
            ? new ProbabilityKey(mask, goal, discounted ? halfLife : -1, null)
            : new ProbabilityKey(
                0,
                goal,
                discounted ? halfLife : -1,
                String.join("\n", Arrays.asList(ids).subList(0, n)));
    double[] cached = seg.probabilities.get(key);
    if (cached != null) {
      return cached;
    }
    double[] a = new double[n];
    double[] b = new double[n];
    double[] shape = new double[2];
    for (int i = 0; i < n; i++) {
      shapes(seg, seg.byVariant.get(ids[i]), goal, halfLife, discounted, shape, 0);
      a[i] = shape[0];
      b[i] = shape[1];
    }
    double[] p;
    if (n <= INTEGRATED) {
      p = Posteriors.of(a, b, 0.95).probabilityBest;
    } else {
      p = new double[n];
      SplittableRandom random = new SplittableRandom(n);
      for (int d = 0; d < DRAWS; d++) {
        int best = 0;
        double top = -1;
        for (int i = 0; i < n; i++) {
          double x = Beta.sample(a[i], b[i], random);
          if (x > top) {
            best = i;
            top = x;
          }
        }
        p[best] += 1.0 / DRAWS;
      }
    }
    seg.probabilities.putIfAbsent(key, p);
    return p;
  }

  /** The most eligible variants whose probabilities are integrated; beyond, they are sampled. */
  static final int INTEGRATED = 16;

  /** The draws that estimate the probabilities of more than {@value #INTEGRATED} variants. */
  static final int DRAWS = 10_000;

  /** What the probabilities of a segment's picks depend on beyond the snapshot. */
  private record ProbabilityKey(long mask, Outcome.Kind goal, int halfLife, @Nullable String ids) {}

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
