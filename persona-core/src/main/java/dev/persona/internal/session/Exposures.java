package dev.persona.internal.session;

import dev.persona.VariantChoice;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The exposures of placements shown in a session, most recent first, kept so that later purchases
 * and adds to cart can be attributed to what the shopper saw: the last exposure of each placement,
 * and the earlier ones still within the attribution window, so that a conversion that reaches the
 * state after a later exposure of its placement still finds the one before it. At most {@link
 * #MAX}: earlier exposures give way first, then the oldest placements. Bounded and immutable, so
 * shared between threads freely.
 */
public final class Exposures {
  /** How a segment of none is kept, here and in the byte form. */
  private static final String NO_SEGMENT = "";

  /** The most exposures a session keeps. */
  public static final int MAX = 16;

  /**
   * The longest decision id an exposure keeps: {@code Decision.id()} has 32 characters; a longer id
   * given with an outcome built from ids is not kept, and the exposure's credits then have none.
   */
  public static final int MAX_DECISION_ID = 64;

  static final Exposures NONE =
      new Exposures(
          SessionData.NO_KEYS,
          SessionData.NO_KEYS,
          SessionData.NO_KEYS,
          new long[0],
          SessionData.NO_KEYS,
          SessionData.NO_KEYS);

  final String[] placements;
  final String[] variants;
  final String[] segments;
  final long[] times;

  /**
   * How each variant was chosen, the row its credits count in: the basis's name, followed for an
   * experiment's arm by a space and the experiment's id; empty when unknown.
   */
  final String[] tags;

  /**
   * The id of the decision whose choice each exposure showed, which its credits carry to listeners
   * so that they join that decision; empty when unknown.
   */
  final String[] decisions;

  Exposures(
      String[] placements,
      String[] variants,
      String[] segments,
      long[] times,
      String[] tags,
      String[] decisions) {
    this.placements = placements;
    this.variants = variants;
    this.segments = segments;
    this.times = times;
    this.tags = tags;
    this.decisions = decisions;
  }

  /** Returns how an exposure's decision id is kept: empty for none, or one too long to keep. */
  public static String decisionTag(@Nullable String decisionId) {
    return decisionId == null || decisionId.length() > MAX_DECISION_ID ? "" : decisionId;
  }

  /** Returns the tag of a basis and experiment, as {@link #tags} holds them. */
  public static String tag(VariantChoice.@Nullable Basis basis, @Nullable String experiment) {
    if (basis == null) {
      return NO_SEGMENT;
    }
    return experiment == null ? basis.name() : basis.name() + ' ' + experiment;
  }

  /** Returns how the variant of exposure {@code i} was chosen, or null when unknown. */
  public VariantChoice.@Nullable Basis basis(int i) {
    return basisOf(tags[i]);
  }

  /** Returns the experiment whose arm exposure {@code i} showed, or null. */
  public @Nullable String experiment(int i) {
    return experimentOf(tags[i]);
  }

  /** Returns the basis a {@linkplain #tag tag} names, or null when unknown. */
  public static VariantChoice.@Nullable Basis basisOf(String tag) {
    if (tag.isEmpty()) {
      return null;
    }
    int space = tag.indexOf(' ');
    try {
      return VariantChoice.Basis.valueOf(space < 0 ? tag : tag.substring(0, space));
    } catch (IllegalArgumentException e) {
      return null; // a basis of a later version
    }
  }

  /** Returns the experiment a {@linkplain #tag tag} names, or null. */
  public static @Nullable String experimentOf(String tag) {
    int space = tag.indexOf(' ');
    return space < 0 ? null : tag.substring(space + 1);
  }

  /** Returns the id of the decision exposure {@code i} showed, or null when unknown. */
  public @Nullable String decision(int i) {
    return decisions[i].isEmpty() ? null : decisions[i];
  }

  /** Returns whether some exposure has a decision id, which the byte form then needs to keep. */
  boolean withDecisions() {
    for (String d : decisions) {
      if (!d.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether some exposure has a basis, which the byte form then needs to keep. */
  boolean tagged() {
    for (String t : tags) {
      if (!t.isEmpty()) {
        return true;
      }
    }
    return false;
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
   * Returns whether exposure {@code i} is its placement's latest at or before {@code atMillis}: the
   * one a conversion at that time is credited to.
   */
  public boolean latestAtOrBefore(int i, long atMillis) {
    if (times[i] > atMillis) {
      return false;
    }
    for (int j = 0; j < placements.length; j++) {
      if (j != i
          && times[j] > times[i]
          && times[j] <= atMillis
          && placements[j].equals(placements[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns whether the placement was shown after {@code afterMillis} and at or before {@code
   * untilMillis}.
   */
  public boolean shownBetween(String placement, long afterMillis, long untilMillis) {
    for (int j = 0; j < placements.length; j++) {
      if (times[j] > afterMillis && times[j] <= untilMillis && placements[j].equals(placement)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether these hold this very exposure, of no known decision. */
  public boolean contains(
      String placement, String variant, @Nullable String segment, long atMillis, String tag) {
    return contains(placement, variant, segment, atMillis, tag, "");
  }

  /**
   * Returns whether these hold this very exposure, of the decision {@code decision} ({@link
   * #decisionTag}).
   */
  public boolean contains(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      String tag,
      String decision) {
    int at = indexOf(placement, atMillis);
    return at >= 0
        && variants[at].equals(variant)
        && segments[at].equals(segment == null ? NO_SEGMENT : segment)
        && tags[at].equals(tag)
        && decisions[at].equals(decision);
  }

  /** Returns these exposures with the given one, of an unknown basis: {@link #with} with no tag. */
  Exposures with(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      long notBeforeMillis) {
    return with(placement, variant, segment, atMillis, "", "", notBeforeMillis);
  }

  /**
   * Returns these exposures with the given one, most recent first: it replaces one of its placement
   * at the same time, and earlier exposures than the placement's last one are kept only from {@code
   * notBeforeMillis} on. These themselves when they hold it already. Exposures added in any order
   * give the same exposures, as long as none gives way to the bound. {@code decision} is the
   * decision's id as {@link #decisionTag} keeps it.
   */
  Exposures with(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      String tag,
      String decision,
      long notBeforeMillis) {
    if (contains(placement, variant, segment, atMillis, tag, decision)) {
      return this;
    }
    int same = indexOf(placement, atMillis);
    int n = placements.length + (same < 0 ? 1 : 0);
    Integer[] order = new Integer[n];
    for (int i = 0, k = 0; i <= placements.length; i++) {
      if (i != same) {
        order[k++] = i; // placements.length stands for the new exposure
      }
    }
    Arrays.sort(
        order,
        (a, b) -> {
          long ta = a == placements.length ? atMillis : times[a];
          long tb = b == placements.length ? atMillis : times[b];
          int c = Long.compare(tb, ta);
          return c != 0
              ? c
              : (a == placements.length ? placement : placements[a])
                  .compareTo(b == placements.length ? placement : placements[b]);
        });
    String[] p = new String[n];
    String[] v = new String[n];
    String[] s = new String[n];
    long[] t = new long[n];
    String[] g = new String[n];
    String[] d = new String[n];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      boolean added = i == placements.length;
      p[k] = added ? placement : placements[i];
      v[k] = added ? variant : variants[i];
      s[k] = added ? (segment == null ? NO_SEGMENT : segment) : segments[i];
      t[k] = added ? atMillis : times[i];
      g[k] = added ? tag : tags[i];
      d[k] = added ? decision : decisions[i];
    }
    // keep: each placement's last exposure; earlier ones from notBefore on; at most MAX
    boolean[] last = new boolean[n];
    boolean[] keep = new boolean[n];
    int kept = 0;
    for (int k = 0; k < n; k++) {
      last[k] = true;
      for (int j = 0; j < k; j++) {
        if (p[j].equals(p[k])) {
          last[k] = false;
          break;
        }
      }
      keep[k] = last[k] || t[k] >= notBeforeMillis;
      kept += keep[k] ? 1 : 0;
    }
    for (int k = n - 1; k >= 0 && kept > MAX; k--) {
      if (keep[k] && !last[k]) {
        keep[k] = false;
        kept--;
      }
    }
    for (int k = n - 1; k >= 0 && kept > MAX; k--) {
      if (keep[k]) {
        keep[k] = false;
        kept--;
      }
    }
    if (kept < n) {
      String[] p2 = new String[kept];
      String[] v2 = new String[kept];
      String[] s2 = new String[kept];
      long[] t2 = new long[kept];
      String[] g2 = new String[kept];
      String[] d2 = new String[kept];
      for (int k = 0, m = 0; k < n; k++) {
        if (keep[k]) {
          p2[m] = p[k];
          v2[m] = v[k];
          s2[m] = s[k];
          t2[m] = t[k];
          g2[m] = g[k];
          d2[m] = d[k];
          m++;
        }
      }
      return new Exposures(p2, v2, s2, t2, g2, d2);
    }
    return new Exposures(p, v, s, t, g, d);
  }

  private int indexOf(String placement, long atMillis) {
    for (int i = 0; i < placements.length; i++) {
      if (times[i] == atMillis && placements[i].equals(placement)) {
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
        && Arrays.equals(times, e.times)
        && Arrays.equals(tags, e.tags)
        && Arrays.equals(decisions, e.decisions);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(placements) * 31 + Arrays.hashCode(times);
  }
}
