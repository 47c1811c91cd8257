package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.IPHONE_SAFARI;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.matched;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.saleProductView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** A session that fits two personas at once: the common mobile value hunter. */
final class MobileValueHunterScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void phoneShopperFromAFlashSaleEmail_whoUsesACoupon_matchesBothPersonas() {
    Session s = new Session(engine, clock, "mixed-mobile-vh", IPHONE_SAFARI);

    Decision landing =
        s.land(
            v ->
                v.query("utm_source", "klaviyo")
                    .query("utm_medium", "email")
                    .query("utm_campaign", "flash-sale-48h")
                    .event(pageView("/sale")));
    s.afterMinutes(1).request(v -> v.event(saleProductView("sneakers", "Stride")));
    Decision d =
        s.afterMinutes(2)
            .request(v -> v.event(addToCart("sneakers", "Stride")).event(event("apply_coupon")));

    assertThat(text(landing, "traffic_source")).isEqualTo("email");
    assertThat(firedRules(landing)).contains("vh-deal-campaign", "ms-phone");

    assertThat(text(d, "device")).isEqualTo("mobile");
    assertThat(firedRules(d))
        .contains("vh-sale-browsing", "vh-coupon-use", "ms-phone", "ms-short-phone-session");
    assertThat(d.score("value_hunter")).isCloseTo(0.65, within(1e-9));
    assertThat(d.score("mobile_shopper")).isCloseTo(0.55, within(1e-9));
    assertThat(matched(d)).containsExactlyInAnyOrder("value_hunter", "mobile_shopper");
    assertThat(d.persona()).isEqualTo("value_hunter");

    VariantChoice hero = choice(d, "home.hero");
    assertThat(hero.variant()).isEqualTo("flash-sale");
    assertThat(hero.fit()).isCloseTo(0.65, within(1e-9));
    assertThat(content(d, "home.hero")).containsEntry("ends_in_hours", 24);
    assertThat(choice(d, "cart.message").variant()).isEqualTo("coupon-reminder");
  }

  @Test
  void onceTheyGoToCheckout_theMobileSideTakesOver() {
    Session s = new Session(engine, clock, "mixed-checkout", IPHONE_SAFARI);

    s.land(v -> v.event(pageView("/sale")).event(saleProductView("sneakers", "Stride")));
    Decision d =
        s.afterMinutes(2)
            .request(v -> v.event(addToCart("sneakers", "Stride")).event(event("begin_checkout")));

    assertThat(d.score("value_hunter")).isCloseTo(0.3, within(1e-9));
    assertThat(d.score("mobile_shopper")).isCloseTo(0.75, within(1e-9));
    assertThat(d.persona()).isEqualTo("mobile_shopper");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("one-tap-pay");
  }
}
