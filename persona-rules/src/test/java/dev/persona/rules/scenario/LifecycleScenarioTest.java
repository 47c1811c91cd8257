package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.IPHONE_SAFARI;
import static dev.persona.rules.scenario.Scenarios.MAC_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.productView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Reason;
import dev.persona.VariantChoice;
import dev.persona.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LifecycleScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void anAnonymousFirstRequest_isANewVisitor() {
    Decision d =
        new Session(engine, clock, "lc-new", WINDOWS_CHROME)
            .land(
                v ->
                    v.header("Referer", "https://www.google.com/")
                        .event(productView("lamps", "Lumo")));

    assertThat(d.lifecycle()).isEqualTo("new_visitor");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("free-shipping");
  }

  @Test
  void aKnownVisitorWithoutOrders_isAReturningVisitor() {
    Session s =
        new Session(engine, clock, "lc-returning", MAC_SAFARI)
            .profile("previous_visits", 3)
            .profile("days_since_last_visit", 6);

    Decision d = s.land(v -> v.event(productView("lamps", "Lumo")));

    assertThat(number(d, "previous_visits")).isEqualTo(3.0);
    assertThat(d.lifecycle()).isEqualTo("returning_visitor");
  }

  @Test
  void aGuestWhoCompletesAPurchase_isAFirstTimeBuyer() {
    Session s = new Session(engine, clock, "lc-guest-purchase", WINDOWS_CHROME);

    Decision browsing =
        s.land(v -> v.event(productView("lamps", "Lumo")).event(addToCart("lamps", "Lumo")));
    s.afterMinutes(3).request(v -> v.event(event("begin_checkout")));
    Decision bought = s.afterMinutes(2).request(v -> v.event(event("purchase")));

    assertThat(browsing.lifecycle()).isEqualTo("new_visitor");
    assertThat(bought.signal("purchases")).isNotNull();
    assertThat(bought.signal("cart_items")).isNull();
    assertThat(bought.lifecycle()).isEqualTo("first_time_buyer");
  }

  @Test
  void aCustomerWithOneOrder_isAFirstTimeBuyer() {
    Decision d =
        new Session(engine, clock, "lc-one-order", MAC_SAFARI)
            .profile("orders", 1)
            .profile("previous_visits", 2)
            .land(v -> v);

    assertThat(d.lifecycle()).isEqualTo("first_time_buyer");
  }

  @Test
  void aCustomerWithSeveralOrders_isARepeatBuyer() {
    Decision d =
        new Session(engine, clock, "lc-repeat", MAC_SAFARI)
            .profile("orders", 3)
            .profile("previous_visits", 8)
            .land(v -> v.event(productView("lamps", "Lumo")));

    assertThat(d.lifecycle()).isEqualTo("repeat_buyer");
    assertThat(d.reasons())
        .anySatisfy(
            r -> {
              assertThat(r.kind()).isEqualTo(Reason.Kind.LIFECYCLE);
              assertThat(r.source()).isEqualTo("repeat_buyer");
            });
  }

  @Test
  void aCustomerComingBackToASavedCart_isACartAbandoner_andIsWelcomedBack() {
    Session s =
        new Session(engine, clock, "lc-saved-cart", IPHONE_SAFARI)
            .profile("orders", 2)
            .profile("open_cart_items", 2)
            .profile("previous_visits", 5);

    Decision d =
        s.land(
            v ->
                v.query("utm_source", "klaviyo")
                    .query("utm_medium", "email")
                    .query("utm_campaign", "abandoned-cart-reminder"));

    assertThat(d.lifecycle()).isEqualTo("cart_abandoner");
    VariantChoice cart = choice(d, "cart.message");
    assertThat(cart.variant()).isEqualTo("come-back");
    assertThat(cart.basis()).isEqualTo(VariantChoice.Basis.CONDITION);
    assertThat(content(d, "cart.message"))
        .containsEntry("message", "Welcome back: your cart is saved and waiting")
        .containsEntry("link", "/cart");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("cart-reminder");
    assertThat(d.persona()).isEqualTo("mobile_shopper");
  }

  @Test
  void aCartLeftSittingForHalfAnHour_makesACartAbandoner_untilTheyBuy() {
    Session s = new Session(engine, clock, "lc-idle-cart", WINDOWS_CHROME);

    Decision added =
        s.land(v -> v.event(productView("kettles", "Boil")).event(addToCart("kettles", "Boil")));
    s.afterMinutes(15).request(v -> v.event(productView("toasters", "Crisp")));
    Decision idle = s.afterMinutes(17).request(v -> v.event(productView("toasters", "Crisp")));
    Decision bought =
        s.afterMinutes(2).request(v -> v.event(event("begin_checkout")).event(event("purchase")));

    assertThat(added.lifecycle()).isEqualTo("new_visitor");
    assertThat(number(idle, "cart_items")).isEqualTo(1.0);
    assertThat(number(idle, "session_minutes")).isEqualTo(32.0);
    assertThat(idle.lifecycle()).isEqualTo("cart_abandoner");
    assertThat(choice(idle, "cart.message").variant()).isEqualTo("come-back");
    assertThat(bought.lifecycle()).isEqualTo("first_time_buyer");
    assertThat(choice(bought, "cart.message").variant()).isNotEqualTo("come-back");
  }

  @Test
  void theComeBackMessage_outranksEvenAPerfectPersonaFit() {
    Session s =
        new Session(engine, clock, "lc-loyal-abandoner", MAC_SAFARI)
            .profile("orders", 5)
            .profile("lifetime_value", 900.0)
            .profile("open_cart_items", 1);

    Decision d =
        s.land(
            v ->
                v.declared("loyalty_member", true)
                    .declared("preferred_brands", List.of("Stride"))
                    .event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Stride"))
                    .event(productView("sneakers", "Stride")));

    assertThat(d.score("brand_loyalist")).isEqualTo(1.0);
    assertThat(d.lifecycle()).isEqualTo("cart_abandoner");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("come-back");
    assertThat(choice(d, "home.hero").variant()).isEqualTo("vip-new-arrivals");
  }
}
