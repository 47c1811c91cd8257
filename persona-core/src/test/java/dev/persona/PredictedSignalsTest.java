package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.PredictionConfig;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The predicted signals: what the engine predicts from the order-history facts a store passes, with
 * the models of the engine or of the rule set, and when it predicts nothing.
 */
final class PredictedSignalsTest {
  private static final BgNbd WEEKLY = new BgNbd(0.243, 4.414, 0.793, 2.426);
  private static final GammaGamma VALUE = new GammaGamma(6.25, 3.74, 15.44);
  private static final List<String> PREDICTED =
      List.of("p_alive", "expected_orders", "expected_order_value", "predicted_clv");

  /** CDNOW's parameters, in weeks; expected orders over the paper's 39 weeks. */
  private static final PredictionConfig CDNOW =
      PredictionConfig.builder()
          .bgNbd(WEEKLY)
          .gammaGamma(VALUE)
          .period(Duration.ofDays(7))
          .horizon(Duration.ofDays(39 * 7))
          .clvHorizon(Duration.ofDays(364))
          .build();

  private static final RuleSet RULES =
      RuleSet.builder("prediction")
          .persona(new Persona("lapsing", "Lapsing", 0.5))
          .persona(new Persona("due", "Due", 0.5))
          .rule(
              Rule.builder("unlikely-active")
                  .when(Condition.lt("p_alive", 0.3))
                  .add("lapsing", 0.6)
                  .build())
          .rule(
              Rule.builder("overdue")
                  .when(Condition.gte("days_overdue", 0))
                  .add("due", 0.6)
                  .build())
          .lifecycle(new Assignment("valuable", 10, Condition.gte("predicted_clv", 100)))
          .lifecycle(new Assignment("busy", 5, Condition.gte("expected_orders", 1)))
          .lifecycle(new Assignment("big_spender", 1, Condition.gte("expected_order_value", 50)))
          .build();

  /**
   * The paper's worked customer: 2 repeat orders, the latest 30.43 weeks after the first, 38.86
   * weeks ago; given in days as a store keeps them.
   */
  private static Visit.Builder worked(Visit.Builder v) {
    return v.profile("orders", 3)
        .profile("days_since_first_order", 38.86 * 7)
        .profile("days_since_last_order", (38.86 - 30.43) * 7)
        .profile("lifetime_value", 3 * 22.35);
  }

  private static Decision decide(PersonaEngine engine, UnaryOperator<Visit.Builder> visit) {
    return engine.decide(visit.apply(Visit.builder("s-" + System.nanoTime())).build());
  }

  private static PersonaEngine engine(RuleSet rules, PredictionConfig prediction) {
    PersonaEngine.Builder b = PersonaEngine.builder().ruleSet(rules);
    return (prediction == null ? b : b.prediction(prediction)).build();
  }

  private static double value(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    assertThat(s.kind()).isEqualTo(SignalKind.IMPLICIT);
    assertThat(s.source()).isEqualTo("prediction");
    return (Double) s.value();
  }

  @Test
  void theWorkedCustomer_isPredictedAsThePaperDoes() {
    Decision d = decide(engine(RULES, CDNOW), PredictedSignalsTest::worked);

    assertThat(value(d, "expected_orders")).isCloseTo(1.226, within(0.001));
    assertThat(value(d, "p_alive"))
        .isCloseTo(WEEKLY.probabilityAlive(2, 30.43, 38.86), within(1e-9));
    // the store's mean of all three orders stands in for the mean of the repeat orders
    assertThat(value(d, "expected_order_value"))
        .isCloseTo(VALUE.expectedOrderValue(2, 22.35), within(1e-9));
    assertThat(value(d, "predicted_clv"))
        .isCloseTo(
            WEEKLY.expectedOrders(52, 2, 30.43, 38.86) * VALUE.expectedOrderValue(2, 22.35),
            within(1e-9));
    assertThat(d.lifecycle()).isEqualTo("busy");
  }

  @Test
  void theAverageGapBetweenOrders_givesTheCustomersAge_whenTheFirstOrderIsNotGiven() {
    Decision byGap =
        decide(
            engine(RULES, CDNOW),
            v ->
                v.profile("orders", 3)
                    .profile("avg_days_between_orders", 30.43 * 7 / 2)
                    .profile("days_since_last_order", (38.86 - 30.43) * 7)
                    .profile("avg_order_value", 22.35));

    assertThat(value(byGap, "expected_orders")).isCloseTo(1.226, within(0.001));
    assertThat(value(byGap, "days_overdue"))
        .isCloseTo((38.86 - 30.43) * 7 - 30.43 * 7 / 2, within(1e-9));
  }

  @Test
  void rulesAndAssignments_testThePredictions_andTheReasonsNameThem() {
    PersonaEngine engine = engine(RULES, CDNOW);
    // silent for a year after four quick orders: most likely gone
    Decision gone =
        decide(
            engine,
            v ->
                v.profile("orders", 5)
                    .profile("days_since_first_order", 400)
                    .profile("days_since_last_order", 365)
                    .profile("avg_order_value", 80));

    assertThat(gone.persona()).isEqualTo("lapsing");
    assertThat(gone.reasons().get(0).text()).contains("rule 'unlikely-active'", "p_alive=");
    assertThat(gone.lifecycle()).isEqualTo("big_spender");
    assertThat(value(gone, "p_alive")).isLessThan(0.3);
  }

