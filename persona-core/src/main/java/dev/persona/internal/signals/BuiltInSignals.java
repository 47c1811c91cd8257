package dev.persona.internal.signals;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.internal.session.Counter;
import java.util.ArrayList;
import java.util.List;

/** The explicit and implicit signals every engine knows; contextual ones come from extractors. */
public final class BuiltInSignals {
  public static final String REQUESTS = "requests";
  public static final String SESSION_MINUTES = "session_minutes";
  public static final String CART_ITEMS = "cart_items";
  public static final String TOP_CATEGORY = "top_category";
  public static final String TOP_BRAND = "top_brand";
  public static final String TOP_BRAND_SHARE = "top_brand_share";
  public static final String CONSENT = "consent";

  /** The declared consent that allows storing behaviour, as read. */
  public static final String GRANTED = "granted";

  /** The declared consent that limits a session to each request's own signals, as read. */
  public static final String DENIED = "denied";

  public static final String RECENTLY_VIEWED = "recently_viewed";
  public static final String OPEN_CART = "open_cart";
  public static final String ENTRY_SOURCE = "entry_source";
  public static final String ENTRY_CAMPAIGN = "entry_campaign";
  public static final String ENTRY_REFERRER_HOST = "entry_referrer_host";
  public static final String PREVIOUS_VISITS = "previous_visits";
  public static final String DAYS_SINCE_LAST_VISIT = "days_since_last_visit";
  public static final String PROFILE_TOP_CATEGORY = "profile_top_category";
  public static final String PROFILE_TOP_BRAND = "profile_top_brand";

  public static final String ORDERS = "orders";
  public static final String LIFETIME_VALUE = "lifetime_value";
  public static final String DAYS_SINCE_LAST_ORDER = "days_since_last_order";
  public static final String AVG_DAYS_BETWEEN_ORDERS = "avg_days_between_orders";
  public static final String DAYS_SINCE_FIRST_ORDER = "days_since_first_order";
  public static final String AVG_ORDER_VALUE = "avg_order_value";

  public static final String P_ALIVE = "p_alive";
  public static final String EXPECTED_ORDERS = "expected_orders";
  public static final String EXPECTED_ORDER_VALUE = "expected_order_value";
  public static final String PREDICTED_CLV = "predicted_clv";
  public static final String DAYS_OVERDUE = "days_overdue";

  private static final List<SignalSpec> EXPLICIT =
      List.of(
          explicit("interests", SignalType.SET, "topics the shopper said they care about"),
          explicit("preferred_brands", SignalType.SET, "brands the shopper said they prefer"),
          explicit(
              "preferred_categories", SignalType.SET, "categories the shopper said they prefer"),
          explicit("shopping_for_gift", SignalType.FLAG, "the shopper said they are buying a gift"),
          explicit(
              "priority", SignalType.TEXT, "what matters most: price, quality, sustainability"),
          explicit("loyalty_member", SignalType.FLAG, "member of the loyalty programme"),
          explicit("newsletter_topics", SignalType.SET, "newsletter topics the shopper chose"),
          explicit("preferred_channel", SignalType.TEXT, "how the shopper wants to be contacted"),
          explicit(CONSENT, SignalType.TEXT, "declared consent: granted or denied"));

  private static final List<SignalSpec> PROFILE =
      List.of(
          profile(ORDERS, SignalType.NUMBER, "orders to date"),
          profile(LIFETIME_VALUE, SignalType.NUMBER, "revenue from the customer to date"),
          profile(DAYS_SINCE_LAST_ORDER, SignalType.NUMBER, "days since the latest order"),
          profile(AVG_DAYS_BETWEEN_ORDERS, SignalType.NUMBER, "average days between orders"),
          profile(DAYS_SINCE_FIRST_ORDER, SignalType.NUMBER, "days since the first order"),
          profile(AVG_ORDER_VALUE, SignalType.NUMBER, "average value of the customer's orders"),
          profile("open_cart_items", SignalType.NUMBER, "items in the customer's saved cart"),
          profile("repeat_skus", SignalType.SET, "products the customer bought more than once"),
          profile(PREVIOUS_VISITS, SignalType.NUMBER, "earlier sessions of this customer"),
          profile(DAYS_SINCE_LAST_VISIT, SignalType.NUMBER, "days since the previous session"),
          profile(
              PROFILE_TOP_CATEGORY,
              SignalType.TEXT,
              "category with the most long-term attention of the signed-in customer"),
          profile(
              PROFILE_TOP_BRAND,
              SignalType.TEXT,
              "brand with the most long-term attention of the signed-in customer"));

