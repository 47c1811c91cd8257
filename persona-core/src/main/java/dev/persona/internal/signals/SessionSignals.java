package dev.persona.internal.signals;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.Entry;
import dev.persona.internal.session.Identity;
import dev.persona.internal.session.ProductMemory;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.Visits;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a session remembers into implicit signals: as bare values into a frame on every
 * request, and as {@link Signal}s only when a decision's signals are asked for. Both walk the same
 * signals in the same order.
 */
public final class SessionSignals {
  /** Behaviour decayed below this no longer counts as a signal. */
  private static final double LEAST_STRENGTH = 1e-3;

  private static final Counter[] COUNTERS = Counter.values();

  private static final double DAY_MILLIS = 86_400_000.0;

  private SessionSignals() {}

  /** Puts the session's implicit signals into {@code frame}, as of {@code nowMillis}. */
  public static void fill(SignalFrame frame, SignalSlots slots, SessionData s, long nowMillis) {
    fill(frame, slots, s, null, Map.of(), nowMillis);
  }

  /**
   * Puts the implicit signals of a session and, for a signed-in visit, of the user's profile into
   * {@code frame}, as of {@code nowMillis}: the profile's cart and products instead of the
   * session's, and its facts but those the caller {@code given}.
   *
   * @param user the user's profile after the visit, or null for none
   */
  public static void fill(
      SignalFrame frame,
      SignalSlots slots,
      SessionData s,
      @Nullable SessionData user,
      Map<String, Object> given,
      long nowMillis) {
    for (int i = 0, n = s.heldCounters(); i < n; i++) { // the counters held, not every one
      double value = s.decayedAt(i);
      if (s.totalAt(i) > 0 && value >= LEAST_STRENGTH) {
        frame.putNumber(slots.counters[s.counterAt(i)], value);
      }
    }
    frame.putNumber(slots.requests, s.requests());
    frame.putNumber(slots.sessionMinutes, minutes(s, nowMillis));
    int cartItems = user != null ? user.cartItems() : s.cartItems();
    if (cartItems > 0) {
      frame.putNumber(slots.cartItems, cartItems);
    }
    ProductMemory products = user != null ? user.products() : s.products();
    if (slots.recentlyViewed >= 0 && !products.recentlyViewedIsEmpty()) {
      frame.putValue(slots.recentlyViewed, products.recentlyViewed());
    }
    if (slots.openCart >= 0 && !products.openCartIsEmpty()) {
      frame.putValue(slots.openCart, products.openCart());
    }
    if (slots.topCategory >= 0) {
      String category = s.topCategory();
      if (category != null) {
        frame.putValue(slots.topCategory, category);
      }
    }
    if (slots.topBrand >= 0 || slots.topBrandShare >= 0) {
      String brand = s.topBrand();
      if (brand != null) {
        frame.putValue(slots.topBrand, brand);
        frame.putNumber(slots.topBrandShare, s.topBrandShare());
      }
    }
    Entry entry = s.entry();
    if (entry != null) {
      frame.putValue(slots.entrySource, entry.source());
      if (entry.campaign() != null) {
        frame.putValue(slots.entryCampaign, entry.campaign());
      }
      if (entry.referrerHost() != null) {
        frame.putValue(slots.entryReferrerHost, entry.referrerHost());
      }
    }
    if (user != null) {
      fillFacts(frame, slots, user, s, given, nowMillis);
    }
  }

  /** Puts the profile's facts into the frame, but those the caller gave. */
  private static void fillFacts(
      SignalFrame frame,
      SignalSlots slots,
      SessionData user,
      SessionData s,
      Map<String, Object> given,
      long nowMillis) {
    Visits visits = user.profileVisits();
    long token = token(s);
    if (!given.containsKey(BuiltInSignals.PREVIOUS_VISITS)) {
      frame.putNumber(slots.previousVisits, visits.others(token));
    }
    long last = visits.lastSeenBefore(token);
    if (last != Long.MIN_VALUE && !given.containsKey(BuiltInSignals.DAYS_SINCE_LAST_VISIT)) {
      frame.putNumber(slots.daysSinceLastVisit, days(last, nowMillis));
    }
    if (slots.profileTopCategory >= 0 && !given.containsKey(BuiltInSignals.PROFILE_TOP_CATEGORY)) {
      String category = user.topCategory();
      if (category != null) {
        frame.putValue(slots.profileTopCategory, category);
      }
    }
    if (slots.profileTopBrand >= 0 && !given.containsKey(BuiltInSignals.PROFILE_TOP_BRAND)) {
      String brand = user.topBrand();
      if (brand != null) {
        frame.putValue(slots.profileTopBrand, brand);
      }
    }
  }

