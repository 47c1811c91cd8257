package dev.persona.internal.signals;

import dev.persona.Event;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.config.Vocabulary;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Counter;
import dev.persona.internal.vocabulary.VocabularyMatcher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a visit declares, what the store knows of the customer and the visit's events, within
 * the engine's {@link Limits}, and reports what it had to truncate or reject.
 */
public final class VisitReader {
  private final Limits limits;
  private final Values values;

  public VisitReader(Limits limits) {
    this.limits = limits;
    this.values = new Values(limits.maxStringLength(), limits.maxSetSize());
  }

  /**
   * Returns the visit's declared attributes as explicit signal values. A key declared with another
   * kind (a profile fact, say) is rejected, so that every input has exactly one kind.
   */
  public Map<String, Object> declared(Visit visit, Map<String, SignalSpec> specs, InputReport r) {
    return attributes(visit.declared(), SignalKind.EXPLICIT, "declared", specs, r);
  }

  /** Returns the visit's profile facts as implicit signal values. */
  public Map<String, Object> profile(Visit visit, Map<String, SignalSpec> specs, InputReport r) {
    return attributes(visit.profile(), SignalKind.IMPLICIT, "profile", specs, r);
  }

  private Map<String, Object> attributes(
      Map<String, Object> raw,
      SignalKind kind,
      String what,
      Map<String, SignalSpec> specs,
      InputReport report) {
    if (raw.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (kind == SignalKind.EXPLICIT && raw.containsKey(BuiltInSignals.CONSENT)) {
      // first, so that no other key crowds it out
      out.put(BuiltInSignals.CONSENT, consent(raw.get(BuiltInSignals.CONSENT), report));
    }
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      if (out.containsKey(e.getKey())) {
        continue;
      }
      if (out.size() == limits.maxDeclaredKeys()) {
        report.truncated("more than " + limits.maxDeclaredKeys() + " " + what + " attributes");
        break;
      }
      String key = e.getKey();
      if (!SignalSpec.isValidKey(key)) {
        report.rejected(what + " attribute with a malformed key");
        continue;
      }
      SignalSpec spec = specs.get(key);
      if (spec != null && spec.kind() != kind) {
        report.rejected(
            what
                + " attribute '"
                + key
                + "' is a "
                + spec.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " signal");
        continue;
      }
      Object v = values.normalize(key, e.getValue(), spec == null ? null : spec.type(), report);
      if (v != null) {
        out.put(key, v);
      }
    }
    return out;
  }

  /**
   * Returns a declared consent as {@code granted} or {@code denied}, read ignoring case and
   * surrounding white space; anything else is rejected and taken as the more private choice, {@code
   * denied}.
   */
  private static String consent(@Nullable Object said, InputReport report) {
    if (said instanceof String s) {
      String t = s.strip().toLowerCase(Locale.ROOT);
      if (t.equals(BuiltInSignals.GRANTED) || t.equals(BuiltInSignals.DENIED)) {
        return t;
      }
    }
    report.rejected("declared consent is neither 'granted' nor 'denied': taken as denied");
    return BuiltInSignals.DENIED;
  }

  /** Returns epoch millis of {@code t}, clamped so that time arithmetic cannot overflow. */
  public static long millis(Instant t) {
    return Values.millis(t);
  }

  /** Returns {@code epochMillis} clamped as {@link #millis(Instant)} clamps its instant. */
  public static long millis(long epochMillis) {
    return Values.millis(epochMillis);
  }

