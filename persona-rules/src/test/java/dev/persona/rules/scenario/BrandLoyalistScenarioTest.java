package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.MAC_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BrandLoyalistScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void loyaltyMemberFromTheNewsletter_whoStaysWithOneBrand_isABrandLoyalist() {
    Session s =
        new Session(engine, clock, "bl-newsletter", MAC_SAFARI)
            .profile("orders", 4)
            .profile("lifetime_value", 820.0)
            .profile("previous_visits", 12)
            .profile("days_since_last_visit", 9);

    Decision landing =
        s.land(
            v ->
                v.query("utm_source", "newsletter")
                    .query("utm_medium", "email")
                    .query("utm_campaign", "new-arrivals-autumn")
                    .declared("loyalty_member", true)
                    .declared("preferred_brands", List.of("NorthPeak"))
                    .event(productView("jackets", "NorthPeak")));
    Decision d =
        s.afterMinutes(4)
            .request(
                v ->
                    v.event(productView("jackets", "NorthPeak"))
                        .event(productView("fleeces", "NorthPeak"))
                        .event(productView("fleeces", "Alpina")));

    assertThat(text(landing, "traffic_source")).isEqualTo("email");
    assertThat(firedRules(landing)).contains("bl-returns-direct-or-email");
    assertThat(landing.persona()).isEqualTo("brand_loyalist");

    assertThat(d.persona()).isEqualTo("brand_loyalist");
    assertThat(text(d, "top_brand")).isEqualTo("northpeak");
    assertThat(number(d, "top_brand_share")).isGreaterThan(0.7);
    assertThat(d.signal("loyalty_member").kind()).isEqualTo(SignalKind.EXPLICIT);
    assertThat(d.signal("loyalty_member").value()).isEqualTo(true);
    // Browsing on from the landing page is internal traffic: no longer "came straight back".
    assertThat(text(d, "traffic_source")).isEqualTo("internal");
    assertThat(firedRules(d))
        .containsExactlyInAnyOrder(
            "bl-brand-focus", "bl-loyalty-member", "bl-declared-brands", "bl-high-value-customer");
    assertThat(d.score("brand_loyalist")).isCloseTo(0.9, within(1e-9));

    assertThat(choice(d, "home.hero").variant()).isEqualTo("vip-new-arrivals");
    assertThat(content(d, "home.hero"))
        .containsEntry("perk", "vip_early_access")
        .containsEntry("cta", "Get early access");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("vip-early-access");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("double-points");
  }

  @Test
  void repeatCustomerTypingTheAddress_andBrowsingOneBrand_isABrandLoyalist() {
    Session s = new Session(engine, clock, "bl-direct", WINDOWS_CHROME).profile("orders", 2);

    Decision d =
        s.land(
            v ->
                v.event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Stride"))
                    .event(productView("socks", "Stride")));

    assertThat(text(d, "traffic_source")).isEqualTo("direct");
    assertThat(number(d, "top_brand_share")).isEqualTo(1.0);
    assertThat(firedRules(d))
        .containsExactlyInAnyOrder("bl-brand-focus", "bl-returns-direct-or-email");
    assertThat(d.persona()).isEqualTo("brand_loyalist");
  }

  @Test
  void nearMiss_anAnonymousVisitorLookingAtOneBrand_isNotYetABrandLoyalist() {
    Session s = new Session(engine, clock, "bl-anonymous", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://www.bing.com/")
                    .event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Stride")));

    assertThat(firedRules(d)).containsExactly("bl-brand-focus");
    assertThat(d.score("brand_loyalist")).isCloseTo(0.35, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  @Test
  void nearMiss_aLoyaltyMemberBrowsingManyBrands_isNotABrandLoyalist() {
    Session s = new Session(engine, clock, "bl-many-brands", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://www.google.com/")
                    .declared("loyalty_member", true)
                    .event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Kicks"))
                    .event(productView("sneakers", "Runwell"))
                    .event(productView("sneakers", "Stride")));

    assertThat(number(d, "top_brand_share")).isEqualTo(0.5);
    assertThat(firedRules(d)).containsExactly("bl-loyalty-member");
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
  }
}
