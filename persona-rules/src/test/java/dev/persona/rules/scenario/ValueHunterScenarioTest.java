package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.GOOGLEBOT;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.saleProductView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.testing.MutableClock;
import org.junit.jupiter.api.Test;

final class ValueHunterScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  private Session desktop(String id) {
    return new Session(engine, clock, id, WINDOWS_CHROME);
  }

  @Test
  void polishShopper_browsingPromocjeAndWyprzedazAndSortingByCena_isAValueHunter() {
    Session s = desktop("vh-polish-sale-pages");

    Decision landing = s.land(v -> v.event(pageView("/promocje/buty-zimowe")));
    s.afterMinutes(2).request(v -> v.event(pageView("/kategoria/buty")));
    Decision d =
        s.afterMinutes(2)
            .request(
                v ->
                    v.event(pageView("/wyprzeda%C5%BC-zimowa/kozaki"))
                        .event(
                            Event.builder("page_view")
                                .attribute("path", "/kategoria/kozaki")
                                .attribute("sort", "cena_rosnaco")
                                .build()));

    assertThat(number(landing, "sale_views")).isEqualTo(1.0);
    assertThat(landing.persona()).isNull();
    assertThat(number(d, "sale_views")).isGreaterThan(1.5);
    assertThat(number(d, "price_sorts")).isGreaterThan(0.9);
    assertThat(firedRules(d)).contains("vh-sale-browsing", "vh-price-sorting");
    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(choice(d, "home.hero").variant()).isEqualTo("flash-sale");
  }

  @Test
  void dealSiteShopper_whoSortsByPriceAndAppliesACoupon_isAValueHunter() {
    Session s = desktop("vh-deal-site");

    Decision landing =
        s.land(
            v ->
                v.header("Referer", "https://www.dealnews.com/winter-jackets-deals/")
                    .query("utm_source", "dealnews")
                    .query("utm_campaign", "Black-Friday-Deals")
                    .event(pageView("/sale/winter-jackets"))
                    .event(saleProductView("jackets", "NorthPeak")));
    s.afterMinutes(2)
        .request(
            v ->
                v.event(
                        Event.builder("search")
                            .attribute("query", "down jacket")
                            .attribute("sort", "price_asc")
                            .build())
                    .event(saleProductView("jackets", "Alpina")));
    Decision d =
        s.afterMinutes(3)
            .request(v -> v.event(addToCart("jackets", "Alpina")).event(event("apply_coupon")));

    assertThat(text(landing, "traffic_source")).isEqualTo("referral");
    assertThat(text(landing, "campaign")).isEqualTo("black-friday-deals");
    assertThat(firedRules(landing)).contains("vh-deal-campaign", "vh-sale-browsing");
    assertThat(landing.persona()).isEqualTo("value_hunter");

    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(number(d, "sale_views")).isGreaterThan(2.5);
    assertThat(number(d, "price_sorts")).isGreaterThan(0.9);
    assertThat(number(d, "coupons_applied")).isEqualTo(1.0);
    assertThat(firedRules(d))
        .contains("vh-sale-browsing", "vh-price-sorting", "vh-coupon-use")
        .doesNotContain("vh-deal-campaign");
    assertThat(d.score("value_hunter")).isCloseTo(0.85, within(1e-9));

    VariantChoice hero = choice(d, "home.hero");
    assertThat(hero.variant()).isEqualTo("flash-sale");
    assertThat(hero.persona()).isEqualTo("value_hunter");
    assertThat(content(d, "home.hero"))
        .containsEntry("headline", "Flash sale: up to 40% off")
        .containsEntry("ends_in_hours", 24)
        .containsEntry("link", "/sale");
    assertThat(choice(d, "product.badge").variant()).isEqualTo("price-drop");
    assertThat(content(d, "product.badge")).containsEntry("badge", "Price drop");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("coupon-reminder");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("deal-alert");
  }

  @Test
  void shopperWhoSaidPriceMattersMost_andSortsByPrice_isAValueHunter() {
    Session s = desktop("vh-declared");

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://www.google.com/")
                    .declared("priority", "price")
                    .event(
                        Event.builder("page_view")
                            .attribute("path", "/c/kettles")
                            .attribute("sort", "price_asc")
                            .build()));

    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(d.signal("priority").value()).isEqualTo("price");
    assertThat(firedRules(d)).containsExactlyInAnyOrder("vh-declared-price", "vh-price-sorting");
    assertThat(choice(d, "home.hero").variant()).isEqualTo("flash-sale");
  }

  @Test
  void nearMiss_aSingleSaleViewAmongFullPriceBrowsing_isNotAValueHunter() {
    Session s = desktop("vh-one-sale-view");

    s.land(
        v ->
            v.header("Referer", "https://www.google.com/")
                .event(productView("jackets", "NorthPeak"))
                .event(productView("jackets", "Alpina")));
    Decision d =
        s.afterMinutes(4)
            .request(
                v ->
                    v.event(saleProductView("jackets", "NorthPeak"))
                        .event(productView("boots", "Trailr")));

    assertThat(number(d, "sale_views")).isEqualTo(1.0);
    assertThat(d.score("value_hunter")).isZero();
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
    assertThat(choice(d, "home.hero").basis()).isEqualTo(VariantChoice.Basis.DEFAULT);
  }

  @Test
  void nearMiss_twoSaleViewsAlone_areNotEnough() {
    Session s = desktop("vh-two-sale-views");

    Decision d =
        s.land(v -> v.event(pageView("/outlet")).event(saleProductView("bags", "Carryon")));

    assertThat(number(d, "sale_views")).isEqualTo(2.0);
    assertThat(d.score("value_hunter")).isCloseTo(0.3, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  @Test
  void nearMiss_saidQualityMattersMost_outweighsSaleBrowsingAndPriceSorting() {
    Session s = desktop("vh-quality");

    Decision d =
        s.land(
            v ->
                v.declared("priority", "quality")
                    .event(pageView("/clearance"))
                    .event(saleProductView("knives", "Solingen"))
                    .event(
                        Event.builder("search")
                            .attribute("query", "chef knife")
                            .attribute("sort", "price_desc")
                            .build()));

    assertThat(firedRules(d))
        .contains("vh-sale-browsing", "vh-price-sorting", "declared-quality-over-price");
    assertThat(d.score("value_hunter")).isCloseTo(0.3, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  @Test
  void aCrawlerOnSalePages_isNobody() {
    Session s = new Session(engine, clock, "vh-crawler", GOOGLEBOT);

    Decision d =
        s.land(
            v ->
                v.query("utm_campaign", "summer-sale")
                    .event(pageView("/sale"))
                    .event(saleProductView("jackets", "NorthPeak"))
                    .event(event("apply_coupon")));

    assertThat(text(d, "device")).isEqualTo("bot");
    assertThat(firedRules(d)).contains("bot-visit", "vh-deal-campaign", "vh-sale-browsing");
    assertThat(d.scores().values()).containsOnly(0.0);
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
  }
}
