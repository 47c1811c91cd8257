package dev.persona.internal.experiment;

import dev.persona.VariantStats;
import dev.persona.spi.StatsStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** The default {@link StatsStore}: adders in a bounded concurrent map. Thread-safe. */
public final class InMemoryStatsStore implements StatsStore {
  private final int maxEntries;
  private final ConcurrentHashMap<Key, Totals> totals = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();

  public InMemoryStatsStore(int maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public void add(VariantStats increment) {
    Objects.requireNonNull(increment, "increment");
    Key key = new Key(increment.placement(), increment.variant(), increment.segment());
    Totals t = totals.get(key);
    if (t == null) {
      if (size.get() >= maxEntries) {
        dropped.increment();
        return;
      }
      t = totals.computeIfAbsent(key, k -> newTotals());
      if (t == null) {
        dropped.increment();
        return;
      }
    }
    t.add(increment);
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

  /** Returns how many increments were dropped because the store was full. */
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public String toString() {
    return "InMemoryStatsStore[" + totals.size() + " of " + maxEntries + "]";
  }

  private record Key(String placement, String variant, @Nullable String segment) {}

  private static final class Totals {
    final LongAdder exposures = new LongAdder();
    final LongAdder clicks = new LongAdder();
    final LongAdder addsToCart = new LongAdder();
    final LongAdder purchases = new LongAdder();
    final DoubleAdder value = new DoubleAdder();

    void add(VariantStats s) {
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
          .exposures(exposures.sum())
          .clicks(clicks.sum())
          .addsToCart(addsToCart.sum())
          .purchases(purchases.sum())
          .value(value.sum())
          .build();
    }
  }
}
