package dev.persona.internal.session;

import dev.persona.spi.SessionState;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine's {@link SessionState}: decayed behaviour counts with their raw totals, bounded
 * category and brand affinities, open cart items, declared attributes, what attribution needs, the
 * arms of sticky experiments and the session's {@link Entry}. Immutable: every update makes a new
 * instance, so stores may share instances between threads freely.
 */
public final class SessionData implements SessionState {
  static final String[] NO_KEYS = new String[0];
  static final double[] NO_WEIGHTS = new double[0];
  static final Object[] NO_VALUES = new Object[0];
  private static final byte[] NO_COUNTERS = new byte[0];
  private static final int[] NO_TOTALS = new int[0];
  static final long[] NO_TIMES = new long[0];

  /** How many change ids a state remembers, so that a change applied again counts once. */
  public static final int APPLIED_WINDOW = 32;

  /** The declared attribute that holds the shopper's consent, as the engine reads it. */
  public static final String CONSENT = "consent";

  /** The declared consent that denies storing behaviour. */
  public static final String DENIED = "denied";

  /** The declared consent that grants it. */
  static final String GRANTED = "granted";

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

  /** When each declared attribute was declared (epoch millis): a later declaration wins. */
  final long[] declaredTimes;

  final ProductMemory products;

  /** The exposures, and the latest purchases and adds to cart, for attribution. */
  final OutcomeMemory outcomes;

  /** The ids of the latest changes applied, oldest first; at most {@link #APPLIED_WINDOW}. */
  final long[] applied;

  /** How the session entered the store, or null when it never came from outside. */
  final @Nullable Entry entry;

  /** Who a session is signed in as, when the engine keeps profiles; null if it never was. */
  final @Nullable Identity identity;

  /** A profile's sessions; none in a session's state. */
  final Visits visits;

  /** Declared attributes evicted by the last update to respect the limit; not serialized. */
  final transient int evicted;

  /**
   * Categories and brands the last update could not add at the limit without dropping one: the new
   * key itself or the lightest kept; not serialized.
   */
  final transient int displaced;

  /**
   * How far the state's clock ran ahead of the visit that made this state, when more than the
   * tolerance (and was then brought back); else 0. Not serialized.
   */
  final transient long clockAheadMillis;

  /**
   * When the latest denial of consent that a grant lifted was made, or {@link #NO_DENIAL}; and when
   * the earliest grant after it was made ({@link #liftingGrant}). A visit from before that grant,
   * applied late, was made under the denial or before it (what it erased), and is not applied
   * ({@link SessionUpdate}).
   */
  final long liftedDenial;

  /** When the earliest grant of consent after {@link #liftedDenial} was made, if there is one. */
  final long liftingGrant;

  /** No denial lifted: {@link #liftedDenial} of a session whose consent was never granted again. */
  static final long NO_DENIAL = Long.MIN_VALUE;

  /**
   * A state from sparse counters: {@code counters} holds the ordinals of the counters seen,
   * ascending, and {@code decayed} and {@code totals} their values. The arrays are kept, not
   * copied: states never change them, so states may share them.
   */
  SessionData(
      long firstSeen,
      long lastSeen,
      int requests,
      byte[] counters,
      double[] decayed,
      int[] totals,
      int cartItems,
      String[] categoryKeys,
      double[] categoryWeights,
      String[] brandKeys,
      double[] brandWeights,
      String[] declaredKeys,
      Object[] declaredValues,
      long[] declaredTimes,
      ProductMemory products,
      OutcomeMemory outcomes,
      long[] applied,
      @Nullable Entry entry,
      @Nullable Identity identity,
      Visits visits,
      int evicted,
      int displaced,
      long clockAheadMillis,
      long liftedDenial,
      long liftingGrant) {
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
    this.requests = requests;
    this.counters = counters.length == 0 ? NO_COUNTERS : counters;
    this.decayed = counters.length == 0 ? NO_WEIGHTS : decayed;
    this.totals = counters.length == 0 ? NO_TOTALS : totals;
    this.cartItems = cartItems;
    this.categoryKeys = categoryKeys;
    this.categoryWeights = categoryWeights;
    this.brandKeys = brandKeys;
    this.brandWeights = brandWeights;
    this.declaredKeys = declaredKeys;
    this.declaredValues = declaredValues;
    this.declaredTimes = declaredTimes;
    this.products = products;
    this.outcomes = outcomes;
    this.applied = applied;
    this.entry = entry;
    this.identity = identity;
    this.visits = visits;
    this.evicted = evicted;
    this.displaced = displaced;
    this.clockAheadMillis = clockAheadMillis;
    this.liftedDenial = liftedDenial;
    this.liftingGrant = liftingGrant;
  }

