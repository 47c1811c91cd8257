package dev.persona.internal.session;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The pure function from a user's profile, a signed-in visit and its session's state after it to
 * the new profile. A profile is a {@link SessionData} keyed by the user, whose behaviour decays
 * with a long half-life, and whose {@link Visits} name the sessions it took in.
 *
 * <p>A session new to the profile (its {@linkplain Identity#token() token} is not among the
 * profile's visits: a sign-in, or a signed-in session's first visit) is merged into it whole,
 * anonymous requests before the sign-in included: counts, totals and category and brand weights add
 * (the session's at the weight its last visit has by the profile's half-life); the recently viewed
 * products and the open cart are merged, the newer state's first; declared attributes newest wins,
 * except {@code consent}, where a denial wins (the most private of the two); requests add. A
 * session the profile holds gives it only the visit's own change, applied as to a session. Either
 * way the change is idempotent: its id is remembered like a session's, and a session is counted
 * once. A profile holding a denial of consent keeps it until a visit grants consent later.
 * Thread-safe.
 */
public final class ProfileUpdate {
  private final SessionUpdate behaviour;
  private final int maxAffinityKeys;
  private final int maxDeclaredKeys;
  private final int maxRecentProducts;
  private final int maxCartProducts;
  private final boolean rememberChanges;

  /**
   * @param halfLifeMillis the half-life of the profile's behaviour, positive
   * @param maxAffinityKeys categories and brands each kept
   * @param maxDeclaredKeys declared attributes kept
   * @param maxProducts products kept in each of the recently viewed and the open cart
   * @param toleranceMillis how far a profile's clock may run ahead of a visit, not negative
   * @param rememberChanges false for a store that applies each change once and never again
   */
  public ProfileUpdate(
      long halfLifeMillis,
      int maxAffinityKeys,
      int maxDeclaredKeys,
      int maxProducts,
      long toleranceMillis,
      boolean rememberChanges) {
    this.behaviour =
        new SessionUpdate(
            halfLifeMillis,
            maxAffinityKeys,
            maxDeclaredKeys,
            maxProducts,
            toleranceMillis,
            rememberChanges,
            0);
    this.maxAffinityKeys = maxAffinityKeys;
    this.maxDeclaredKeys = maxDeclaredKeys;
    this.maxRecentProducts = Math.min(SessionUpdate.RECENT_PRODUCTS, maxProducts);
    this.maxCartProducts = maxProducts;
    this.rememberChanges = rememberChanges;
  }

  /** Returns the weight now of something observed {@code ageMillis} ago, by the half-life. */
  public double weight(long ageMillis) {
    return behaviour.weight(ageMillis);
  }

  /**
   * Returns the profile after a signed-in visit.
   *
   * @param profile the profile, or null for none
   * @param session the visit's session after the visit, signed in: its {@link Identity} has a token
   * @param activity the visit's change
   * @param clockMillis the engine's clock when the change is applied
   * @throws IllegalArgumentException if the session is not signed in
   */
  public SessionData apply(
      @Nullable SessionData profile, SessionData session, Activity activity, long clockMillis) {
    Identity link = session.identity;
    if (link == null || link.token == 0) {
      throw new IllegalArgumentException("the session is not signed in");
    }
    if (profile != null && profile.applied(activity.id())) {
      return profile;
    }
    if (profile != null && (profile.consentDenied() || profile.visits.contains(link.token))) {
      return behaviour.apply(
          profile, activity, null, null, clockMillis, link.token, session.firstSeen);
    }
    return merge(profile, session, activity, link.token);
  }

  /**
   * Returns the profile after the user denied consent at {@code atMillis}: only the denial (see
   * {@link SessionUpdate#denied}); a grant of the same millisecond from another session does not
   * lift it, the most private of the two holds.
   */
  public SessionData denied(@Nullable SessionData profile, long atMillis) {
    return behaviour.denied(profile, atMillis, false);
  }

  private SessionData merge(
      @Nullable SessionData profile, SessionData s, Activity activity, long token) {
    SessionData p = profile == null ? SessionData.fresh(s.firstSeen) : profile;
    long now = Math.max(Math.max(p.lastSeen, s.lastSeen), activity.atMillis());
    double fp = weight(now - p.lastSeen);
    double fs = weight(now - s.lastSeen);

    int mask = p.counterMask() | s.counterMask();
    byte[] counters = SessionData.counters(mask);
    double[] decayed = new double[counters.length];
    int[] totals = new int[counters.length];
    add(p, fp, mask, decayed, totals);
    add(s, fs, mask, decayed, totals);

    SessionUpdate.Affinity categories =
        new SessionUpdate.Affinity(p.categoryKeys, p.categoryWeights, fp);
    for (int i = 0; i < s.categoryKeys.length; i++) {
      categories.add(s.categoryKeys[i], s.categoryWeights[i] * fs, maxAffinityKeys);
    }
    SessionUpdate.Affinity brands = new SessionUpdate.Affinity(p.brandKeys, p.brandWeights, fp);
    for (int i = 0; i < s.brandKeys.length; i++) {
      brands.add(s.brandKeys[i], s.brandWeights[i] * fs, maxAffinityKeys);
    }
    boolean sessionNewer = s.lastSeen >= p.lastSeen;
    ProductMemory products =
        sessionNewer
            ? ProductMemory.merge(s.products, p.products, maxRecentProducts, maxCartProducts)
            : ProductMemory.merge(p.products, s.products, maxRecentProducts, maxCartProducts);

    String[] dKeys = Arrays.copyOf(p.declaredKeys, p.declaredKeys.length);
    Object[] dValues = Arrays.copyOf(p.declaredValues, p.declaredValues.length);
    long[] dTimes = Arrays.copyOf(p.declaredTimes, p.declaredTimes.length);
    int evicted = 0;
    for (int j = 0; j < s.declaredKeys.length; j++) {
      String key = s.declaredKeys[j];
      Object value = s.declaredValues[j];
      long at = s.declaredTimes[j];
      int i = SessionUpdate.indexOf(dKeys, key);
      if (i >= 0) {
        if (SessionData.CONSENT.equals(key)
            && (SessionData.DENIED.equals(value) || SessionData.DENIED.equals(dValues[i]))) {
          dValues[i] = SessionData.DENIED; // the most private of the two
          dTimes[i] = Math.max(dTimes[i], at);
        } else if (dTimes[i] <= at) {
          dValues[i] = value;
          dTimes[i] = at;
        }
        continue;
      }
      if (dKeys.length >= maxDeclaredKeys) {
        int oldest = SessionUpdate.oldestEvictable(dKeys, dTimes);
        evicted++;
        if (oldest < 0 || (!SessionData.CONSENT.equals(key) && dTimes[oldest] > at)) {
          continue;
        }
        dKeys = SessionUpdate.remove(dKeys, oldest);
        dValues = SessionUpdate.remove(dValues, oldest);
        dTimes = SessionUpdate.remove(dTimes, oldest);
      }
      dKeys = Arrays.copyOf(dKeys, dKeys.length + 1);
      dValues = Arrays.copyOf(dValues, dValues.length + 1);
      dTimes = Arrays.copyOf(dTimes, dTimes.length + 1);
      dKeys[dKeys.length - 1] = key;
      dValues[dValues.length - 1] = value;
      dTimes[dTimes.length - 1] = at;
    }

    long requests = (long) p.requests + s.requests;
    return new SessionData(
        Math.min(p.firstSeen, s.firstSeen),
        now,
        (int) Math.min(Integer.MAX_VALUE, requests),
        counters,
        decayed,
        totals,
        (int) Math.min(1_000_000L, (long) p.cartItems + s.cartItems),
        categories.keys(),
        categories.weights(),
        brands.keys(),
        brands.weights(),
        dKeys,
        dValues,
        dTimes,
        products,
        p.outcomes,
        rememberChanges ? SessionUpdate.remember(p.applied, activity.id()) : p.applied,
        p.entry,
        null,
        p.visits.with(token, s.firstSeen, now),
        evicted,
        categories.displaced + brands.displaced,
        0,
        p.liftedDenial,
        p.liftingGrant);
  }

  /** Adds the state's counts, weighted by {@code factor}, into arrays over the counters of mask. */
  private static void add(SessionData d, double factor, int mask, double[] decayed, int[] totals) {
    byte[] seen = d.counters();
    for (int i = 0; i < seen.length; i++) {
      int k = SessionData.rank(mask, seen[i]);
      decayed[k] += d.sparseDecayed()[i] * factor;
      long t = (long) totals[k] + d.sparseTotals()[i];
      totals[k] = (int) Math.min(Integer.MAX_VALUE, t);
    }
  }
}
