package dev.persona.internal.session;

/**
 * The behaviour counts kept per session, each an implicit NUMBER signal whose value decays. The
 * byte form stores counters by key, so reordering or adding constants keeps old states readable.
 */
public enum Counter {
  PAGE_VIEWS("page_views", "page views"),
  PRODUCT_VIEWS("product_views", "product detail views"),
  SALE_VIEWS("sale_views", "views of products on sale or of sale and clearance pages"),
  GIFT_VIEWS(
      "gift_views", "views of gift guides, gift cards or gift categories, and gift searches"),
  SEARCHES("searches", "searches"),
  PRICE_SORTS("price_sorts", "searches or listings sorted by price"),
  CART_ADDS("cart_adds", "add-to-cart events"),
  CART_REMOVES("cart_removes", "remove-from-cart events"),
  CHECKOUTS("checkouts", "checkouts begun"),
  PURCHASES("purchases", "purchases completed in the session"),
  COUPONS_APPLIED("coupons_applied", "coupons or promo codes applied"),
  REVIEWS_READ("reviews_read", "review and Q&A reads"),
  COMPARES("compares", "product comparisons"),
  SHARES("shares", "shares to social networks or friends"),
  WISHLIST_ADDS("wishlist_adds", "wishlist adds"),
  GIFT_OPTIONS("gift_options", "gift wrap, gift message or ship-to-another-address choices"),
  UNKNOWN_EVENTS("unknown_events", "events of a type the engine does not know");

  private static final Counter[] VALUES = values();

  private final String key;
  private final String description;

  Counter(String key, String description) {
    this.key = key;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  static Counter byKey(String key) {
    for (Counter c : VALUES) {
      if (c.key.equals(key)) {
        return c;
      }
    }
    return null;
  }

  static int count() {
    return VALUES.length;
  }

  static Counter at(int ordinal) {
    return VALUES[ordinal];
  }
}
