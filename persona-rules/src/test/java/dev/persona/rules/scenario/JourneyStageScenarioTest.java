package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.ANDROID_CHROME;
import static dev.persona.rules.scenario.Scenarios.MAC_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.testing.MutableClock;
import org.junit.jupiter.api.Test;

final class JourneyStageScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void aFirstClickOnAnAd_isAwareness() {
    Decision d =
        new Session(engine, clock, "st-ad", ANDROID_CHROME)
            .land(v -> v.query("gclid", "EAIaIQobChMI8").event(pageView("/")));

    assertThat(text(d, "traffic_source")).isEqualTo("paid_search");
    assertThat(d.stage()).isEqualTo("awareness");
  }

  @Test
  void lookingAtProductsAndReviews_isConsideration() {
    Session s = new Session(engine, clock, "st-consider", WINDOWS_CHROME);

    Decision first =
        s.land(
            v ->
                v.header("Referer", "https://duckduckgo.com/").event(productView("tents", "Camp")));
    Decision d =
        s.afterMinutes(3)
            .request(v -> v.event(productView("tents", "Trek")).event(event("view_reviews")));

    assertThat(first.stage()).isEqualTo("awareness");
    assertThat(d.stage()).isEqualTo("consideration");
  }

  @Test
  void twoProductViewsAMinuteApart_isConsideration() {
    Session s = new Session(engine, clock, "st-two-views", WINDOWS_CHROME);

    Decision first = s.land(v -> v.event(productView("tents", "Camp")));
    Decision second = s.afterMinutes(1).request(v -> v.event(productView("tents", "Trek")));

    assertThat(first.stage()).isEqualTo("awareness");
    assertThat(second.stage()).isEqualTo("consideration");
  }

  @Test
  void twoSearchesAMinuteApart_isConsideration() {
    Session s = new Session(engine, clock, "st-two-searches", WINDOWS_CHROME);

    s.land(v -> v.event(event("search")));
    Decision second = s.afterMinutes(1).request(v -> v.event(event("search")));

    assertThat(second.stage()).isEqualTo("consideration");
  }

  @Test
  void aFilledCartOrCheckout_isThePurchaseStage() {
    Session s = new Session(engine, clock, "st-purchase", WINDOWS_CHROME);

    s.land(v -> v.event(productView("tents", "Camp")).event(productView("tents", "Trek")));
    Decision carted = s.afterMinutes(2).request(v -> v.event(addToCart("tents", "Trek")));
    Decision checkout = s.afterMinutes(2).request(v -> v.event(event("begin_checkout")));

    assertThat(carted.stage()).isEqualTo("purchase");
    assertThat(checkout.stage()).isEqualTo("purchase");
  }

  @Test
  void aCustomerBrowsingAgain_isRetention_evenWhileComparingProducts() {
    Decision d =
        new Session(engine, clock, "st-retention", MAC_SAFARI)
            .profile("orders", 3)
            .land(
                v ->
                    v.event(productView("tents", "Camp"))
                        .event(productView("tents", "Trek"))
                        .event(event("compare")));

    assertThat(d.stage()).isEqualTo("retention");
  }

  @Test
  void aCustomerWithACart_isBackInThePurchaseStage() {
    Decision d =
        new Session(engine, clock, "st-retention-cart", MAC_SAFARI)
            .profile("orders", 3)
            .land(v -> v.event(addToCart("tents", "Trek")));

    assertThat(d.stage()).isEqualTo("purchase");
  }

  @Test
  void aCustomerWhoSharesWhatTheyBought_isAdvocacy() {
    Decision d =
        new Session(engine, clock, "st-advocate", MAC_SAFARI)
            .profile("orders", 2)
            .land(v -> v.event(productView("tents", "Trek")).event(event("share")));

    assertThat(d.stage()).isEqualTo("advocacy");
  }

  @Test
  void aGuestWhoBuysAndThenShares_isAdvocacy_butSharingBeforeBuyingIsNot() {
    Session s = new Session(engine, clock, "st-guest-advocate", WINDOWS_CHROME);

    Decision sharedFirst = s.land(v -> v.event(productView("tents", "Trek")).event(event("share")));
    s.afterMinutes(4)
        .request(
            v ->
                v.event(addToCart("tents", "Trek"))
                    .event(event("begin_checkout"))
                    .event(event("purchase")));
    Decision d = s.afterMinutes(1).request(v -> v.event(event("share")));

    assertThat(sharedFirst.stage()).isEqualTo("awareness");
    assertThat(d.stage()).isEqualTo("advocacy");
  }
}
