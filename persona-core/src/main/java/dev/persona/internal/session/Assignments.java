package dev.persona.internal.session;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The arms a session's visitors were given in sticky experiments, so that a visitor keeps the arm
 * first seen when the experiment's allocation changes or arms are added. Each assignment is kept
 * under its key, the placement, the experiment and a visitor key (0 for the arm the session has,
 * else a digest of the signed-in user's id for the user's own arm), with its variant and the time
 * it was first given. Bounded and immutable, so shared between threads freely.
 *
 * <p>Merging is commutative and idempotent, so that assignments merged in any order, or more than
 * once, give the same assignments: of one key the earliest wins (at the same time, the lowest
 * variant id); of all keys the earliest {@link #MAX} are kept (ordered by time, then placement,
 * experiment, visitor key and variant), and a later assignment beyond them is not kept.
 */
public final class Assignments {
  /** The most assignments a session keeps. */
  public static final int MAX = 32;

  /** No assignment. */
  public static final Assignments NONE =
      new Assignments(
          SessionData.NO_KEYS,
          SessionData.NO_KEYS,
          SessionData.NO_TIMES,
          SessionData.NO_KEYS,
          SessionData.NO_TIMES);

  final String[] placements;
  final String[] experiments;
  final long[] visitors;
  final String[] variants;
  final long[] times;

  /** Takes the arrays as they are: of one length, in order, one per key, at most {@link #MAX}. */
  private Assignments(
      String[] placements, String[] experiments, long[] visitors, String[] variants, long[] times) {
    this.placements = placements;
    this.experiments = experiments;
    this.visitors = visitors;
    this.variants = variants;
    this.times = times;
  }

  /**
   * Returns the assignments of the given arrays, all of one length: ordered, one per key (the
   * earliest), at most {@link #MAX}; the arrays are not kept.
   *
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static Assignments of(
      String[] placements, String[] experiments, long[] visitors, String[] variants, long[] times) {
    int n = placements.length;
    if (experiments.length != n
        || visitors.length != n
        || variants.length != n
        || times.length != n) {
      throw new IllegalArgumentException("assignment arrays of different lengths");
    }
    return n == 0 ? NONE : normalized(placements, experiments, visitors, variants, times);
  }

  /** Returns a builder of at most {@code capacity} assignments, for one change to carry. */
  public static Builder builder(int capacity) {
    return new Builder(capacity);
  }

  public int size() {
    return times.length;
  }

  public String placement(int i) {
    return placements[i];
  }

  public String experiment(int i) {
    return experiments[i];
  }

  public long visitor(int i) {
    return visitors[i];
  }

  public String variant(int i) {
    return variants[i];
  }

  public long atMillis(int i) {
    return times[i];
  }

  /**
   * Returns the variant assigned under the key, or null when there is none. Allocates nothing.
   *
   * @param visitor 0 for the session's arm, else the user's key
   */
  public @Nullable String variant(String placement, String experiment, long visitor) {
    int i = indexOf(placement, experiment, visitor);
    return i < 0 ? null : variants[i];
  }

