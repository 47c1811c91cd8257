package dev.persona.internal.session;

import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pure function from a session's state and one visit's {@link Activity} to the new state.
 * Counts decay exponentially with a half-life: a count observed one half-life ago weighs 0.5.
 *
 * <p>A change may be applied late, out of order or more than once (a store that retries a write
 * after a timeout, or writes another instance's changes back after an outage), with the same
 * result: counts and totals are sums of weights decayed to the state's clock (forward decay with
 * the latest visit as the landmark), so adding is commutative; first seen is a minimum and last
 * seen a maximum; a declared attribute and a placement's exposure keep the latest by time (at the
 * limit, the oldest declared attribute other than {@code consent}, which is never evicted, gives
 * way); a change whose {@linkplain Activity#id() id} the state remembers is not applied again; a
 * visit's purchases and adds to cart join the state's {@link Conversions}, a union by event id, of
 * which the newest within the attribution window are kept; a visit's arms of sticky experiments
 * join the state's {@link Assignments}, of which the earliest of each key wins; a visit that is a
 * landing joins the state's {@link Entry} by {@link Entry#merge}, an order of landings by kind and
 * time (the latest campaign landing, else the earliest other). The order of the recently viewed
 * products, the open cart and which category or brand a full table drops do depend on the order of
 * application.
 *
 * <p>A state whose clock (its latest visit) runs ahead of the applying engine's clock by more than
 * the clock tolerance was set by an instance whose clock runs ahead: its clock is brought back to
 * the engine's rather than weighing the visit's events against it, and the new state says so
 * ({@link SessionData#clockAheadMillis()}).
 */
public final class SessionUpdate {
  /** The most recently viewed products a session keeps, unless the set limit is lower. */
  public static final int RECENT_PRODUCTS = 12;

  /** The attribution window of the constructors without one: the engine's default, 30 minutes. */
  static final long DEFAULT_ATTRIBUTION_WINDOW = 30 * 60_000;

  private final double lambdaPerMilli;
  private final long toleranceMillis;
  private final boolean rememberChanges;
  private final long attributionWindowMillis;
  private final int maxAffinityKeys;
  private final int maxDeclaredKeys;
  private final int maxRecentProducts;
  private final int maxCartProducts;
  private final boolean identities;

  /**
   * @param halfLifeMillis the half-life of behaviour, positive
   * @param maxAffinityKeys categories and brands each kept
   * @param maxDeclaredKeys declared attributes kept
   * @param maxProducts products kept in each of the recently viewed and the open cart
   * @param toleranceMillis how far a state's clock may run ahead of a visit, not negative
   */
  public SessionUpdate(
      long halfLifeMillis,
      int maxAffinityKeys,
      int maxDeclaredKeys,
      int maxProducts,
      long toleranceMillis) {
    this(halfLifeMillis, maxAffinityKeys, maxDeclaredKeys, maxProducts, toleranceMillis, true);
  }

  /**
   * Like {@link #SessionUpdate(long, int, int, int, long)}; {@code rememberChanges} false for a
   * store that applies each change once and never again (the in-memory store), whose states then
   * keep no change ids: a warm session's decide then copies no array of them.
   */
  public SessionUpdate(
      long halfLifeMillis,
      int maxAffinityKeys,
      int maxDeclaredKeys,
      int maxProducts,
      long toleranceMillis,
      boolean rememberChanges) {
    this(
        halfLifeMillis,
        maxAffinityKeys,
        maxDeclaredKeys,
        maxProducts,
        toleranceMillis,
        rememberChanges,
        DEFAULT_ATTRIBUTION_WINDOW);
  }

  /**
   * Like {@link #SessionUpdate(long, int, int, int, long, boolean)}; a state keeps the conversions
   * of the last {@code attributionWindowMillis} before its clock (the others' default: 30 minutes).
   */
  public SessionUpdate(
      long halfLifeMillis,
      int maxAffinityKeys,
      int maxDeclaredKeys,
      int maxProducts,
      long toleranceMillis,
      boolean rememberChanges,
      long attributionWindowMillis) {
    this(
        halfLifeMillis,
        maxAffinityKeys,
        maxDeclaredKeys,
        maxProducts,
        toleranceMillis,
        rememberChanges,
        attributionWindowMillis,
        false);
  }

  /**
   * Like {@link #SessionUpdate(long, int, int, int, long, boolean, long)}; {@code identities} true
   * when the engine keeps profiles: a session then remembers who it is signed in as ({@link
   * Identity}), and a visit of another identity, later than the last change of identity, signs it
   * in (the session's state is kept, to be merged into the profile) or out (the session starts
   * anew, keeping only its outcomes and consent: see {@link SessionData#signedOut}). A visit older
   * than the session's last change of identity, of another identity, is one applied late: it
   * belongs to the session before that change, and is not applied.
   */
  public SessionUpdate(
      long halfLifeMillis,
      int maxAffinityKeys,
      int maxDeclaredKeys,
      int maxProducts,
      long toleranceMillis,
      boolean rememberChanges,
      long attributionWindowMillis,
      boolean identities) {
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("half-life must be positive");
    }
    if (toleranceMillis < 0) {
      throw new IllegalArgumentException("clock tolerance must not be negative");
    }
    if (attributionWindowMillis < 0) {
      throw new IllegalArgumentException("attribution window must not be negative");
    }
    this.attributionWindowMillis = attributionWindowMillis;
    this.identities = identities;
    this.lambdaPerMilli = Math.log(2) / halfLifeMillis;
    this.toleranceMillis = toleranceMillis;
    this.rememberChanges = rememberChanges;
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
   * Returns the state after {@code activity}; {@code old} may be null for a new session. Returns
   * {@code old} itself when it already holds the activity. The state's clock does not run
   * backwards: a visit older than the state's last visit (by at most the tolerance) leaves it
   * there, and its events are weighted by their age at that later time.
   */
  public SessionData apply(@Nullable SessionData old, Activity activity) {
    return apply(old, activity, activity.atMillis());
  }

  /**
   * Like {@link #apply(SessionData, Activity)}, when the engine's clock reads {@code clockMillis}:
   * later than the activity's time when a store applies the change late.
   */
  public SessionData apply(@Nullable SessionData old, Activity activity, long clockMillis) {
    return apply(old, activity, null, clockMillis);
  }

  /**
   * Like {@link #apply(SessionData, Activity, long)}, for a visit whose purchases and adds to cart
   * are {@code added} (null for none): they join the state's conversions.
   */
  public SessionData apply(
      @Nullable SessionData old, Activity activity, @Nullable Conversions added, long clockMillis) {
    return apply(old, activity, added, null, clockMillis);
  }

  /**
   * Like {@link #apply(SessionData, Activity, Conversions, long)}, for a visit that gave the arms
   * {@code assigned} (null for none) in sticky experiments: they join the state's assignments.
   */
  public SessionData apply(
      @Nullable SessionData old,
      Activity activity,
      @Nullable Conversions added,
      @Nullable Assignments assigned,
      long clockMillis) {
    return apply(old, activity, added, assigned, clockMillis, 0, 0);
  }

  /**
   * Like {@link #apply(SessionData, Activity, Conversions, Assignments, long)}; for a profile, with
   * {@code token} not 0, the session of that token, first seen at {@code sessionFirst}, is seen in
   * the profile's {@link Visits} until this visit.
   */
  SessionData apply(
      @Nullable SessionData old,
      Activity activity,
      @Nullable Conversions added,
      @Nullable Assignments assigned,
      long clockMillis,
      long token,
      long sessionFirst) {
    if (old != null && old.applied(activity.id())) {
      return old;
    }
    Object consent = activity.declared().get(SessionData.CONSENT);
    if (SessionData.DENIED.equals(consent)) {
      return denied(old, activity.atMillis());
    }
    if (old != null
        && old.consentDenied()
        && !(SessionData.GRANTED.equals(consent) && activity.atMillis() >= old.consentMillis())) {
      // a denial holds until consent is granted again: the visit's behaviour is not applied
      return stillDenied(old, activity.atMillis());
    }
    if (old != null && beforeLiftingGrant(old, activity, consent)) {
      return old; // made under a denial that a later grant, applied first, lifted (or before it)
    }
    // a grant that lifts a denial remembers both: a visit made before it, applied later, stays out
    long liftedDenial = old == null ? SessionData.NO_DENIAL : old.liftedDenial;
    long liftingGrant = old == null ? SessionData.NO_DENIAL : old.liftingGrant;
    if (old != null && old.consentDenied()) {
      liftedDenial = old.consentMillis();
      liftingGrant = activity.atMillis();
    } else if (liftedDenial != SessionData.NO_DENIAL
        && SessionData.GRANTED.equals(consent)
        && activity.atMillis() < liftingGrant) {
      liftingGrant = activity.atMillis(); // an earlier grant after that denial, applied late
    }
    SessionData base = old == null ? SessionData.fresh(activity.atMillis()) : old;
    Identity identity = base.identity;
    if (identities) {
      long user = activity.user();
      if (user != (identity == null ? 0 : identity.user)) {
        long at = activity.atMillis();
        if (identity != null && at < identity.since) {
          return base; // from before the session's last sign-in or sign-out, applied late
        }
        if (identity != null && identity.user != 0) {
          base = base.signedOut(at); // signed out, or another user signed in
        }
        identity = new Identity(user, at, user == 0 ? 0 : activity.id());
      }
    }
    long ahead = base.lastSeen - Math.max(clockMillis, activity.atMillis());
    boolean clamp = ahead > toleranceMillis;
    long now =
        clamp
            ? Math.max(clockMillis, activity.atMillis())
            : Math.max(base.lastSeen, activity.atMillis());
    double factor = clamp ? 1.0 : weight(now - base.lastSeen);

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
    long[] dTimes = base.declaredTimes;
    int evicted = 0;
    if (!activity.declared().isEmpty()) {
      long at = activity.atMillis();
      dKeys = Arrays.copyOf(dKeys, dKeys.length);
      dValues = Arrays.copyOf(dValues, dValues.length);
      dTimes = Arrays.copyOf(dTimes, dKeys.length);
      for (Map.Entry<String, Object> d : activity.declared().entrySet()) {
        int i = indexOf(dKeys, d.getKey());
        if (i >= 0) {
          if (dTimes[i] <= at) {
            dValues[i] = d.getValue();
            dTimes[i] = at;
          }
          continue;
        }
        if (dKeys.length >= maxDeclaredKeys) {
          int oldest = oldestEvictable(dKeys, dTimes);
          if (oldest < 0 || (!SessionData.CONSENT.equals(d.getKey()) && dTimes[oldest] > at)) {
            evicted++; // older than everything kept: as if declared, then evicted at once
            continue;
          }
          dKeys = remove(dKeys, oldest);
          dValues = remove(dValues, oldest);
          dTimes = remove(dTimes, oldest);
          evicted++;
        }
        dKeys = Arrays.copyOf(dKeys, dKeys.length + 1);
        dValues = Arrays.copyOf(dValues, dValues.length + 1);
        dTimes = Arrays.copyOf(dTimes, dTimes.length + 1);
        dKeys[dKeys.length - 1] = d.getKey();
        dValues[dValues.length - 1] = d.getValue();
        dTimes[dTimes.length - 1] = at;
      }
    }

    OutcomeMemory outcomes = base.outcomes;
    long notBefore = SessionData.minus(now, attributionWindowMillis);
    if (added != null || outcomes.conversions.oldest() < notBefore) {
      outcomes =
          outcomes.withConversions(
              outcomes.conversions.merge(
                  added == null ? Conversions.NONE : added, notBefore, Conversions.MAX));
    }
    if (assigned != null) {
      outcomes = outcomes.withAssigned(assigned);
    }

    return new SessionData(
        old == null ? now : Math.min(base.firstSeen, activity.atMillis()),
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
        dTimes,
        products,
        outcomes,
        rememberChanges ? remember(base.applied, activity.id()) : base.applied,
        token == 0 ? activity.entryAfter(base.entry) : base.entry, // a profile keeps no entry
        identity,
        token == 0 ? base.visits : base.visits.with(token, sessionFirst, now),
        evicted,
        categories.displaced + brands.displaced,
        clamp ? ahead : 0,
        liftedDenial,
        liftingGrant);
  }

  /**
   * Returns the state after the shopper denied consent at {@code atMillis}: only the denial, kept
   * as long as a session (nothing else of the session is kept); or {@code old} itself when it holds
   * a later declaration of consent, or a grant of the same millisecond: a grant wins that tie in
   * either order, as {@link #apply} lets a grant of the denial's millisecond lift it. A state
   * holding a denial keeps the earlier time of denial.
   */
  public SessionData denied(@Nullable SessionData old, long atMillis) {
    return denied(old, atMillis, true);
  }

  /**
   * Returns the state after a denial at {@code atMillis}, as {@link #denied(SessionData, long)}
   * does; a grant of the same millisecond in {@code old} wins only if {@code grantWinsTie} (a
   * profile, merging the consents of its sessions, keeps the most private of the two).
   */
  SessionData denied(@Nullable SessionData old, long atMillis, boolean grantWinsTie) {
    if (old == null) {
      return SessionData.denial(atMillis, atMillis);
    }
    long declared = old.consentMillis();
    if (!old.consentDenied() && (declared > atMillis || (grantWinsTie && declared == atMillis))) {
      return old; // consent granted after this denial (or in its millisecond): applied late
    }
    long deniedAt = old.consentDenied() ? Math.min(declared, atMillis) : atMillis;
    long lastSeen = Math.max(old.lastSeen, atMillis);
    if (old.consentDenied()
        && old.declaredKeys.length == 1
        && old.requests == 0
        && deniedAt == declared
        && lastSeen == old.lastSeen) {
      return old; // already this denial
    }
    return SessionData.denial(lastSeen, deniedAt);
  }

  /**
   * Returns the denial {@code old} after a visit at {@code atMillis} that it holds back: kept as
   * long as a session from the visit, with its time of denial, which a visit that denies nothing
   * does not change (so that the denial and the visits around it give the same state in any order).
   */
  private static SessionData stillDenied(SessionData old, long atMillis) {
    if (atMillis <= old.lastSeen && old.declaredKeys.length == 1 && old.requests == 0) {
      return old;
    }
    return SessionData.denial(Math.max(old.lastSeen, atMillis), old.consentMillis());
  }

  /**
   * Returns whether {@code activity} came before the grant of consent in {@code state} that lifted
   * a denial, and is not itself a grant made after that denial: made under the denial, or before it
   * (what the denial erased).
   */
  private static boolean beforeLiftingGrant(
      SessionData state, Activity activity, @Nullable Object consent) {
    if (state.liftedDenial == SessionData.NO_DENIAL || state.consentDenied()) {
      return false;
    }
    long at = activity.atMillis();
    return at < state.liftedDenial
        || (at < state.liftingGrant && !SessionData.GRANTED.equals(consent));
  }

  /**
   * Returns when the denial of consent {@code stored} holds was made, if it held {@code activity}
   * back: a visit at or after the denial, itself no denial, whose application the state does not
   * hold. A grant of consent made between the two, written after the visit (on another instance),
   * lets it in again ({@link #letsIn}). {@link Long#MIN_VALUE} otherwise.
   */
  public static long heldBy(@Nullable SessionData stored, Activity activity) {
    if (stored == null
        || !stored.consentDenied()
        || stored.applied(activity.id())
        || SessionData.DENIED.equals(activity.declared().get(SessionData.CONSENT))
        || activity.atMillis() < stored.consentMillis()) {
      return Long.MIN_VALUE;
    }
    return stored.consentMillis();
  }

  /**
   * Returns whether a visit that a denial at {@code deniedAt} held back ({@link #heldBy}) is to be
   * applied to {@code state}: a grant of consent made at or before the visit lifted that denial (or
   * a later one, also before the visit). A state still denied holds it back; one whose lifting
   * grant came after the visit shows that it was made under the denial: neither lets it in.
   */
  public static boolean letsIn(SessionData state, Activity activity, long deniedAt) {
    return !state.consentDenied()
        && state.liftedDenial != SessionData.NO_DENIAL
        && state.liftedDenial >= deniedAt
        && state.liftingGrant <= activity.atMillis();
  }

  static long[] remember(long[] applied, long id) {
    int keep = Math.min(applied.length, SessionData.APPLIED_WINDOW - 1);
    long[] out = Arrays.copyOfRange(applied, applied.length - keep, applied.length + 1);
    out[keep] = id;
    return out;
  }

  /** Returns the oldest declared attribute other than consent, which is never evicted; or -1. */
  static int oldestEvictable(String[] keys, long[] times) {
    int oldest = -1;
    for (int i = 0; i < times.length; i++) {
      if (!SessionData.CONSENT.equals(keys[i]) && (oldest < 0 || times[i] < times[oldest])) {
        oldest = i;
      }
    }
    return oldest;
  }

  static <T> T[] remove(T[] a, int i) {
    T[] out = Arrays.copyOf(a, a.length - 1);
    System.arraycopy(a, i + 1, out, i, a.length - i - 1);
    return out;
  }

  static long[] remove(long[] a, int i) {
    long[] out = Arrays.copyOf(a, a.length - 1);
    System.arraycopy(a, i + 1, out, i, a.length - i - 1);
    return out;
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

  static int indexOf(String[] keys, String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** A bounded map from key to decayed weight that keeps the heaviest keys. */
  static final class Affinity {
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
