package dev.persona.internal.session;

import dev.persona.spi.SessionState;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's {@link SessionState}: decayed behaviour counts with their raw totals, bounded
 * category and brand affinities, open cart items and declared attributes. Immutable: every update
 * makes a new instance, so stores may share instances between threads freely.
 */
public final class SessionData implements SessionState {
  static final String[] NO_KEYS = new String[0];
  static final double[] NO_WEIGHTS = new double[0];
  static final Object[] NO_VALUES = new Object[0];
  private static final byte[] NO_COUNTERS = new byte[0];
  private static final int[] NO_TOTALS = new int[0];

  final long firstSeen;
  final long lastSeen;
  final int requests;

  /** Ordinals of the counters seen, ascending; {@link #decayed} and {@link #totals} follow them. */
  private final byte[] counters;

  private final double[] decayed;
  private final int[] totals;
  final int cartItems;
  final String[] categoryKeys;
  final double[] categoryWeights;
  final String[] brandKeys;
  final double[] brandWeights;
  final String[] declaredKeys;
  final Object[] declaredValues;
  final ProductMemory products;
  final Exposures exposures;

  /** Declared attributes evicted by the last update to respect the limit; not serialized. */
  final transient int evicted;

  SessionData(
      long firstSeen,
      long lastSeen,
      int requests,
      double[] decayed,
      int[] totals,
      int cartItems,
      String[] categoryKeys,
      double[] categoryWeights,
      String[] brandKeys,
      double[] brandWeights,
      String[] declaredKeys,
      Object[] declaredValues,
      ProductMemory products,
      Exposures exposures,
      int evicted) {
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
    this.requests = requests;
    int used = 0;
    for (int t : totals) {
      if (t > 0) {
        used++;
      }
    }
    this.counters = used == 0 ? NO_COUNTERS : new byte[used];
    this.decayed = used == 0 ? NO_WEIGHTS : new double[used];
    this.totals = used == 0 ? NO_TOTALS : new int[used];
    for (int i = 0, k = 0; i < totals.length; i++) {
      if (totals[i] > 0) {
        this.counters[k] = (byte) i;
        this.decayed[k] = decayed[i];
        this.totals[k++] = totals[i];
      }
    }
    this.cartItems = cartItems;
    this.categoryKeys = categoryKeys;
    this.categoryWeights = categoryWeights;
    this.brandKeys = brandKeys;
    this.brandWeights = brandWeights;
    this.declaredKeys = declaredKeys;
    this.declaredValues = declaredValues;
    this.products = products;
    this.exposures = exposures;
    this.evicted = evicted;
  }

  static SessionData fresh(long now) {
    int n = Counter.count();
    return new SessionData(
        now,
        now,
        0,
        new double[n],
        new int[n],
        0,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_VALUES,
        ProductMemory.NONE,
        Exposures.NONE,
        0);
  }

  @Override
  public Instant lastSeen() {
    return Instant.ofEpochMilli(lastSeen);
  }

  @Override
  public byte[] toBytes() {
    return SessionCodec.encode(this);
  }

  public long firstSeenMillis() {
    return firstSeen;
  }

  public long lastSeenMillis() {
    return lastSeen;
  }

  public int requests() {
    return requests;
  }

  public double decayed(Counter c) {
    int at = slot(c);
    return at < 0 ? 0 : decayed[at];
  }

  public int total(Counter c) {
    int at = slot(c);
    return at < 0 ? 0 : totals[at];
  }

  private int slot(Counter c) {
    for (int i = 0; i < counters.length; i++) {
      if (counters[i] == c.ordinal()) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the decayed counts, indexed by counter ordinal; a new array. */
  double[] denseDecayed() {
    double[] out = new double[Counter.count()];
    for (int i = 0; i < counters.length; i++) {
      out[counters[i]] = decayed[i];
    }
    return out;
  }

  /** Returns the raw totals, indexed by counter ordinal; a new array. */
  int[] denseTotals() {
    int[] out = new int[Counter.count()];
    for (int i = 0; i < counters.length; i++) {
      out[counters[i]] = totals[i];
    }
    return out;
  }

  public int cartItems() {
    return cartItems;
  }

  /** Returns the recently viewed products and the open cart's items. */
  public ProductMemory products() {
    return products;
  }

  /** Returns the last exposure of each placement. */
  public Exposures exposures() {
    return exposures;
  }

  /**
   * Returns this state with an exposure recorded as its placement's latest.
   *
   * @param placement the placement
   * @param variant the variant shown
   * @param segment the primary persona at decision time, or ""
   * @param atMillis when it was shown
   */
  public SessionData withExposure(String placement, String variant, String segment, long atMillis) {
    return new SessionData(
        firstSeen,
        lastSeen,
        requests,
        denseDecayed(),
        denseTotals(),
        cartItems,
        categoryKeys,
        categoryWeights,
        brandKeys,
        brandWeights,
        declaredKeys,
        declaredValues,
        products,
        exposures.with(placement, variant, segment, atMillis),
        0);
  }

  public int evicted() {
    return evicted;
  }

  /** Returns the category with the highest weight, or null. */
  public String topCategory() {
    return top(categoryKeys, categoryWeights);
  }

  /** Returns the brand with the highest weight, or null. */
  public String topBrand() {
    return top(brandKeys, brandWeights);
  }

  /** Returns the top brand's share of all brand weight, or NaN when there is none. */
  public double topBrandShare() {
    double sum = 0;
    double max = 0;
    for (double w : brandWeights) {
      sum += w;
      max = Math.max(max, w);
    }
    return sum > 0 ? max / sum : Double.NaN;
  }

  /** Returns the declared attributes kept, in the order first declared. */
  public Map<String, Object> declared() {
    if (declaredKeys.length == 0) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < declaredKeys.length; i++) {
      out.put(declaredKeys[i], declaredValues[i]);
    }
    return out;
  }

  private static String top(String[] keys, double[] weights) {
    String best = null;
    double bestWeight = 0;
    for (int i = 0; i < keys.length; i++) {
      if (weights[i] > bestWeight) {
        best = keys[i];
        bestWeight = weights[i];
      }
    }
    return best;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionData d
        && firstSeen == d.firstSeen
        && lastSeen == d.lastSeen
        && requests == d.requests
        && cartItems == d.cartItems
        && Arrays.equals(counters, d.counters)
        && Arrays.equals(decayed, d.decayed)
        && Arrays.equals(totals, d.totals)
        && Arrays.equals(categoryKeys, d.categoryKeys)
        && Arrays.equals(categoryWeights, d.categoryWeights)
        && Arrays.equals(brandKeys, d.brandKeys)
        && Arrays.equals(brandWeights, d.brandWeights)
        && Arrays.equals(declaredKeys, d.declaredKeys)
        && Arrays.equals(declaredValues, d.declaredValues)
        && products.equals(d.products)
        && exposures.equals(d.exposures);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(firstSeen) * 31 + Long.hashCode(lastSeen) * 17 + Arrays.hashCode(totals);
  }

  /** Returns counts only: a session's state is personal data. */
  @Override
  public String toString() {
    return "SessionData{requests=" + requests + ", declared=" + declaredKeys.length + "}";
  }
}