  /**
   * Returns the counters with a positive total in {@code totals}, indexed by ordinal, as a bit set.
   */
  static int maskOf(int[] totals) {
    int mask = 0;
    for (int i = 0; i < totals.length; i++) {
      if (totals[i] > 0) {
        mask |= 1 << i;
      }
    }
    return mask;
  }

  /** Returns the ordinals in {@code mask}, ascending. */
  static byte[] counters(int mask) {
    if (mask == 0) {
      return NO_COUNTERS;
    }
    byte[] out = new byte[Integer.bitCount(mask)];
    for (int k = 0, bits = mask; bits != 0; bits &= bits - 1) {
      out[k++] = (byte) Integer.numberOfTrailingZeros(bits);
    }
    return out;
  }

  /** Returns the position of counter {@code ordinal} among the counters of {@code mask}. */
  static int rank(int mask, int ordinal) {
    return Integer.bitCount(mask & ((1 << ordinal) - 1));
  }

  /**
   * Returns the values of {@code dense}, indexed by ordinal, at the ordinals of {@code counters}.
   */
  static double[] sparse(double[] dense, byte[] counters) {
    double[] out = new double[counters.length];
    for (int k = 0; k < counters.length; k++) {
      out[k] = dense[counters[k]];
    }
    return out;
  }

  /**
   * Returns the values of {@code dense}, indexed by ordinal, at the ordinals of {@code counters}.
   */
  static int[] sparse(int[] dense, byte[] counters) {
    int[] out = new int[counters.length];
    for (int k = 0; k < counters.length; k++) {
      out[k] = dense[counters[k]];
    }
    return out;
  }

  /** Returns the counters seen, as a bit set of ordinals. */
  int counterMask() {
    int mask = 0;
    for (byte c : counters) {
      mask |= 1 << c;
    }
    return mask;
  }

  /** Returns the ordinals of the counters seen, ascending; not to be changed. */
  byte[] counters() {
    return counters;
  }

  /** Returns the decayed counts of {@link #counters()}; not to be changed. */
  double[] sparseDecayed() {
    return decayed;
  }

  /** Returns the totals of {@link #counters()}; not to be changed. */
  int[] sparseTotals() {
    return totals;
  }

  /** Returns the state of a session that has seen nothing yet, started at {@code now}. */
  public static SessionData fresh(long now) {
    return new SessionData(
        now,
        now,
        0,
        NO_COUNTERS,
        NO_WEIGHTS,
        NO_TOTALS,
        0,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_VALUES,
        NO_TIMES,
        ProductMemory.NONE,
        OutcomeMemory.NONE,
        NO_TIMES,
        null,
        null,
        Visits.NONE,
        0,
        0,
        0,
        NO_DENIAL,
        NO_DENIAL);
  }

  /**
   * Returns the state that holds only a shopper's denial of consent: no behaviour, no other
   * declaration, no exposure; kept as long as a session, so that the denial lasts for the session.
   *
   * @param lastSeen the latest visit, for the idle timeout
   * @param deniedAt when consent was denied
   */
  static SessionData denial(long lastSeen, long deniedAt) {
    return new SessionData(
        lastSeen,
        lastSeen,
        0,
        NO_COUNTERS,
        NO_WEIGHTS,
        NO_TOTALS,
        0,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_WEIGHTS,
        new String[] {CONSENT},
        new Object[] {DENIED},
        new long[] {deniedAt},
        ProductMemory.NONE,
        OutcomeMemory.NONE,
        NO_TIMES,
        null,
        null,
        Visits.NONE,
        0,
        0,
        0,
        NO_DENIAL,
        NO_DENIAL);
  }

