package dev.persona.internal.experiment;

import dev.persona.DiscountedCounts;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.spi.StatsStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link StatsStore}: adders in a bounded concurrent map, one per placement, variant,
 * segment, basis and experiment, and the ids of recent outcomes ({@link RecentIds}) so that each is
 * counted once. Discounted counts, when an increment has them, are added under the combination's
 * lock ({@link DiscountedCounts#plus}). Thread-safe.
 */
public final class InMemoryStatsStore implements StatsStore {
  /** The most outcome ids remembered, as {@code StatsStore.inMemory} documents. */
  public static final int MAX_OUTCOME_IDS = 100_000;

  /** How long an outcome id is remembered, as {@code StatsStore.inMemory} documents. */
  public static final long OUTCOME_ID_TTL_NANOS = TimeUnit.HOURS.toNanos(1);

  private final int maxEntries;
  private final ConcurrentHashMap<Key, Totals> totals = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final RecentIds ids;

  public InMemoryStatsStore(int maxEntries) {
    this(maxEntries, MAX_OUTCOME_IDS, OUTCOME_ID_TTL_NANOS, System::nanoTime);
  }

  /**
   * @param maxEntries the most combinations kept, positive
   * @param maxIds the most outcome ids remembered
   * @param idTtlNanos how long an outcome id is remembered
   * @param ticker the time in nanoseconds, never decreasing
   */
  InMemoryStatsStore(int maxEntries, int maxIds, long idTtlNanos, LongSupplier ticker) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.ids = new RecentIds(maxIds, idTtlNanos, ticker);
  }

  @Override
  public void add(VariantStats increment) {
    Objects.requireNonNull(increment, "increment");
    Totals t = totals(increment);
    if (t != null) {
      t.add(increment);
    }
  }

  /** Adds the increment unless its id was added within the window of remembered ids. */
  @Override
  public void add(String outcomeId, VariantStats increment) {
    Objects.requireNonNull(outcomeId, "outcomeId");
    Objects.requireNonNull(increment, "increment");
    Totals t = totals(increment);
    if (t == null) {
      return;
    }
    if (!ids.add(outcomeId)) {
      duplicates.increment();
      return;
    }
    t.add(increment);
  }

  /** Returns the totals of the increment's combination, or null, counted, if the map is full. */
  private @Nullable Totals totals(VariantStats increment) {
    Key key =
        new Key(
            increment.placement(),
            increment.variant(),
            increment.segment(),
            increment.basis(),
            increment.experiment());
    Totals t = totals.get(key);
    if (t == null) {
      if (size.get() >= maxEntries) {
        dropped.increment();
        return null;
      }
      t = totals.computeIfAbsent(key, k -> newTotals());
      if (t == null) {
        dropped.increment();
        return null;
      }
    }
    return t;
  }

  private Totals newTotals() {
    if (size.incrementAndGet() > maxEntries) {
      size.decrementAndGet();
      return null;
    }
    return new Totals();
  }

  @Override
  public List<VariantStats> snapshot() {
    List<VariantStats> out = new ArrayList<>(totals.size());
    totals.forEach((k, t) -> out.add(t.read(k)));
    return out;
  }

  /** Returns true: its calls never wait. */
  @Override
  public boolean boundsCallTime() {
    return true;
  }

  /** Returns how many increments were dropped because the store was full. */
  public long dropped() {
    return dropped.sum();
  }

  /** Returns how many increments were not added because their outcome id had been. */
  public long duplicates() {
    return duplicates.sum();
  }

  @Override
  public String toString() {
    return "InMemoryStatsStore[" + totals.size() + " of " + maxEntries + "]";
  }

  /** A combination: placement, variant, segment, basis and experiment. */
  private record Key(
      String placement,
      String variant,
      @Nullable String segment,
      VariantChoice.@Nullable Basis basis,
      @Nullable String experiment) {}

  private static final class Totals {
    final LongAdder exposures = new LongAdder();
    final LongAdder clicks = new LongAdder();
    final LongAdder addsToCart = new LongAdder();
    final LongAdder purchases = new LongAdder();
    final DoubleAdder value = new DoubleAdder();
    private @Nullable DiscountedCounts discounted;

    void add(VariantStats s) {
      DiscountedCounts d = s.discounted();
      if (d != null) {
        synchronized (this) {
          discounted = discounted == null ? d : discounted.plus(d);
        }
      }
      addIf(exposures, s.exposures());
      addIf(clicks, s.clicks());
      addIf(addsToCart, s.addsToCart());
      addIf(purchases, s.purchases());
      if (s.value() != 0) {
        value.add(s.value());
      }
    }

    private static void addIf(LongAdder a, long n) {
      if (n != 0) {
        a.add(n);
      }
    }

    VariantStats read(Key k) {
      return VariantStats.builder(k.placement, k.variant, k.segment)
          .basis(k.basis)
          .experiment(k.experiment)
          .exposures(exposures.sum())
          .clicks(clicks.sum())
          .addsToCart(addsToCart.sum())
          .purchases(purchases.sum())
          .value(value.sum())
          .discounted(discounted())
          .build();
    }

    private synchronized @Nullable DiscountedCounts discounted() {
      return discounted;
    }
  }
}
