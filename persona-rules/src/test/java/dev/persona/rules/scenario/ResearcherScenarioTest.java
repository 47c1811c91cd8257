package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.MAC_SAFARI;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.search;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ResearcherScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void fiveProductViewsAMinuteApart_countAsManyViews_andTwoAsMoreThanBarelyLooking() {
    Session s = new Session(engine, clock, "rs-five-views", MAC_SAFARI);

    Decision d = s.land(v -> v.event(productView("headphones", "Sony")));
    for (int i = 0; i < 4; i++) {
      d = s.afterMinutes(1).request(v -> v.event(productView("headphones", "Bose")));
    }
    Session buyer = new Session(engine, clock, "rs-two-views-buyer", MAC_SAFARI);
    buyer.land(v -> v.event(productView("headphones", "Sony")));
    Decision bought =
        buyer
            .afterMinutes(1)
            .request(v -> v.event(productView("headphones", "Sony")).event(event("purchase")));

    assertThat(number(d, "product_views")).isLessThan(5);
    assertThat(firedRules(d)).contains("rs-many-views-no-purchase");
    assertThat(number(bought, "product_views")).isLessThan(2);
    assertThat(firedRules(bought)).doesNotContain("rs-impulse-purchase");
  }

  @Test
  void shopperWhoReadsReviewsComparesAndDwells_isAResearcher() {
    Session s = new Session(engine, clock, "rs-headphones", MAC_SAFARI);

    Decision landing =
        s.land(
            v ->
                v.header("Referer", "https://www.google.com/")
                    .event(search("noise cancelling headphones"))
                    .event(productView("headphones", "Sony"))
                    .event(productView("headphones", "Bose")));
    s.afterMinutes(6)
        .request(
            v ->
                v.event(event("view_reviews"))
                    .event(event("view_reviews"))
                    .event(productView("headphones", "Sennheiser"))
                    .event(event("compare")));
    s.afterMinutes(8)
        .request(
            v ->
                v.event(productView("headphones", "Sony"))
                    .event(event("view_reviews"))
                    .event(event("view_reviews")));
    Decision d =
        s.afterMinutes(9)
            .request(
                v ->
                    v.event(productView("headphones", "Bose"))
                        .event(productView("headphones", "Sony"))
                        .event(productView("headphones", "Sennheiser")));

    assertThat(text(landing, "traffic_source")).isEqualTo("organic_search");
    assertThat(landing.persona()).isNull();

    assertThat(d.persona()).isEqualTo("researcher");
    assertThat(number(d, "reviews_read")).isBetween(3.0, 4.0);
    assertThat(number(d, "compares")).isPositive();
    assertThat(number(d, "product_views")).isGreaterThanOrEqualTo(5.0);
    assertThat(number(d, "session_minutes")).isEqualTo(23.0);
    assertThat(d.signal("purchases")).isNull();
    assertThat(firedRules(d))
        .contains("rs-reads-reviews", "rs-compares", "rs-many-views-no-purchase", "rs-long-dwell");
    assertThat(d.score("researcher")).isGreaterThan(0.9);

    assertThat(choice(d, "home.hero").variant()).isEqualTo("review-highlights");
    assertThat(content(d, "home.hero"))
        .containsEntry("headline", "Top rated by our customers")
        .containsEntry("show", List.of("rating", "review_highlights", "spec_table"));
    assertThat(choice(d, "product.badge").variant()).isEqualTo("rating-summary");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("top-rated");
  }

  @Test
  void reviewReadsCountEachUpToFour() {
    Session few = new Session(engine, clock, "rs-two-reviews", MAC_SAFARI);
    Session many = new Session(engine, clock, "rs-six-reviews", MAC_SAFARI);

    Decision two = few.land(v -> v.event(event("view_reviews")).event(event("view_reviews")));
    Decision six =
        many.land(
            v -> {
              for (int i = 0; i < 6; i++) {
                v.event(event("view_reviews"));
              }
              return v;
            });

    assertThat(two.score("researcher")).isCloseTo(0.2, within(1e-9));
    assertThat(six.score("researcher")).isCloseTo(0.4, within(1e-9));
    assertThat(two.persona()).isNull();
    assertThat(six.persona()).isNull();
  }

  @Test
  void nearMiss_aShopperWhoOnlyBrowses_isNotAResearcher() {
    Session s = new Session(engine, clock, "rs-browser", MAC_SAFARI);

    s.land(
        v ->
            v.event(productView("lamps", "Lumo"))
                .event(productView("lamps", "Lumo"))
                .event(productView("lamps", "Brightly")));
    Decision d =
        s.afterMinutes(3)
            .request(
                v ->
                    v.event(productView("rugs", "Weave"))
                        .event(productView("rugs", "Weave"))
                        .event(productView("cushions", "Softa")));

    assertThat(number(d, "product_views")).isGreaterThan(5.0);
    assertThat(firedRules(d)).containsExactly("rs-many-views-no-purchase");
    assertThat(d.score("researcher")).isLessThan(0.5);
    assertThat(d.persona()).isNull();
    assertThat(choice(d, "home.hero").variant()).isEqualTo("new-season");
  }

  @Test
  void nearMiss_aGlanceAtReviewsThenAQuickPurchase_isNotAResearcher() {
    Session s = new Session(engine, clock, "rs-impulse", MAC_SAFARI);

    Decision d =
        s.land(
            v ->
                v.event(productView("phone-cases", "Shellz"))
                    .event(event("view_reviews"))
                    .event(addToCart("phone-cases", "Shellz"))
                    .event(event("begin_checkout"))
                    .event(event("purchase")));

    assertThat(firedRules(d)).contains("rs-reads-reviews", "rs-impulse-purchase");
    assertThat(d.score("researcher")).isZero();
    assertThat(d.persona()).isNull();
  }
}