  private static final List<SignalSpec> PREDICTED =
      List.of(
          implicit(
              P_ALIVE,
              SignalType.NUMBER,
              "probability that the customer still orders (BG/NBD), 0-1; 1 before a repeat order"),
          implicit(
              EXPECTED_ORDERS,
              SignalType.NUMBER,
              "orders expected within the prediction horizon, by default 90 days (BG/NBD)"),
          implicit(
              EXPECTED_ORDER_VALUE,
              SignalType.NUMBER,
              "expected value of the customer's next orders (Gamma-Gamma)"),
          implicit(
              PREDICTED_CLV,
              SignalType.NUMBER,
              "revenue expected within the lifetime-value horizon, by default 365 days"),
          implicit(
              DAYS_OVERDUE,
              SignalType.NUMBER,
              "days since the last order minus the usual days between orders; negative: not due"));

  private static final List<SignalSpec> SESSION = sessionSpecs();

  private BuiltInSignals() {}

  /** Returns the explicit signals with a built-in meaning. */
  public static List<SignalSpec> explicit() {
    return EXPLICIT;
  }

  /** Returns the profile facts with a built-in meaning (implicit, source {@code profile}). */
  public static List<SignalSpec> profile() {
    return PROFILE;
  }

  /** Returns the signals predicted from the profile facts (implicit, source {@code prediction}). */
  public static List<SignalSpec> predicted() {
    return PREDICTED;
  }

  /** Returns the implicit signals computed from the session's events. */
  public static List<SignalSpec> session() {
    return SESSION;
  }

  /** Returns all of the above. */
  public static List<SignalSpec> all() {
    List<SignalSpec> out = new ArrayList<>(EXPLICIT);
    out.addAll(PROFILE);
    out.addAll(PREDICTED);
    out.addAll(SESSION);
    return List.copyOf(out);
  }

  private static List<SignalSpec> sessionSpecs() {
    List<SignalSpec> out = new ArrayList<>();
    for (Counter c : Counter.values()) {
      out.add(implicit(c.key(), SignalType.NUMBER, c.description() + ", decayed by recency"));
    }
    out.add(implicit(REQUESTS, SignalType.NUMBER, "requests in this session, this one included"));
    out.add(
        implicit(SESSION_MINUTES, SignalType.NUMBER, "minutes since the session's first request"));
    out.add(
        implicit(
            CART_ITEMS, SignalType.NUMBER, "items added to the cart and not removed or bought"));
    out.add(implicit(TOP_CATEGORY, SignalType.TEXT, "category with the most recent attention"));
    out.add(implicit(TOP_BRAND, SignalType.TEXT, "brand with the most recent attention"));
    out.add(
        implicit(TOP_BRAND_SHARE, SignalType.NUMBER, "top brand's share of brand attention, 0-1"));
    out.add(
        implicit(
            RECENTLY_VIEWED,
            SignalType.SET,
            "ids of the products viewed most recently (event attribute 'product')"));
    out.add(
        implicit(
            OPEN_CART, SignalType.SET, "ids of the products added to the cart and still there"));
    out.add(
        implicit(
            ENTRY_SOURCE,
            SignalType.TEXT,
            "traffic_source of the session's entry: its first external landing, or its latest"
                + " campaign landing"));
    out.add(implicit(ENTRY_CAMPAIGN, SignalType.TEXT, "campaign of the session's entry"));
    out.add(implicit(ENTRY_REFERRER_HOST, SignalType.TEXT, "referrer_host of the session's entry"));
    return List.copyOf(out);
  }

  private static SignalSpec explicit(String key, SignalType type, String description) {
    return new SignalSpec(key, SignalKind.EXPLICIT, type, description);
  }

  private static SignalSpec profile(String key, SignalType type, String description) {
    return new SignalSpec(key, SignalKind.IMPLICIT, type, description);
  }

  private static SignalSpec implicit(String key, SignalType type, String description) {
    return new SignalSpec(key, SignalKind.IMPLICIT, type, description);
  }
}