  private int indexOf(String placement, String experiment, long visitor) {
    for (int i = 0; i < times.length; i++) {
      if (visitors[i] == visitor
          && placements[i].equals(placement)
          && experiments[i].equals(experiment)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns these assignments with {@code added} merged in; these themselves when that changes
   * nothing, as when every added key holds an assignment at or before the added one.
   */
  public Assignments merge(Assignments added) {
    boolean changes = false;
    for (int j = 0; j < added.size() && !changes; j++) {
      int i = indexOf(added.placements[j], added.experiments[j], added.visitors[j]);
      changes =
          i < 0
              ? times.length < MAX || added.times[j] <= times[times.length - 1]
              : compareWithinKey(times[i], variants[i], added.times[j], added.variants[j]) > 0;
    }
    if (!changes) {
      return this;
    }
    int n = size() + added.size();
    String[] p = Arrays.copyOf(placements, n);
    String[] e = Arrays.copyOf(experiments, n);
    long[] v = Arrays.copyOf(visitors, n);
    String[] a = Arrays.copyOf(variants, n);
    long[] t = Arrays.copyOf(times, n);
    int k = size();
    System.arraycopy(added.placements, 0, p, k, added.size());
    System.arraycopy(added.experiments, 0, e, k, added.size());
    System.arraycopy(added.visitors, 0, v, k, added.size());
    System.arraycopy(added.variants, 0, a, k, added.size());
    System.arraycopy(added.times, 0, t, k, added.size());
    Assignments merged = normalized(p, e, v, a, t);
    return merged.equals(this) ? this : merged;
  }

  /** Orders assignments {@code i} and {@code j} by time, placement, experiment, key, variant. */
  private static int compare(String[] p, String[] e, long[] v, String[] a, long[] t, int i, int j) {
    int c = Long.compare(t[i], t[j]);
    if (c == 0) {
      c = p[i].compareTo(p[j]);
    }
    if (c == 0) {
      c = e[i].compareTo(e[j]);
    }
    if (c == 0) {
      c = Long.compare(v[i], v[j]);
    }
    return c != 0 ? c : a[i].compareTo(a[j]);
  }

  private static int compareWithinKey(long t1, String v1, long t2, String v2) {
    int c = Long.compare(t1, t2);
    return c != 0 ? c : v1.compareTo(v2);
  }

  /**
   * Returns the assignments of the arrays, which it does not keep: sorted by time, placement,
   * experiment, visitor key and variant; of each key the first; the first {@link #MAX}.
   */
  private static Assignments normalized(String[] p, String[] e, long[] v, String[] a, long[] t) {
    int n = t.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) { // insertion sort: a few dozen at most
      int k = i;
      while (k > 0 && compare(p, e, v, a, t, order[k - 1], i) > 0) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = i;
    }
    int[] keep = new int[Math.min(n, MAX)];
    int kept = 0;
    for (int k = 0; k < n && kept < keep.length; k++) {
      int i = order[k];
      boolean first = true;
      for (int j = 0; j < kept && first; j++) {
        int o = keep[j];
        first = !(v[o] == v[i] && p[o].equals(p[i]) && e[o].equals(e[i]));
      }
      if (first) {
        keep[kept++] = i;
      }
    }
    String[] p2 = new String[kept];
    String[] e2 = new String[kept];
    long[] v2 = new long[kept];
    String[] a2 = new String[kept];
    long[] t2 = new long[kept];
    for (int k = 0; k < kept; k++) {
      int i = keep[k];
      p2[k] = p[i];
      e2[k] = e[i];
      v2[k] = v[i];
      a2[k] = a[i];
      t2[k] = t[i];
    }
    return new Assignments(p2, e2, v2, a2, t2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assignments x
        && Arrays.equals(times, x.times)
        && Arrays.equals(visitors, x.visitors)
        && Arrays.equals(placements, x.placements)
        && Arrays.equals(experiments, x.experiments)
        && Arrays.equals(variants, x.variants);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(times) * 31 + Arrays.hashCode(variants);
  }

  /** Returns the count only: which arms a visitor is in is the session's own. */
  @Override
  public String toString() {
    return "Assignments{" + size() + "}";
  }

  /** Collects the assignments one decision makes, all at one time. Not thread-safe. */
  public static final class Builder {
    private final String[] placements;
    private final String[] experiments;
    private final long[] visitors;
    private final String[] variants;
    private int size;

    private Builder(int capacity) {
      placements = new String[capacity];
      experiments = new String[capacity];
      visitors = new long[capacity];
      variants = new String[capacity];
    }

    /**
     * Adds an assignment.
     *
     * @throws IndexOutOfBoundsException beyond the capacity
     */
    public Builder add(String placement, String experiment, long visitor, String variant) {
      placements[size] = placement;
      experiments[size] = experiment;
      visitors[size] = visitor;
      variants[size] = variant;
      size++;
      return this;
    }

    /** Returns the assignments added, each at {@code atMillis}; null when none was added. */
    public @Nullable Assignments build(long atMillis) {
      if (size == 0) {
        return null;
      }
      long[] t = new long[size];
      Arrays.fill(t, atMillis);
      return normalized(
          Arrays.copyOf(placements, size),
          Arrays.copyOf(experiments, size),
          Arrays.copyOf(visitors, size),
          Arrays.copyOf(variants, size),
          t);
    }
  }
}
