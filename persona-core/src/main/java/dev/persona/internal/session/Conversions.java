package dev.persona.internal.session;

import java.util.Arrays;

/**
 * The purchases and adds to cart of a session's latest visits, kept so that an exposure that
 * reaches the state after them (written late, or from another instance) is still credited with
 * them. Each is known by a 128-bit digest of its event id (an order id, or one made of the event),
 * never the id itself; with its kind, time and order value. Most recent first, without repeats: a
 * conversion is the same one when its digest, kind and time are. Bounded and immutable, so shared
 * between threads freely.
 *
 * <p>Merging is commutative and idempotent: the result keeps the newest of the union, by time, so
 * that conversions merged in any order, or more than once, give the same conversions.
 */
public final class Conversions {
  /** The most conversions a session keeps. */
  public static final int MAX = 16;

  static final Conversions NONE =
      new Conversions(
          SessionData.NO_TIMES,
          SessionData.NO_TIMES,
          new boolean[0],
          SessionData.NO_TIMES,
          SessionData.NO_WEIGHTS);

  private final long[] high;
  private final long[] low;
  private final boolean[] purchase;
  private final long[] times;
  private final double[] values;

  /** Takes the arrays as they are: of one length, most recent first, no two entries the same. */
  private Conversions(long[] high, long[] low, boolean[] purchase, long[] times, double[] values) {
    this.high = high;
    this.low = low;
    this.purchase = purchase;
    this.times = times;
    this.values = values;
  }

  /**
   * Returns the conversions of the given arrays, all of one length: sorted most recent first, the
   * same conversion once (the highest value kept), at most {@code max}; the arrays are not kept.
   */
  public static Conversions of(
      long[] high, long[] low, boolean[] purchase, long[] times, double[] values, int max) {
    int n = high.length;
    if (low.length != n || purchase.length != n || times.length != n || values.length != n) {
      throw new IllegalArgumentException("conversion arrays of different lengths");
    }
    if (n == 0) {
      return NONE;
    }
    return new Conversions(
            high.clone(), low.clone(), purchase.clone(), times.clone(), values.clone())
        .merge(NONE, Long.MIN_VALUE, max);
  }

  public int size() {
    return times.length;
  }

  /** Returns the first 64 bits of conversion {@code i}'s event id digest. */
  public long idHigh(int i) {
    return high[i];
  }

  /** Returns the last 64 bits of conversion {@code i}'s event id digest. */
  public long idLow(int i) {
    return low[i];
  }

  /** Returns whether conversion {@code i} is a purchase; else it is an add to cart. */
  public boolean purchase(int i) {
    return purchase[i];
  }

  public long atMillis(int i) {
    return times[i];
  }

  /** Returns the order value of conversion {@code i}, a purchase; 0 for an add to cart. */
  public double value(int i) {
    return values[i];
  }

  /** Returns the time of the oldest conversion kept, or {@code Long.MAX_VALUE} when none. */
  long oldest() {
    return times.length == 0 ? Long.MAX_VALUE : times[times.length - 1];
  }

  /** Returns whether these hold conversion {@code i} of {@code other}. */
  public boolean contains(Conversions other, int i) {
    return indexOf(other.high[i], other.low[i], other.purchase[i], other.times[i]) >= 0;
  }

  private int indexOf(long h, long l, boolean p, long t) {
    for (int k = 0; k < times.length; k++) {
      if (times[k] == t && high[k] == h && low[k] == l && purchase[k] == p) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Returns the union of these and {@code add}, without those older than {@code notBefore}, the
   * newest {@code max} kept; these themselves when that is what they are.
   */
  Conversions merge(Conversions add, long notBefore, int max) {
    boolean same = oldest() >= notBefore && times.length <= max;
    for (int i = 0; same && i < add.size(); i++) {
      int k = indexOf(add.high[i], add.low[i], add.purchase[i], add.times[i]);
      same = add.times[i] < notBefore || (k >= 0 && values[k] >= add.values[i]);
    }
    if (same && isSorted()) {
      return this;
    }
    int total = times.length + add.size();
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> compare(entry(add, a), entry(add, b)));
    long[] h = new long[Math.min(total, max)];
    long[] l = new long[h.length];
    boolean[] p = new boolean[h.length];
    long[] t = new long[h.length];
    double[] v = new double[h.length];
    int n = 0;
    for (int k = 0; k < total && n < h.length; k++) {
      Entry e = entry(add, order[k]);
      if (e.time < notBefore) {
        break; // sorted newest first: all the rest are older still
      }
      if (n > 0
          && t[n - 1] == e.time
          && h[n - 1] == e.high
          && l[n - 1] == e.low
          && p[n - 1] == e.purchase) {
        continue; // the same conversion again, its highest value first
      }
      h[n] = e.high;
      l[n] = e.low;
      p[n] = e.purchase;
      t[n] = e.time;
      v[n] = e.value;
      n++;
    }
    if (n == 0) {
      return NONE;
    }
    return new Conversions(
        Arrays.copyOf(h, n),
        Arrays.copyOf(l, n),
        Arrays.copyOf(p, n),
        Arrays.copyOf(t, n),
        Arrays.copyOf(v, n));
  }

  private boolean isSorted() {
    for (int i = 1; i < times.length; i++) {
      if (compare(entry(this, i - 1), entry(this, i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Entry {@code i} of these followed by {@code add}. */
  private Entry entry(Conversions add, int i) {
    Conversions c = i < times.length ? this : add;
    int k = i < times.length ? i : i - times.length;
    return new Entry(c.high[k], c.low[k], c.purchase[k], c.times[k], c.values[k]);
  }

  /** Newest first; then by digest, kind and highest value, so that the order is total. */
  private static int compare(Entry a, Entry b) {
    int c = Long.compare(b.time, a.time);
    if (c == 0) {
      c = Long.compare(a.high, b.high);
    }
    if (c == 0) {
      c = Long.compare(a.low, b.low);
    }
    if (c == 0) {
      c = Boolean.compare(a.purchase, b.purchase);
    }
    if (c == 0) {
      c = Double.compare(b.value, a.value);
    }
    return c;
  }

  private record Entry(long high, long low, boolean purchase, long time, double value) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof Conversions c
        && Arrays.equals(high, c.high)
        && Arrays.equals(low, c.low)
        && Arrays.equals(purchase, c.purchase)
        && Arrays.equals(times, c.times)
        && Arrays.equals(values, c.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(times) * 31 + Arrays.hashCode(high);
  }

  /** Returns the count only: the digests stand for order ids. */
  @Override
  public String toString() {
    return "Conversions{" + times.length + "}";
  }
}
