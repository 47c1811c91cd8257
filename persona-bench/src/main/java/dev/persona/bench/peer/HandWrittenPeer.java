package dev.persona.bench.peer;

import java.util.Locale;
import java.util.Map;

/**
 * The default rule set's persona scoring written by hand as plain Java if-statements over {@link
 * ShopperFacts}: the floor that any engine's cost is measured against. It must be kept in step with
 * {@code default-rules.json} by hand; {@code PeerEquivalenceTest} catches a drift.
 */
public final class HandWrittenPeer implements PersonaScorer<ShopperFacts> {
  private static final int VALUE_HUNTER = 0;
  private static final int RESEARCHER = 1;
  private static final int BRAND_LOYALIST = 2;
  private static final int SOCIAL_BUTTERFLY = 3;
  private static final int REPLENISHER = 4;
  private static final int MOBILE_SHOPPER = 5;
  private static final int GIFT_GIVER = 6;

  @Override
  public ShopperFacts prepare(Map<String, Object> facts) {
    return ShopperFacts.from(facts);
  }

  @Override
  public void score(ShopperFacts f, double[] scores) {
    double valueHunter = 0;
    double researcher = 0;
    double brandLoyalist = 0;
    double socialButterfly = 0;
    double replenisher = 0;
    double mobileShopper = 0;
    double giftGiver = 0;

    String device = f.getDevice();
    if ("bot".equals(device)) {
      valueHunter -= 1;
      researcher -= 1;
      brandLoyalist -= 1;
      socialButterfly -= 1;
      replenisher -= 1;
      mobileShopper -= 1;
      giftGiver -= 1;
    }

    // Campaign tests ignore case: lower-case it once (no copy when it is lower case already).
    String campaign = f.getCampaign() == null ? null : f.getCampaign().toLowerCase(Locale.ROOT);
    String priority = f.getPriority();
    if (f.getSaleViews() >= 1.5) {
      valueHunter += 0.3;
    }
    if (f.getCouponsApplied() >= 0.5) {
      valueHunter += 0.35;
    }
    if (f.getPriceSorts() >= 0.5) {
      valueHunter += 0.2;
    }
    if ("price".equals(priority)) {
      valueHunter += 0.3;
    }
    if (campaign != null
        && (campaign.contains("deal")
            || campaign.contains("sale")
            || campaign.contains("coupon")
            || campaign.contains("voucher")
            || campaign.contains("promo")
            || campaign.contains("discount")
            || campaign.contains("black-friday"))) {
      valueHunter += 0.25;
    }
    if ("quality".equals(priority) || "sustainability".equals(priority)) {
      valueHunter -= 0.2;
      researcher += 0.15;
    }

    double reviews = f.getReviewsRead();
    double productViews = f.getProductViews();
    double purchases = f.getPurchases();
    double minutes = f.getSessionMinutes();
    if (reviews >= 0.5) {
      researcher += 0.1 * Math.min(reviews, 4);
    }
    if (f.getCompares() >= 0.5) {
      researcher += 0.25;
    }
    if (productViews >= 4.5 && Double.isNaN(purchases)) {
      researcher += 0.2;
    }
    if (minutes >= 20 && productViews >= 2.5) {
      researcher += 0.15;
    }
    if (purchases >= 0.5 && (Double.isNaN(productViews) || productViews < 1.5)) {
      researcher -= 0.2;
    }

    double orders = f.getOrders();
    String source = f.getTrafficSource();
    if (f.getTopBrandShare() >= 0.7 && productViews >= 2.5) {
      brandLoyalist += 0.35;
    }
    if (Boolean.TRUE.equals(f.getLoyaltyMember())) {
      brandLoyalist += 0.3;
    }
    if (f.getPreferredBrands() != null) {
      brandLoyalist += 0.15;
    }
    if (("direct".equals(source) || "email".equals(source)) && orders >= 2) {
      brandLoyalist += 0.2;
    }
    if (orders >= 3 && f.getLifetimeValue() >= 500) {
      brandLoyalist += 0.1;
    }

    double shares = f.getShares();
    String entrySource = f.getEntrySource();
    String entryCampaign =
        f.getEntryCampaign() == null ? null : f.getEntryCampaign().toLowerCase(Locale.ROOT);
    if ("organic_social".equals(source)
        || "paid_social".equals(source)
        || "organic_social".equals(entrySource)
        || "paid_social".equals(entrySource)) {
      socialButterfly += 0.3;
    }
    if (shares >= 0.5) {
      socialButterfly += 0.3 * Math.min(shares, 2);
    }
    if (influencer(campaign) || influencer(entryCampaign)) {
      socialButterfly += 0.3;
    }
    if ((campaign != null && campaign.contains("refer"))
        || (entryCampaign != null && entryCampaign.contains("refer"))) {
      socialButterfly += 0.2;
    }

    double gap = f.getAvgDaysBetweenOrders();
    double sinceLast = f.getDaysSinceLastOrder();
    if (orders >= 3 && f.getRepeatSkus() != null) {
      replenisher += 0.25;
    }
    if (orders >= 3 && gap >= 5 && gap <= 90) {
      replenisher += 0.15;
    }
    // NaN, an absent number, fails every comparison.
    boolean due = gap >= 5 && sinceLast >= gap * 0.9;
    if (due) {
      replenisher += 0.2;
    }
    if (gap >= 5 && sinceLast > gap * 1.2) {
      replenisher += 0.1;
    }
    if (due && f.getRepeatSkus() != null && f.getRepeatSkus().size() >= 3) {
      replenisher += 0.1;
    }
    double alive = f.getPAlive();
    if (f.getDaysOverdue() >= 0 && alive >= 0.5) {
      replenisher += 0.15;
    }
    if (alive < 0.3) {
      replenisher -= 0.3;
    }

    if ("mobile".equals(device)) {
      mobileShopper += 0.4;
      if (minutes < 15) {
        mobileShopper += 0.15;
      }
      if (f.getCheckouts() >= 0.5 && minutes < 20) {
        mobileShopper += 0.2;
      }
    } else if ("tablet".equals(device)) {
      mobileShopper += 0.15;
    }

    double giftViews = f.getGiftViews();
    if (Boolean.TRUE.equals(f.getShoppingForGift())) {
      giftGiver += 0.5;
    }
    if (giftViews >= 0.5) {
      giftGiver += 0.15 * Math.min(giftViews, 3);
    }
    if (f.getGiftOptions() >= 0.5) {
      giftGiver += 0.35;
    }
    if (campaign != null && campaign.contains("gift")) {
      giftGiver += 0.2;
    }
    if (Boolean.TRUE.equals(f.getGiftingPeriod()) && giftViews >= 0.5) {
      giftGiver += 0.2;
    }

    scores[VALUE_HUNTER] = clamp(valueHunter);
    scores[RESEARCHER] = clamp(researcher);
    scores[BRAND_LOYALIST] = clamp(brandLoyalist);
    scores[SOCIAL_BUTTERFLY] = clamp(socialButterfly);
    scores[REPLENISHER] = clamp(replenisher);
    scores[MOBILE_SHOPPER] = clamp(mobileShopper);
    scores[GIFT_GIVER] = clamp(giftGiver);
  }

  private static double clamp(double score) {
    return Math.max(0, Math.min(1, score));
  }

  static boolean containsIgnoreCase(String text, String part) {
    int last = text.length() - part.length();
    for (int i = 0; i <= last; i++) {
      if (text.regionMatches(true, i, part, 0, part.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean influencer(String campaign) {
    return campaign != null
        && (campaign.contains("influencer")
            || campaign.contains("creator")
            || campaign.contains("ambassador")
            || campaign.contains("ugc"));
  }
}
