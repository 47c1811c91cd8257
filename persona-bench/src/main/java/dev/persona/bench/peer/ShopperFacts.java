package dev.persona.bench.peer;

import java.util.Map;
import java.util.Set;

/**
 * A session's facts as a typed Java object: the signals the default rule set tests, as a team would
 * model them for hand-written rules or Drools. Absent numbers are {@code NaN} (every comparison
 * with NaN is false, as every test of an absent signal is), absent texts, flags and sets are null.
 * A JavaBean, because Drools reads properties through getters.
 */
public final class ShopperFacts {
  private String device;
  private String trafficSource;
  private String campaign;
  private String entrySource;
  private String entryCampaign;
  private String priority;
  private Boolean loyaltyMember;
  private Boolean shoppingForGift;
  private Boolean giftingPeriod;
  private Set<String> preferredBrands;
  private Set<String> repeatSkus;
  private double saleViews = Double.NaN;
  private double couponsApplied = Double.NaN;
  private double priceSorts = Double.NaN;
  private double reviewsRead = Double.NaN;
  private double compares = Double.NaN;
  private double productViews = Double.NaN;
  private double purchases = Double.NaN;
  private double checkouts = Double.NaN;
  private double shares = Double.NaN;
  private double giftViews = Double.NaN;
  private double giftOptions = Double.NaN;
  private double sessionMinutes = Double.NaN;
  private double topBrandShare = Double.NaN;
  private double orders = Double.NaN;
  private double lifetimeValue = Double.NaN;
  private double avgDaysBetweenOrders = Double.NaN;
  private double daysSinceLastOrder = Double.NaN;
  private double daysOverdue = Double.NaN;
  private double pAlive = Double.NaN;

  /**
   * Reads the facts this class models from a session's fact map; other keys are ignored.
   *
   * @param facts signal key to value
   * @return the typed facts
   */
  @SuppressWarnings("unchecked")
  public static ShopperFacts from(Map<String, Object> facts) {
    ShopperFacts f = new ShopperFacts();
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "device" -> f.device = (String) v;
        case "traffic_source" -> f.trafficSource = (String) v;
        case "campaign" -> f.campaign = (String) v;
        case "entry_source" -> f.entrySource = (String) v;
        case "entry_campaign" -> f.entryCampaign = (String) v;
        case "priority" -> f.priority = (String) v;
        case "loyalty_member" -> f.loyaltyMember = (Boolean) v;
        case "shopping_for_gift" -> f.shoppingForGift = (Boolean) v;
        case "gifting_period" -> f.giftingPeriod = (Boolean) v;
        case "preferred_brands" -> f.preferredBrands = (Set<String>) v;
        case "repeat_skus" -> f.repeatSkus = (Set<String>) v;
        case "sale_views" -> f.saleViews = (Double) v;
        case "coupons_applied" -> f.couponsApplied = (Double) v;
        case "price_sorts" -> f.priceSorts = (Double) v;
        case "reviews_read" -> f.reviewsRead = (Double) v;
        case "compares" -> f.compares = (Double) v;
        case "product_views" -> f.productViews = (Double) v;
        case "purchases" -> f.purchases = (Double) v;
        case "checkouts" -> f.checkouts = (Double) v;
        case "shares" -> f.shares = (Double) v;
        case "gift_views" -> f.giftViews = (Double) v;
        case "gift_options" -> f.giftOptions = (Double) v;
        case "session_minutes" -> f.sessionMinutes = (Double) v;
        case "top_brand_share" -> f.topBrandShare = (Double) v;
        case "orders" -> f.orders = (Double) v;
        case "lifetime_value" -> f.lifetimeValue = (Double) v;
        case "avg_days_between_orders" -> f.avgDaysBetweenOrders = (Double) v;
        case "days_since_last_order" -> f.daysSinceLastOrder = (Double) v;
        case "days_overdue" -> f.daysOverdue = (Double) v;
        case "p_alive" -> f.pAlive = (Double) v;
        default -> {
          // not tested by the default rule set
        }
      }
    }
    return f;
  }

  /** Returns the device class, or null. */
  public String getDevice() {
    return device;
  }

  /** Returns the traffic source, or null. */
  public String getTrafficSource() {
    return trafficSource;
  }

  /** Returns the campaign, or null. */
  public String getCampaign() {
    return campaign;
  }

  /** Returns the traffic source of the session's entry, or null. */
  public String getEntrySource() {
    return entrySource;
  }

  /** Returns the campaign of the session's entry, or null. */
  public String getEntryCampaign() {
    return entryCampaign;
  }

  /** Returns the declared priority, or null. */
  public String getPriority() {
    return priority;
  }

  /** Returns loyalty membership, or null. */
  public Boolean getLoyaltyMember() {
    return loyaltyMember;
  }

  /** Returns whether the shopper said they buy a gift, or null. */
  public Boolean getShoppingForGift() {
    return shoppingForGift;
  }

  /** Returns whether the visit falls in a gifting period, or null. */
  public Boolean getGiftingPeriod() {
    return giftingPeriod;
  }

  /** Returns the declared brands, or null. */
  public Set<String> getPreferredBrands() {
    return preferredBrands;
  }

  /** Returns the products bought more than once, or null. */
  public Set<String> getRepeatSkus() {
    return repeatSkus;
  }

  /** Returns the decayed count, or NaN. */
  public double getSaleViews() {
    return saleViews;
  }

  /** Returns the decayed count, or NaN. */
  public double getCouponsApplied() {
    return couponsApplied;
  }

  /** Returns the decayed count, or NaN. */
  public double getPriceSorts() {
    return priceSorts;
  }

  /** Returns the decayed count, or NaN. */
  public double getReviewsRead() {
    return reviewsRead;
  }

  /** Returns the decayed count, or NaN. */
  public double getCompares() {
    return compares;
  }

  /** Returns the decayed count, or NaN. */
  public double getProductViews() {
    return productViews;
  }

  /** Returns the decayed count, or NaN. */
  public double getPurchases() {
    return purchases;
  }

  /** Returns the decayed count, or NaN. */
  public double getCheckouts() {
    return checkouts;
  }

  /** Returns the decayed count, or NaN. */
  public double getShares() {
    return shares;
  }

  /** Returns the decayed count, or NaN. */
  public double getGiftViews() {
    return giftViews;
  }

  /** Returns the decayed count, or NaN. */
  public double getGiftOptions() {
    return giftOptions;
  }

  /** Returns the session's length in minutes, or NaN. */
  public double getSessionMinutes() {
    return sessionMinutes;
  }

  /** Returns the top brand's share of attention, or NaN. */
  public double getTopBrandShare() {
    return topBrandShare;
  }

  /** Returns the orders to date, or NaN. */
  public double getOrders() {
    return orders;
  }

  /** Returns the lifetime value, or NaN. */
  public double getLifetimeValue() {
    return lifetimeValue;
  }

  /** Returns the average days between orders, or NaN. */
  public double getAvgDaysBetweenOrders() {
    return avgDaysBetweenOrders;
  }

  /** Returns the days since the last order, or NaN. */
  public double getDaysSinceLastOrder() {
    return daysSinceLastOrder;
  }

  /** Returns the days since the last order minus the usual gap, or NaN. */
  public double getDaysOverdue() {
    return daysOverdue;
  }

  /** Returns the predicted probability that the customer still orders, or NaN. */
  public double getPAlive() {
    return pAlive;
  }
}