  @Test
  void withoutModels_nothingIsPredicted_butTheDaysOverdue() {
    Decision d = decide(engine(RULES, null), PredictedSignalsTest::worked);

    for (String key : PREDICTED) {
      assertThat(d.signal(key)).as(key).isNull();
    }
    assertThat(value(d, "days_overdue"))
        .isCloseTo((38.86 - 30.43) * 7 - 30.43 * 7 / 2, within(1e-9));
    assertThat(d.persona()).isNull();
    assertThat(d.lifecycle()).isNull();
  }

  @Test
  void withoutAnOrderHistory_nothingIsPredicted() {
    PersonaEngine engine = engine(RULES, CDNOW);
    Decision none = decide(engine, v -> v.profile("previous_visits", 3));
    Decision noRecency = decide(engine, v -> v.profile("orders", 3));
    Decision noOrders =
        decide(engine, v -> v.profile("orders", 0).profile("days_since_last_order", 3));
    Decision noAge =
        decide(engine, v -> v.profile("orders", 2).profile("days_since_last_order", 3));

    for (Decision d : List.of(none, noRecency, noOrders, noAge)) {
      assertThat(d.signals()).noneMatch(s -> s.source().equals("prediction"));
    }
  }

  @Test
  void aFirstTimeBuyer_isAlive_andHasThePopulationsOrderValue() {
    Decision d =
        decide(
            engine(RULES, CDNOW),
            v ->
                v.profile("orders", 1)
                    .profile("days_since_last_order", 10)
                    .profile("lifetime_value", 500));

    assertThat(value(d, "p_alive")).isEqualTo(1);
    assertThat(value(d, "expected_order_value")).isEqualTo(VALUE.meanOrderValue());
    assertThat(value(d, "expected_orders"))
        .isCloseTo(WEEKLY.expectedOrders(39, 0, 0, 10 / 7.0), within(1e-9));
    assertThat(d.signal("days_overdue")).isNull();
  }

  @Test
  void theRuleSetsModels_winOverTheEngines() {
    PredictionConfig daily =
        PredictionConfig.builder().bgNbd(new BgNbd(0.243, 4.414 * 7, 0.793, 2.426)).build();
    RuleSet own = RULES.toBuilder().prediction(CDNOW).build();
    Decision d = decide(engine(own, daily), PredictedSignalsTest::worked);

    assertThat(value(d, "expected_orders")).isCloseTo(1.226, within(0.001));
    assertThat(value(d, "expected_order_value")).isPositive();
  }

  @Test
  void aFactTheStoreKeepsUnderAPredictedKey_winsOverThePrediction() {
    Decision d = decide(engine(RULES, CDNOW), v -> worked(v).profile("p_alive", 0.1));

    assertThat(d.signals()).filteredOn(s -> s.key().equals("p_alive")).hasSize(1);
    assertThat(d.signal("p_alive").source()).isEqualTo("profile");
    assertThat(d.signal("p_alive").value()).isEqualTo(0.1);
    assertThat(d.persona()).isEqualTo("lapsing");
  }

  @Test
  void underGpc_theFactsAreNotUsed_soNothingIsPredicted() {
    Decision d = decide(engine(RULES, CDNOW), v -> worked(v).header("Sec-GPC", "1"));

    assertThat(d.signals()).noneMatch(s -> s.source().equals("prediction"));
  }

  @Test
  void aDiscountRate_discountsLaterMonths() {
    PersonaEngine plain = engine(RULES, CDNOW);
    PredictionConfig discounted =
        PredictionConfig.builder()
            .bgNbd(WEEKLY)
            .gammaGamma(VALUE)
            .period(Duration.ofDays(7))
            .clvHorizon(Duration.ofDays(364))
            .annualDiscountRate(0.12)
            .build();
    double undiscounted = value(decide(plain, PredictedSignalsTest::worked), "predicted_clv");
    double clv =
        value(decide(engine(RULES, discounted), PredictedSignalsTest::worked), "predicted_clv");

    // twelve 30-day months and 4 days, each month's orders discounted by (1.12^(1/12))^month
    double monthly = Math.pow(1.12, 1.0 / 12) - 1;
    double expected = 0;
    double before = 0;
    for (int i = 1; i <= 13; i++) {
      double until = Math.min(i * 30 / 7.0, 52);
      double upTo = WEEKLY.expectedOrders(until, 2, 30.43, 38.86);
      expected += (upTo - before) / Math.pow(1 + monthly, i);
      before = upTo;
    }
    expected *= VALUE.expectedOrderValue(2, 22.35);
    assertThat(clv)
        .isCloseTo(expected, within(1e-9))
        .isLessThan(undiscounted)
        .isGreaterThan(0.9 * undiscounted);
  }
}
