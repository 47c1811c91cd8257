package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.ANDROID_CHROME;
import static dev.persona.rules.scenario.Scenarios.GOOGLEBOT_SMARTPHONE;
import static dev.persona.rules.scenario.Scenarios.IPAD_SAFARI;
import static dev.persona.rules.scenario.Scenarios.IPHONE_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
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

final class MobileShopperScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void quickCheckoutOnAnAndroidPhone_isAMobileShopper() {
    Session s = new Session(engine, clock, "ms-android", ANDROID_CHROME);

    s.land(v -> v.event(productView("chargers", "Voltix")));
    s.afterMinutes(2)
        .request(
            v -> v.event(productView("chargers", "Voltix")).event(addToCart("chargers", "Voltix")));
    Decision d = s.afterMinutes(1).request(v -> v.event(event("begin_checkout")));

    assertThat(text(d, "device")).isEqualTo("mobile");
    assertThat(d.signal("device").kind()).isEqualTo(SignalKind.CONTEXTUAL);
    assertThat(number(d, "session_minutes")).isEqualTo(3.0);
    assertThat(number(d, "checkouts")).isEqualTo(1.0);
    assertThat(firedRules(d))
        .containsExactlyInAnyOrder("ms-phone", "ms-short-phone-session", "ms-quick-phone-checkout");
    assertThat(d.score("mobile_shopper")).isCloseTo(0.75, within(1e-9));
    assertThat(d.persona()).isEqualTo("mobile_shopper");

    assertThat(choice(d, "home.hero").variant()).isEqualTo("express-checkout");
    assertThat(content(d, "home.hero"))
        .containsEntry("express_checkout", true)
        .containsEntry("click_and_collect", true)
        .containsEntry("layout", "compact");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("one-tap-pay");
    assertThat(content(d, "cart.message"))
        .containsEntry("express_checkout", List.of("apple_pay", "google_pay"));
  }

  @Test
  void anyPhoneVisitor_reachesTheThresholdOnTheFirstRequest() {
    Decision d =
        new Session(engine, clock, "ms-first-request", IPHONE_SAFARI)
            .land(v -> v.header("Referer", "https://www.google.com/"));

    assertThat(firedRules(d)).containsExactlyInAnyOrder("ms-phone", "ms-short-phone-session");
    assertThat(d.score("mobile_shopper")).isCloseTo(0.55, within(1e-9));
    assertThat(d.persona()).isEqualTo("mobile_shopper");
  }

  @Test
  void clientHintsSayingMobile_winOverADesktopLookingUserAgent() {
    Decision d =
        new Session(engine, clock, "ms-client-hints", WINDOWS_CHROME)
            .land(
                v ->
                    v.header("Sec-CH-UA-Mobile", "?1").header("Sec-CH-UA-Platform", "\"Android\""));

    assertThat(text(d, "device")).isEqualTo("mobile");
    assertThat(d.persona()).isEqualTo("mobile_shopper");
  }

  @Test
  void nearMiss_aLongLeisurelyPhoneSession_withoutCheckout_fallsBelowTheThreshold() {
    Session s = new Session(engine, clock, "ms-leisurely", IPHONE_SAFARI);

    s.land(v -> v.event(productView("sofas", "Lounge")));
    s.afterMinutes(12).request(v -> v.event(productView("sofas", "Lounge")));
    Decision d = s.afterMinutes(12).request(v -> v.event(productView("sofas", "Cosy")));

    assertThat(number(d, "session_minutes")).isEqualTo(24.0);
    assertThat(firedRules(d)).contains("ms-phone").doesNotContain("ms-short-phone-session");
    assertThat(d.score("mobile_shopper")).isCloseTo(0.4, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  @Test
  void nearMiss_desktopAndTabletQuickCheckouts_areNotMobileShoppers() {
    Decision desktop =
        new Session(engine, clock, "ms-desktop", WINDOWS_CHROME)
            .land(v -> v.event(addToCart("chargers", "Voltix")).event(event("begin_checkout")));
    Decision tablet =
        new Session(engine, clock, "ms-tablet", IPAD_SAFARI)
            .land(v -> v.event(addToCart("chargers", "Voltix")).event(event("begin_checkout")));

    assertThat(text(desktop, "device")).isEqualTo("desktop");
    assertThat(desktop.score("mobile_shopper")).isZero();
    assertThat(text(tablet, "device")).isEqualTo("tablet");
    assertThat(firedRules(tablet)).containsExactly("ms-tablet");
    assertThat(tablet.score("mobile_shopper")).isCloseTo(0.15, within(1e-9));
    assertThat(desktop.persona()).isNull();
    assertThat(tablet.persona()).isNull();
  }

  @Test
  void nearMiss_googlebotSmartphone_isABotNotAMobileShopper() {
    Decision d =
        new Session(engine, clock, "ms-googlebot", GOOGLEBOT_SMARTPHONE)
            .land(v -> v.event(productView("chargers", "Voltix")));

    assertThat(text(d, "device")).isEqualTo("bot");
    assertThat(d.score("mobile_shopper")).isZero();
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
  }
}