  /**
   * Adds the facts of a signed-in user's profile to {@code out} (source {@code profile}), but those
   * the caller gave or that have a declared key.
   */
  static void addFacts(
      List<Signal> out,
      SessionData user,
      SessionData s,
      Map<String, Object> given,
      Map<String, Object> declared,
      long nowMillis) {
    Visits visits = user.profileVisits();
    long token = token(s);
    addFact(out, BuiltInSignals.PREVIOUS_VISITS, (double) visits.others(token), given, declared);
    long last = visits.lastSeenBefore(token);
    if (last != Long.MIN_VALUE) {
      addFact(out, BuiltInSignals.DAYS_SINCE_LAST_VISIT, days(last, nowMillis), given, declared);
    }
    String category = user.topCategory();
    if (category != null) {
      addFact(out, BuiltInSignals.PROFILE_TOP_CATEGORY, category, given, declared);
    }
    String brand = user.topBrand();
    if (brand != null) {
      addFact(out, BuiltInSignals.PROFILE_TOP_BRAND, brand, given, declared);
    }
  }

  private static void addFact(
      List<Signal> out,
      String key,
      Object value,
      Map<String, Object> given,
      Map<String, Object> declared) {
    if (!given.containsKey(key) && !declared.containsKey(key)) {
      out.add(signal(key, value, "profile", 1));
    }
  }

  private static long token(SessionData s) {
    Identity id = s.identity();
    return id == null ? 0 : id.token();
  }

  private static double days(long lastMillis, long nowMillis) {
    return Math.max(0, nowMillis - lastMillis) / DAY_MILLIS;
  }

  /** Adds the session's implicit signals to {@code out}, as of {@code nowMillis}. */
  static void addTo(List<Signal> out, SessionData s, long nowMillis) {
    addTo(out, s, null, nowMillis);
  }

  /**
   * Adds the session's implicit signals to {@code out}, as of {@code nowMillis}; for a signed-in
   * visit, with the profile's cart and products (its facts are added by {@link #addFacts}).
   */
  static void addTo(List<Signal> out, SessionData s, @Nullable SessionData user, long nowMillis) {
    for (Counter c : COUNTERS) {
      int total = s.total(c);
      double value = s.decayed(c);
      if (total > 0 && value >= LEAST_STRENGTH) {
        out.add(signal(c.key(), value, "events", Math.min(1, value / total)));
      }
    }
    out.add(signal(BuiltInSignals.REQUESTS, (double) s.requests(), "session", 1));
    out.add(signal(BuiltInSignals.SESSION_MINUTES, minutes(s, nowMillis), "session", 1));
    int cartItems = user != null ? user.cartItems() : s.cartItems();
    if (cartItems > 0) {
      out.add(signal(BuiltInSignals.CART_ITEMS, (double) cartItems, "events", 1));
    }
    ProductMemory products = user != null ? user.products() : s.products();
    if (!products.recentlyViewedIsEmpty()) {
      out.add(signal(BuiltInSignals.RECENTLY_VIEWED, products.recentlyViewed(), "events", 1));
    }
    if (!products.openCartIsEmpty()) {
      out.add(signal(BuiltInSignals.OPEN_CART, products.openCart(), "events", 1));
    }
    if (s.topCategory() != null) {
      out.add(signal(BuiltInSignals.TOP_CATEGORY, s.topCategory(), "events", 1));
    }
    if (s.topBrand() != null) {
      out.add(signal(BuiltInSignals.TOP_BRAND, s.topBrand(), "events", 1));
      out.add(signal(BuiltInSignals.TOP_BRAND_SHARE, s.topBrandShare(), "events", 1));
    }
    Entry entry = s.entry();
    if (entry != null) {
      out.add(signal(BuiltInSignals.ENTRY_SOURCE, entry.source(), "session", 1));
      if (entry.campaign() != null) {
        out.add(signal(BuiltInSignals.ENTRY_CAMPAIGN, entry.campaign(), "session", 1));
      }
      if (entry.referrerHost() != null) {
        out.add(signal(BuiltInSignals.ENTRY_REFERRER_HOST, entry.referrerHost(), "session", 1));
      }
    }
  }

  private static double minutes(SessionData s, long nowMillis) {
    return Math.max(0, nowMillis - s.firstSeenMillis()) / 60_000.0;
  }

  private static Signal signal(String key, Object value, String source, double strength) {
    return new Signal(key, SignalKind.IMPLICIT, value, source, strength);
  }
}
