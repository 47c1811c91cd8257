package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.MAC_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.testing.MutableClock;
import org.junit.jupiter.api.Test;

final class GiftGiverScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void shopperBrowsingTheGiftGuide_andChoosingGiftWrap_isAGiftGiver() {
    Session s = new Session(engine, clock, "gg-guide", MAC_SAFARI);

    s.land(
        v ->
            v.header("Referer", "https://www.google.com/")
                .event(pageView("/gifts/for-him"))
                .event(search("gift for dad who likes cooking")));
    s.afterMinutes(4)
        .request(
            v ->
                v.event(productView("gift-sets", "Spicery"))
                    .event(addToCart("gift-sets", "Spicery")));
    Decision d = s.afterMinutes(3).request(v -> v.event(event("gift_option")));

    assertThat(number(d, "gift_views")).isBetween(2.5, 3.0);
    assertThat(number(d, "gift_options")).isEqualTo(1.0);
    assertThat(firedRules(d)).containsExactlyInAnyOrder("gg-gift-browsing", "gg-gift-options");
    assertThat(d.score("gift_giver")).isGreaterThan(0.75);
    assertThat(d.persona()).isEqualTo("gift_giver");

    assertThat(choice(d, "home.hero").variant()).isEqualTo("gift-guide");
    assertThat(content(d, "home.hero"))
        .containsEntry("link", "/gifts")
        .containsEntry("gift_wrap", true)
        .containsEntry("delivery_promise", "Order by 2 pm for next-day delivery");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("gift-wrap-note");
    assertThat(content(d, "cart.message")).containsEntry("gift_receipt", true);
  }

  @Test
  void shopperWhoTickedImShoppingForAGift_isAGiftGiver_forTheRestOfTheSession() {
    Session s = new Session(engine, clock, "gg-declared", WINDOWS_CHROME);

    Decision told = s.land(v -> v.declared("shopping_for_gift", true));
    Decision later = s.afterMinutes(5).request(v -> v.event(productView("scarves", "Woolly")));

    assertThat(told.signal("shopping_for_gift").kind()).isEqualTo(SignalKind.EXPLICIT);
    assertThat(told.persona()).isEqualTo("gift_giver");
    assertThat(later.signal("shopping_for_gift").value()).isEqualTo(true);
    assertThat(firedRules(later)).containsExactly("gg-declared-gift");
    assertThat(later.persona()).isEqualTo("gift_giver");
    assertThat(choice(later, "product.badge").variant()).isEqualTo("gift-wrap");
  }

  @Test
  void giftCampaignClick_plusGiftBrowsing_isAGiftGiver() {
    Session s = new Session(engine, clock, "gg-campaign", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.query("utm_source", "newsletter")
                    .query("utm_medium", "email")
                    .query("utm_campaign", "holiday-gift-guide")
                    .event(pageView("/gift-guide"))
                    .event(pageView("/gift-cards")));

    assertThat(firedRules(d)).containsExactlyInAnyOrder("gg-gift-campaign", "gg-gift-browsing");
    assertThat(d.score("gift_giver")).isCloseTo(0.5, within(1e-9));
    assertThat(d.persona()).isEqualTo("gift_giver");
  }

  @Test
  void nearMiss_aSingleGiftCardSearch_isNotAGiftGiver() {
    Session s = new Session(engine, clock, "gg-one-search", WINDOWS_CHROME);

    Decision d =
        s.land(v -> v.event(search("gift card balance")).event(productView("towels", "Soft")));

    assertThat(number(d, "gift_views")).isEqualTo(1.0);
    assertThat(d.score("gift_giver")).isCloseTo(0.15, within(1e-9));
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
  }

  @Test
  void theSameGiftBrowsing_countsMoreInTheChristmasRunUp() {
    MutableClock december = new MutableClock(java.time.Instant.parse("2026-12-10T18:00:00Z"));
    Session lateNovember = new Session(engine, clock, "gg-november", WINDOWS_CHROME);
    Session runUp =
        new Session(Scenarios.engine(december), december, "gg-december", WINDOWS_CHROME);

    Decision november =
        lateNovember.land(v -> v.event(pageView("/gifts/for-her")).event(search("gift ideas")));
    Decision christmas =
        runUp.land(v -> v.event(pageView("/gifts/for-her")).event(search("gift ideas")));

    assertThat(november.signal("gifting_period").value()).isEqualTo(false);
    assertThat(november.score("gift_giver")).isCloseTo(0.30, within(1e-9));
    assertThat(november.persona()).isNull();
    assertThat(christmas.signal("season").value()).isEqualTo("christmas");
    assertThat(firedRules(christmas)).contains("gg-gifting-season");
    assertThat(christmas.score("gift_giver")).isCloseTo(0.50, within(1e-9));
    assertThat(christmas.persona()).isEqualTo("gift_giver");
  }
}