  /**
   * Returns what the visit's events add to the session, which events are sale views, gift views and
   * price sorts matched by {@code words}, read into {@code buffer}.
   */
  public Activity activity(
      Visit visit,
      long nowMillis,
      Map<String, Object> declared,
      InputReport report,
      VocabularyMatcher words,
      char[] buffer) {
    List<Event> events = visit.events();
    int n = Math.min(events.size(), limits.maxEventsPerVisit());
    if (events.size() > n) {
      report.truncated((events.size() - n) + " events beyond the limit of " + n);
    }
    long[] times = new long[n];
    Activity activity = Activity.of(nowMillis, times, declared);
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      Instant at = e.at();
      times[i] = at == null ? nowMillis : Math.min(Values.millis(at), nowMillis);
      int bits = read(e, i, activity, report, words, buffer);
      if ((bits & PRODUCT_EVENTS) != 0) {
        Object product = e.attributes().get("product");
        activity.setProduct(
            i, values.id("product", product != null ? product : e.attributes().get("sku"), report));
      }
      if ((bits & bit(Counter.PURCHASES)) != 0) {
        activity.setOrderValue(i, orderValue(e.attributes().get("value"), report));
      }
    }
    return activity;
  }

  /** Reads event {@code e}, the {@code i}th, into {@code activity}; returns its bumps. */
  private int read(
      Event e,
      int i,
      Activity activity,
      InputReport report,
      VocabularyMatcher words,
      char[] buffer) {
    Map<String, Object> a = e.attributes();
    String category = values.attribute("category", a.get("category"), report);
    String brand = values.attribute("brand", a.get("brand"), report);
    int bits;
    String eventCategory = null;
    String eventBrand = null;
    int cart = 0;
    switch (e.type()) {
      case "page_view":
        String path = values.attribute("path", a.get("path"), report);
        bits =
            bit(Counter.PAGE_VIEWS)
                | onSale(a)
                | counters(
                    words.match(Vocabulary.Source.PATH, path, buffer)
                        | words.match(Vocabulary.Source.CATEGORY, category, buffer)
                        | words.match(Vocabulary.Source.SORT, sort(a, report), buffer));
        eventCategory = category;
        break;
      case "product_view":
        bits =
            bit(Counter.PRODUCT_VIEWS)
                | onSale(a)
                | counters(words.match(Vocabulary.Source.CATEGORY, category, buffer));
        eventCategory = category;
        eventBrand = brand;
        break;
      case "search":
        String query = values.attribute("query", a.get("query"), report);
        bits =
            bit(Counter.SEARCHES)
                | counters(
                    words.match(Vocabulary.Source.QUERY, query, buffer)
                        | words.match(Vocabulary.Source.SORT, sort(a, report), buffer));
        break;
      case "add_to_cart":
        bits = bit(Counter.CART_ADDS);
        cart = quantity(a.get("quantity"), report);
        eventCategory = category;
        eventBrand = brand;
        break;
      case "remove_from_cart":
        bits = bit(Counter.CART_REMOVES);
        cart = -quantity(a.get("quantity"), report);
        break;
      case "begin_checkout":
        bits = bit(Counter.CHECKOUTS);
        break;
      case "purchase":
        bits = bit(Counter.PURCHASES);
        cart = Activity.EMPTY_CART;
        eventBrand = brand;
        break;
      case "apply_coupon":
        bits = bit(Counter.COUPONS_APPLIED);
        break;
      case "view_reviews":
        bits = bit(Counter.REVIEWS_READ);
        break;
      case "compare":
        bits = bit(Counter.COMPARES);
        break;
      case "share":
        bits = bit(Counter.SHARES);
        break;
      case "add_to_wishlist":
        bits = bit(Counter.WISHLIST_ADDS);
        break;
      case "gift_option":
        bits = bit(Counter.GIFT_OPTIONS);
        break;
      default:
        report.unknownEvent();
        bits = bit(Counter.UNKNOWN_EVENTS);
    }
    activity.set(i, bits, cart, eventCategory, eventBrand);
    return bits;
  }

  private @Nullable String sort(Map<String, Object> a, InputReport report) {
    return values.attribute("sort", a.get("sort"), report);
  }

  private static int onSale(Map<String, Object> a) {
    return Values.isTrue(a.get("on_sale")) ? bit(Counter.SALE_VIEWS) : 0;
  }

  /** Returns the counter bits of the vocabulary's uses in {@code uses}. */
  private static int counters(int uses) {
    return ((uses & SALE) != 0 ? bit(Counter.SALE_VIEWS) : 0)
        | ((uses & GIFT) != 0 ? bit(Counter.GIFT_VIEWS) : 0)
        | ((uses & PRICE) != 0 ? bit(Counter.PRICE_SORTS) : 0);
  }

  private static final int SALE = 1 << Vocabulary.Use.SALE_VIEWS.ordinal();
  private static final int GIFT = 1 << Vocabulary.Use.GIFT_VIEWS.ordinal();
  private static final int PRICE = 1 << Vocabulary.Use.PRICE_SORTS.ordinal();

  private static double orderValue(Object raw, InputReport report) {
    if (raw == null) {
      return 0;
    }
    if (raw instanceof Number n) {
      double v = n.doubleValue();
      if (v >= 0 && v <= 1e12) {
        return v;
      }
    }
    report.rejected("event attribute 'value' is not a number from 0 to 10^12");
    return 0;
  }

  private static int quantity(Object raw, InputReport report) {
    if (raw == null) {
      return 1;
    }
    if (raw instanceof Number n) {
      double q = n.doubleValue();
      if (q >= 1 && q <= 1000 && q == Math.rint(q)) {
        return (int) q;
      }
    }
    report.rejected("event attribute 'quantity' is not a whole number from 1 to 1000");
    return 1;
  }

  private static final int PRODUCT_EVENTS =
      bit(Counter.PRODUCT_VIEWS) | bit(Counter.CART_ADDS) | bit(Counter.CART_REMOVES);

  private static int bit(Counter c) {
    return 1 << c.ordinal();
  }
}
