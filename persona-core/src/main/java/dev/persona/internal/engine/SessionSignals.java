package dev.persona.internal.engine;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.ProductMemory;
import dev.persona.internal.session.SessionData;

/** Turns what a session remembers into implicit signals. */
public final class SessionSignals {
  /** Behaviour decayed below this no longer counts as a signal. */
  private static final double LEAST_STRENGTH = 1e-3;

  private static final Counter[] COUNTERS = Counter.values();

  private SessionSignals() {}

  /** Adds the session's implicit signals to {@code frame}, as of {@code nowMillis}. */
  public static void addTo(
      SignalFrame frame, CompiledRuleSet compiled, SessionData s, long nowMillis) {
    for (Counter c : COUNTERS) {
      int total = s.total(c);
      double value = s.decayed(c);
      if (total > 0 && value >= LEAST_STRENGTH) {
        compiled.add(frame, signal(c.key(), value, "events", Math.min(1, value / total)));
      }
    }
    compiled.add(frame, signal(BuiltInSignals.REQUESTS, (double) s.requests(), "session", 1));
    double minutes = Math.max(0, nowMillis - s.firstSeenMillis()) / 60_000.0;
    compiled.add(frame, signal(BuiltInSignals.SESSION_MINUTES, minutes, "session", 1));
    if (s.cartItems() > 0) {
      compiled.add(frame, signal(BuiltInSignals.CART_ITEMS, (double) s.cartItems(), "events", 1));
    }
    ProductMemory products = s.products();
    if (!products.recentlyViewedIsEmpty()) {
      compiled.add(
          frame, signal(BuiltInSignals.RECENTLY_VIEWED, products.recentlyViewed(), "events", 1));
    }
    if (!products.openCartIsEmpty()) {
      compiled.add(frame, signal(BuiltInSignals.OPEN_CART, products.openCart(), "events", 1));
    }
    if (s.topCategory() != null) {
      compiled.add(frame, signal(BuiltInSignals.TOP_CATEGORY, s.topCategory(), "events", 1));
    }
    if (s.topBrand() != null) {
      compiled.add(frame, signal(BuiltInSignals.TOP_BRAND, s.topBrand(), "events", 1));
      compiled.add(frame, signal(BuiltInSignals.TOP_BRAND_SHARE, s.topBrandShare(), "events", 1));
    }
  }

  private static Signal signal(String key, Object value, String source, double strength) {
    return new Signal(key, SignalKind.IMPLICIT, value, source, strength);
  }
}