  /** Returns whether the latest consent the session declared is a denial. */
  public boolean consentDenied() {
    int i = consentIndex();
    return i >= 0 && DENIED.equals(declaredValues[i]);
  }

  /** Returns the consent the session declared last, {@code granted} or {@code denied}, or null. */
  public @Nullable Object consent() {
    int i = consentIndex();
    return i >= 0 ? declaredValues[i] : null;
  }

  /** Returns when the session last declared its consent, or {@link Long#MIN_VALUE} if never. */
  long consentMillis() {
    int i = consentIndex();
    return i >= 0 ? declaredTimes[i] : Long.MIN_VALUE;
  }

  private int consentIndex() {
    for (int i = 0; i < declaredKeys.length; i++) {
      if (CONSENT.equals(declaredKeys[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Instant lastSeen() {
    return Instant.ofEpochMilli(lastSeen);
  }

  @Override
  public long visits() {
    return requests;
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

  /** Returns how many counters this state holds; {@link #counterAt} gives each. */
  public int heldCounters() {
    return counters.length;
  }

  /** Returns the ordinal of the {@code i}th counter held, of {@link #heldCounters}. */
  public int counterAt(int i) {
    return counters[i];
  }

  /** Returns the raw total of the {@code i}th counter held. */
  public int totalAt(int i) {
    return totals[i];
  }

  /** Returns the decayed count of the {@code i}th counter held. */
  public double decayedAt(int i) {
    return decayed[i];
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
    return outcomes.exposures;
  }

  /** Returns the latest purchases and adds to cart, most recent first. */
  public Conversions conversions() {
    return outcomes.conversions;
  }

  /**
   * Returns this state with an exposure recorded, keeping of each placement only its last exposure.
   *
   * @param placement the placement
   * @param variant the variant shown
   * @param segment the primary persona at decision time, or null for none
   * @param atMillis when it was shown
   */
  public SessionData withExposure(
      String placement, String variant, @Nullable String segment, long atMillis) {
    return withExposure(placement, variant, segment, atMillis, "", 0);
  }

  /**
   * Returns this state with an exposure of an unknown basis recorded, as {@link
   * #withExposure(String, String, String, long, String, long)} with no tag.
   */
  public SessionData withExposure(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      long windowMillis) {
    return withExposure(placement, variant, segment, atMillis, "", windowMillis);
  }

  /**
   * Returns this state with an exposure recorded; this state itself when it holds the exposure.
   * Each placement's last exposure is kept, and earlier ones still within {@code windowMillis} of
   * the state's clock or of this exposure, whichever is later.
   *
   * @param placement the placement
   * @param variant the variant shown
   * @param segment the primary persona at decision time, or null for none
   * @param atMillis when it was shown
   * @param tag how the variant was chosen ({@link Exposures#tag}), the row its credits count in
   * @param windowMillis the attribution window, not negative
   */
  public SessionData withExposure(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      String tag,
      long windowMillis) {
    return withExposure(placement, variant, segment, atMillis, tag, "", windowMillis);
  }

  /**
   * Like {@link #withExposure(String, String, String, long, String, long)}, of the decision whose
   * id {@link Exposures#decisionTag} keeps as {@code decision}, which the exposure's credits carry.
   */
  public SessionData withExposure(
      String placement,
      String variant,
      @Nullable String segment,
      long atMillis,
      String tag,
      String decision,
      long windowMillis) {
    if (outcomes.exposures.contains(placement, variant, segment, atMillis, tag, decision)) {
      return this;
    }
    Exposures next =
        outcomes.exposures.with(
            placement,
            variant,
            segment,
            atMillis,
            tag,
            decision,
            minus(Math.max(lastSeen, atMillis), windowMillis));
    return new SessionData(
        firstSeen,
        lastSeen,
        requests,
        counters,
        decayed,
        totals,
        cartItems,
        categoryKeys,
        categoryWeights,
        brandKeys,
        brandWeights,
        declaredKeys,
        declaredValues,
        declaredTimes,
        products,
        outcomes.withExposures(next),
        applied,
        entry,
        identity,
        visits,
        0,
        0,
        0,
        liftedDenial,
        liftingGrant);
  }

  /**
   * Returns how the session entered the store: its entry landing ({@link Entry}), or null when
   * every request of it was in-site.
   */
  public @Nullable Entry entry() {
    return entry;
  }

  /** Returns who the session is signed in as, or null if it never was (or profiles are off). */
  public @Nullable Identity identity() {
    return identity;
  }

  /** Returns a profile's sessions; none in a session's state. */
  public Visits profileVisits() {
    return visits;
  }

  /**
   * Returns the state a session starts from when it signs out (or another user signs in) at {@code
   * atMillis}: nothing of the signed-in shopper's behaviour, products or declarations, which their
   * profile holds; only the exposures, conversions and arms (so that attribution and sticky
   * experiments go on) and a declared consent (a choice of the browser) are kept.
   */
  SessionData signedOut(long atMillis) {
    int c = consentIndex();
    return new SessionData(
        atMillis,
        atMillis,
        0,
        NO_COUNTERS,
        NO_WEIGHTS,
        NO_TOTALS,
        0,
        NO_KEYS,
        NO_WEIGHTS,
        NO_KEYS,
        NO_WEIGHTS,
        c < 0 ? NO_KEYS : new String[] {CONSENT},
        c < 0 ? NO_VALUES : new Object[] {declaredValues[c]},
        c < 0 ? NO_TIMES : new long[] {declaredTimes[c]},
        ProductMemory.NONE,
        outcomes,
        applied,
        null,
        identity,
        Visits.NONE,
        0,
        0,
        0,
        liftedDenial,
        liftingGrant);
  }

  /** Returns the arms given in sticky experiments. */
  public Assignments assignments() {
    return outcomes.assignments;
  }

  /** Returns {@code t - d} for a {@code d} not negative, at least {@code Long.MIN_VALUE}. */
  static long minus(long t, long d) {
    return t < Long.MIN_VALUE + d ? Long.MIN_VALUE : t - d;
  }

  /**
   * Returns how far the state's clock ran ahead of the visit that made this state, when more than
   * the tolerance; else 0.
   */
  public long clockAheadMillis() {
    return clockAheadMillis;
  }

  /** Returns whether the change with this id is among the latest applied to this state. */
  public boolean applied(long changeId) {
    for (long id : applied) {
      if (id == changeId) {
        return true;
      }
    }
    return false;
  }

  /** Returns the declared attributes the update that made this state evicted at the limit. */
  public int evicted() {
    return evicted;
  }

  /**
   * Returns the categories and brands the update that made this state could not keep at the limit
   * without dropping one (the new key, or the lightest kept one it replaced).
   */
  public int displaced() {
    return displaced;
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

  /**
   * Returns the weight of each category kept, at the state's own clock (its last visit), in the
   * order kept.
   */
  public Map<String, Double> categories() {
    return weights(categoryKeys, categoryWeights);
  }

  /** Returns the weight of each brand kept, at the state's own clock, in the order kept. */
  public Map<String, Double> brands() {
    return weights(brandKeys, brandWeights);
  }

  private static Map<String, Double> weights(String[] keys, double[] weights) {
    if (keys.length == 0) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      out.put(keys[i], weights[i]);
    }
    return out;
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
        && Arrays.equals(declaredTimes, d.declaredTimes)
        && Arrays.equals(applied, d.applied)
        && Objects.equals(entry, d.entry)
        && Objects.equals(identity, d.identity)
        && visits.equals(d.visits)
        && products.equals(d.products)
        && outcomes.equals(d.outcomes)
        && liftedDenial == d.liftedDenial
        && liftingGrant == d.liftingGrant;
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
