package dev.persona.internal.session;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The last exposure of each placement shown in a session, most recent first, kept so that later
 * purchases and adds to cart can be attributed to what the shopper saw. Bounded and immutable.
 */
public final class Exposures {
  /** How a segment of none is kept, here and in the byte form. */
  private static final String NO_SEGMENT = "";

  /** The most placements whose last exposure a session keeps. */
  public static final int MAX = 16;

  static final Exposures NONE =
      new Exposures(SessionData.NO_KEYS, SessionData.NO_KEYS, SessionData.NO_KEYS, new long[0]);

  final String[] placements;
  final String[] variants;
  final String[] segments;
  final long[] times;

  Exposures(String[] placements, String[] variants, String[] segments, long[] times) {
    this.placements = placements;
    this.variants = variants;
    this.segments = segments;
    this.times = times;
  }

  public int size() {
    return placements.length;
  }

  public String placement(int i) {
    return placements[i];
  }

  public String variant(int i) {
    return variants[i];
  }

  /** Returns the segment of exposure {@code i}: its primary persona, or null for none. */
  public @Nullable String segment(int i) {
    return segments[i].isEmpty() ? null : segments[i];
  }

  public long atMillis(int i) {
    return times[i];
  }

  /**
   * Returns these exposures with the given one as its placement's latest, most recent first; or
   * these, when the placement's kept exposure is later: a late write never replaces a newer one.
   */
  Exposures with(String placement, String variant, @Nullable String segment, long atMillis) {
    int at = indexOf(placement);
    if (at >= 0 && times[at] > atMillis) {
      return this;
    }
    int n = Math.min(MAX, placements.length + (indexOf(placement) < 0 ? 1 : 0));
    String[] p = new String[n];
    String[] v = new String[n];
    String[] s = new String[n];
    long[] t = new long[n];
    p[0] = placement;
    v[0] = variant;
    s[0] = segment == null ? NO_SEGMENT : segment;
    t[0] = atMillis;
    int k = 1;
    for (int i = 0; i < placements.length && k < n; i++) {
      if (!placements[i].equals(placement)) {
        p[k] = placements[i];
        v[k] = variants[i];
        s[k] = segments[i];
        t[k] = times[i];
        k++;
      }
    }
    return new Exposures(p, v, s, t);
  }

  private int indexOf(String placement) {
    for (int i = 0; i < placements.length; i++) {
      if (placements[i].equals(placement)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Exposures e
        && Arrays.equals(placements, e.placements)
        && Arrays.equals(variants, e.variants)
        && Arrays.equals(segments, e.segments)
        && Arrays.equals(times, e.times);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(placements) * 31 + Arrays.hashCode(times);
  }
}
