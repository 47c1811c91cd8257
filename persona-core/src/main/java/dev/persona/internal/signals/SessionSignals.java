package dev.persona.internal.signals;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.Entry;
import dev.persona.internal.session.ProductMemory;
import dev.persona.internal.session.SessionData;
import java.util.List;

/**
 * Turns what a session remembers into implicit signals: as bare values into a frame on every
 * request, and as {@link Signal}s only when a decision's signals are asked for. Both walk the same
 * signals in the same order.
 */
public final class SessionSignals {
  /** Behaviour decayed below this no longer counts as a signal. */
  private static final double LEAST_STRENGTH = 1e-3;

  private static final Counter[] COUNTERS = Counter.values();

  private SessionSignals() {}

  /** Puts the session's implicit signals into {@code frame}, as of {@code nowMillis}. */
  public static void fill(SignalFrame frame, SignalSlots slots, SessionData s, long nowMillis) {
    for (Counter c : COUNTERS) {
      int total = s.total(c);
      double value = s.decayed(c);
      if (total > 0 && value >= LEAST_STRENGTH) {
        frame.putNumber(slots.counters[c.ordinal()], value);
      }
    }
    frame.putNumber(slots.requests, s.requests());
    frame.putNumber(slots.sessionMinutes, minutes(s, nowMillis));
    if (s.cartItems() > 0) {
      frame.putNumber(slots.cartItems, s.cartItems());
    }
    ProductMemory products = s.products();
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
  }

  /** Adds the session's implicit signals to {@code out}, as of {@code nowMillis}. */
  static void addTo(List<Signal> out, SessionData s, long nowMillis) {
    for (Counter c : COUNTERS) {
      int total = s.total(c);
      double value = s.decayed(c);
      if (total > 0 && value >= LEAST_STRENGTH) {
        out.add(signal(c.key(), value, "events", Math.min(1, value / total)));
      }
    }
    out.add(signal(BuiltInSignals.REQUESTS, (double) s.requests(), "session", 1));
    out.add(signal(BuiltInSignals.SESSION_MINUTES, minutes(s, nowMillis), "session", 1));
    if (s.cartItems() > 0) {
      out.add(signal(BuiltInSignals.CART_ITEMS, (double) s.cartItems(), "events", 1));
    }
    ProductMemory products = s.products();
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
