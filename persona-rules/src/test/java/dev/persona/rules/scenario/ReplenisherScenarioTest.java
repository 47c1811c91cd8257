package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.addToCart;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Reason;
import dev.persona.SignalKind;
import dev.persona.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReplenisherScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  private Session coffeeSubscriberLike(String id, int daysSinceLastOrder) {
    return new Session(engine, clock, id, WINDOWS_CHROME)
        .profile("orders", 9)
        .profile("lifetime_value", 410.0)
        .profile("repeat_skus", List.of("coffee-beans-1kg", "paper-filters-100"))
        .profile("avg_days_between_orders", 28)
        .profile("days_since_last_order", daysSinceLastOrder)
        .profile("previous_visits", 20);
  }

  @Test
  void customerWhoReordersTheSameCoffeeMonthly_andIsDue_isAReplenisher() {
    Session s = coffeeSubscriberLike("rp-due", 31);

    s.land(v -> v.event(search("coffee beans")));
    Decision d =
        s.afterMinutes(1)
            .request(
                v ->
                    v.event(productView("coffee", "Roastery"))
                        .event(addToCart("coffee", "Roastery")));

    assertThat(d.persona()).isEqualTo("replenisher");
    assertThat(number(d, "orders")).isEqualTo(9.0);
    assertThat(d.signal("repeat_skus").kind()).isEqualTo(SignalKind.IMPLICIT);
    assertThat(number(d, "avg_days_between_orders")).isEqualTo(28.0);
    assertThat(number(d, "days_since_last_order")).isEqualTo(31.0);
    assertThat(firedRules(d)).contains("rp-repeat-items", "rp-steady-cadence", "rp-due-to-restock");
    assertThat(firedRules(d)).as("31 days is not past 1.2 x 28").doesNotContain("rp-overdue");
    assertThat(d.score("replenisher")).isCloseTo(0.6, within(1e-9));
    assertThat(d.score("replenisher")).isGreaterThan(d.score("brand_loyalist"));

    assertThat(choice(d, "home.hero").variant()).isEqualTo("restock-reminder");
    assertThat(content(d, "home.hero"))
        .containsEntry("headline", "Time to restock?")
        .containsEntry("action", "one_click_reorder");
    assertThat(choice(d, "product.badge").variant()).isEqualTo("subscribe-and-save");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("restock");
  }

  @Test
  void beingDueRaisesTheScore_overAJustServedReplenisher() {
    Decision justOrdered = coffeeSubscriberLike("rp-just-ordered", 3).land(v -> v);
    Decision due = coffeeSubscriberLike("rp-due-again", 29).land(v -> v);

    assertThat(firedRules(justOrdered)).doesNotContain("rp-due-to-restock");
    assertThat(firedRules(due)).contains("rp-due-to-restock");
    assertThat(due.score("replenisher")).isGreaterThan(justOrdered.score("replenisher"));
  }

  /** A regular buying a basket of staples every 30 days, {@code daysSinceLastOrder} after one. */
  private Session monthlyStaples(String id, int daysSinceLastOrder) {
    return new Session(engine, clock, id, WINDOWS_CHROME)
        .profile("orders", 8)
        .profile("repeat_skus", List.of("detergent-3l", "dish-tabs-90", "paper-towels-8"))
        .profile("avg_days_between_orders", 30)
        .profile("days_since_last_order", daysSinceLastOrder)
        .profile("previous_visits", 12);
  }

  /** Lands from the store's reminder e-mail, searches, views two products and adds one. */
  private static Decision browseAndReorder(Session s) {
    s.land(v -> v.header("Referer", "https://mail.example.com/").event(pageView("/account")));
    s.afterMinutes(1).request(v -> v.event(search("detergent")));
    s.afterMinutes(1).request(v -> v.event(productView("household", "Ecover")));
    s.afterMinutes(2).request(v -> v.event(productView("household", "Finish")));
    return s.afterMinutes(1).request(v -> v.event(addToCart("household", "Ecover")));
  }

  @Test
  void overdueAgainstTheirOwnCadence_40DaysIntoA30DayGap_isAReplenisher_throughoutTheVisit() {
    Session s = monthlyStaples("rp-overdue", 40);

    Decision first = s.land(v -> v.event(pageView("/")));
    Decision last = browseAndReorder(s);

    for (Decision d : List.of(first, last)) {
      assertThat(d.persona()).isEqualTo("replenisher");
      assertThat(firedRules(d))
          .contains("rp-repeat-items", "rp-due-to-restock", "rp-overdue", "rp-staples-due");
      assertThat(choice(d, "home.hero").variant()).isEqualTo("restock-reminder");
    }
    assertThat(last.reasons())
        .extracting(Reason::text)
        .anySatisfy(
            t ->
                assertThat(t)
                    .startsWith("rule 'rp-overdue'")
                    .endsWith("; days_since_last_order 40 > 36 (avg_days_between_orders 30 x 1.2)"))
        .anySatisfy(
            t ->
                assertThat(t)
                    .startsWith("rule 'rp-staples-due'")
                    .contains("size of repeat_skus 3 >= 3"));
  }

  @Test
  void nearMiss_theSameRegular_20DaysIntoA30DayGap_isNotYetAReplenisher() {
    Session s = monthlyStaples("rp-not-due", 20);

    Decision first = s.land(v -> v.event(pageView("/")));
    Decision last = browseAndReorder(s);

    for (Decision d : List.of(first, last)) {
      assertThat(d.persona()).isNotEqualTo("replenisher");
      assertThat(firedRules(d))
          .contains("rp-repeat-items", "rp-steady-cadence")
          .doesNotContain("rp-due-to-restock", "rp-overdue", "rp-staples-due");
      assertThat(d.score("replenisher")).isLessThan(0.5);
      assertThat(choice(d, "home.hero").variant()).isNotEqualTo("restock-reminder");
    }
  }

  @Test
  void dueIsRelativeToTheCustomersOwnCadence_notAFixedNumberOfDays() {
    Decision weeklyAfter10 =
        monthlyStaples("rp-weekly-10", 10).profile("avg_days_between_orders", 7).land(v -> v);
    Decision quarterlyAfter40 =
        monthlyStaples("rp-quarterly-40", 40).profile("avg_days_between_orders", 90).land(v -> v);

    assertThat(weeklyAfter10.persona()).isEqualTo("replenisher");
    assertThat(firedRules(weeklyAfter10)).contains("rp-overdue");
    assertThat(quarterlyAfter40.persona()).isNotEqualTo("replenisher");
    assertThat(firedRules(quarterlyAfter40)).doesNotContain("rp-due-to-restock");
  }

  @Test
  void weeklyShopper_dueAfterAWeek_isAReplenisher() {
    Session s =
        new Session(engine, clock, "rp-weekly", WINDOWS_CHROME)
            .profile("orders", 14)
            .profile("repeat_skus", List.of("oat-milk-6pack"))
            .profile("avg_days_between_orders", 7)
            .profile("days_since_last_order", 8);

    Decision d = s.land(v -> v.event(productView("dairy-free", "Oatly")));

    assertThat(firedRules(d)).contains("rp-due-to-restock");
    assertThat(d.persona()).isEqualTo("replenisher");
  }

  @Test
  void nearMiss_aFrequentCustomerWhoNeverBuysTheSameThing_isNotAReplenisher() {
    Session s =
        new Session(engine, clock, "rp-varied", WINDOWS_CHROME)
            .profile("orders", 6)
            .profile("avg_days_between_orders", 40)
            .profile("days_since_last_order", 52);

    Decision d = s.land(v -> v.event(productView("books", "Penguin")));

    assertThat(d.signal("repeat_skus")).isNull();
    assertThat(firedRules(d)).doesNotContain("rp-repeat-items");
    assertThat(d.score("replenisher")).isLessThan(0.5);
    assertThat(d.persona()).isNull();
  }

  @Test
  void nearMiss_twoOrdersAreNotYetAHabit() {
    Session s =
        new Session(engine, clock, "rp-two-orders", WINDOWS_CHROME)
            .profile("orders", 2)
            .profile("repeat_skus", List.of("dog-food-12kg"))
            .profile("avg_days_between_orders", 30)
            .profile("days_since_last_order", 10);

    Decision d = s.land(v -> v.event(productView("pet", "Barker")));

    assertThat(firedRules(d)).doesNotContain("rp-repeat-items", "rp-due-to-restock");
    assertThat(d.score("replenisher")).isZero();
    assertThat(d.persona()).isNull();
  }
}
