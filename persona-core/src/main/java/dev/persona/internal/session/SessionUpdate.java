package dev.persona.internal.session;

import java.util.Arrays;
import java.util.Map;

/**
 * The pure function from a session's state and one visit's {@link Activity} to the new state.
 * Counts decay exponentially with a half-life: a count observed one half-life ago weighs 0.5.
 */
public final class SessionUpdate {
  /** The most recently viewed products a session keeps, unless the set limit is lower. */
  public static final int RECENT_PRODUCTS = 12;

  private final double lambdaPerMilli;
  private final int maxAffinityKeys;
  private final int maxDeclaredKeys;
  private final int maxRecentProducts;
  private final int maxCartProducts;

  /**
   * @param halfLifeMillis the half-life of behaviour, positive
   * @param maxAffinityKeys categories and brands each kept
   * @param maxDeclaredKeys declared attributes kept
   * @param maxProducts products kept in each of the recently viewed and the open cart
   */
  public SessionUpdate(
      long halfLifeMillis, int maxAffinityKeys, int maxDeclaredKeys, int maxProducts) {
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("half-life must be positive");
    }
    this.lambdaPerMilli = Math.log(2) / halfLifeMillis;
    this.maxAffinityKeys = maxAffinityKeys;
    this.maxDeclaredKeys = maxDeclaredKeys;
    this.maxRecentProducts = Math.min(RECENT_PRODUCTS, maxProducts);
    this.maxCartProducts = maxProducts;
  }

  /** Returns the weight now of something observed {@code ageMillis} ago. */
  public double weight(long ageMillis) {
    return ageMillis <= 0 ? 1.0 : Math.exp(-lambdaPerMilli * ageMillis);
  }

  /**
   * Returns the state after {@code activity}; {@code old} may be null for a new session. The
   * state's clock never runs backwards: a visit older than the state's last visit leaves it there,
   * and its events are weighted by their age at that later time.
   */
  public SessionData apply(SessionData old, Activity activity) {
    SessionData base = old == null ? SessionData.fresh(activity.atMillis()) : old;
    long now = Math.max(base.lastSeen, activity.atMillis());
    double factor = weight(now - base.lastSeen);

    int oldMask = base.counterMask();
    int mask = oldMask;
    for (int e = 0; e < activity.events(); e++) {
      mask |= activity.bumps(e);
    }
    byte[] counters = mask == oldMask ? base.counters() : SessionData.counters(mask);
    double[] decayed = base.sparseDecayed();
    int[] totals = base.sparseTotals();
    if (factor != 1.0 || activity.events() > 0) {
      decayed = new double[counters.length];
      totals = new int[counters.length];
      byte[] seen = base.counters();
      for (int i = 0; i < seen.length; i++) {
        int k = SessionData.rank(mask, seen[i]);
        decayed[k] = base.sparseDecayed()[i] * factor;
        totals[k] = base.sparseTotals()[i];
      }
    }
    Affinity categories = new Affinity(base.categoryKeys, base.categoryWeights, factor);
    Affinity brands = new Affinity(base.brandKeys, base.brandWeights, factor);
    long cart = base.cartItems;
    ProductMemory products = base.products;

    for (int e = 0; e < activity.events(); e++) {
      double w = weight(now - activity.time(e));
      int bits = activity.bumps(e);
      while (bits != 0) {
        int c = SessionData.rank(mask, Integer.numberOfTrailingZeros(bits));
        bits &= bits - 1;
        decayed[c] += w;
        if (totals[c] < Integer.MAX_VALUE) {
          totals[c]++;
        }
      }
      categories.add(activity.category(e), w, maxAffinityKeys);
      brands.add(activity.brand(e), w, maxAffinityKeys);
      int delta = activity.cartDelta(e);
      cart = delta == Activity.EMPTY_CART ? 0 : Math.max(0, Math.min(1_000_000, cart + delta));
      products =
          products.after(
              productEvent(activity.bumps(e)),
              activity.product(e),
              maxRecentProducts,
              maxCartProducts);
    }

    String[] dKeys = base.declaredKeys;
    Object[] dValues = base.declaredValues;
    int evicted = 0;
    if (!activity.declared().isEmpty()) {
      dKeys = Arrays.copyOf(dKeys, dKeys.length);
      dValues = Arrays.copyOf(dValues, dValues.length);
      for (Map.Entry<String, Object> d : activity.declared().entrySet()) {
        int at = indexOf(dKeys, d.getKey());
        if (at >= 0) {
          dValues[at] = d.getValue();
          continue;
        }
        if (dKeys.length >= maxDeclaredKeys) {
          dKeys = Arrays.copyOfRange(dKeys, 1, dKeys.length);
          dValues = Arrays.copyOfRange(dValues, 1, dValues.length);
          evicted++;
        }
        dKeys = Arrays.copyOf(dKeys, dKeys.length + 1);
        dValues = Arrays.copyOf(dValues, dValues.length + 1);
        dKeys[dKeys.length - 1] = d.getKey();
        dValues[dValues.length - 1] = d.getValue();
      }
    }

    return new SessionData(
        old == null ? now : base.firstSeen,
        now,
        base.requests == Integer.MAX_VALUE ? base.requests : base.requests + 1,
        counters,
        decayed,
        totals,
        (int) cart,
        categories.keys(),
        categories.weights(),
        brands.keys(),
        brands.weights(),
        dKeys,
        dValues,
        products,
        base.exposures,
        evicted,
        categories.displaced + brands.displaced);
  }

  private static ProductMemory.EventKind productEvent(int bits) {
    if ((bits & (1 << Counter.PURCHASES.ordinal())) != 0) {
      return ProductMemory.EventKind.PURCHASE;
    }
    if ((bits & (1 << Counter.CART_ADDS.ordinal())) != 0) {
      return ProductMemory.EventKind.ADD;
    }
    if ((bits & (1 << Counter.CART_REMOVES.ordinal())) != 0) {
      return ProductMemory.EventKind.REMOVE;
    }
    if ((bits & (1 << Counter.PRODUCT_VIEWS.ordinal())) != 0) {
      return ProductMemory.EventKind.VIEW;
    }
    return ProductMemory.EventKind.NONE;
  }

  private static int indexOf(String[] keys, String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** A bounded map from key to decayed weight that keeps the heaviest keys. */
  private static final class Affinity {
    private String[] keys;
    private double[] weights;
    private boolean keysCopied;
    private boolean weightsCopied;

    /**
     * Keys not kept as added: dropped for being lighter than all kept, or replacing the lightest.
     */
    int displaced;

    Affinity(String[] keys, double[] weights, double factor) {
      this.keys = keys;
      this.weights = weights;
      if (factor != 1.0 && weights.length > 0) {
        copyWeights();
        for (int i = 0; i < this.weights.length; i++) {
          this.weights[i] *= factor;
        }
      }
    }

    private void copyWeights() {
      if (!weightsCopied) {
        weights = weights.clone();
        weightsCopied = true;
      }
    }

    private void copy() {
      if (!keysCopied) {
        keys = keys.clone();
        keysCopied = true;
      }
      copyWeights();
    }

    void add(String key, double w, int max) {
      if (key == null) {
        return;
      }
      int at = indexOf(keys, key);
      if (at < 0 && keys.length < max) {
        keys = Arrays.copyOf(keys, keys.length + 1);
        weights = Arrays.copyOf(weights, weights.length + 1);
        keysCopied = true;
        weightsCopied = true;
        at = keys.length - 1;
        keys[at] = key;
      } else if (at < 0) {
        int lightest = 0;
        for (int i = 1; i < weights.length; i++) {
          if (weights[i] < weights[lightest]) {
            lightest = i;
          }
        }
        displaced++;
        if (weights[lightest] >= w) {
          return;
        }
        copy();
        at = lightest;
        keys[at] = key;
        weights[at] = 0;
      }
      copyWeights();
      weights[at] += w;
    }

    String[] keys() {
      return keys;
    }

    double[] weights() {
      return weights;
    }
  }
}
