package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Condition.Operator;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Conditions that compare a signal with another signal times a factor, and the size of a SET
 * signal: what they decide through the engine, what the reasons say, and what is refused.
 */
final class SignalComparisonTest {
  private static final Condition OVERDUE =
      Condition.compareSignals(
          "days_since_last_order", Operator.GT, "avg_days_between_orders", 1.2);
  private static final Condition BROWSED_THREE =
      Condition.setSize("recently_viewed", Operator.GTE, 3);

  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(
              RuleSet.builder("comparisons")
                  .persona(new Persona("replenisher", "Replenisher", 0.5))
                  .persona(new Persona("researcher", "Researcher", 0.5))
                  .rule(Rule.builder("overdue").when(OVERDUE).add("replenisher", 0.6).build())
                  .rule(
                      Rule.builder("browsed-three")
                          .when(BROWSED_THREE)
                          .add("researcher", 0.6)
                          .build())
                  .build())
          .build();

  private Decision decide(String session, UnaryOperator<Visit.Builder> visit) {
    return engine.decide(visit.apply(Visit.builder(session)).build());
  }

  private static Visit.Builder cadence(Visit.Builder v, double since, double gap) {
    return v.profile("days_since_last_order", since).profile("avg_days_between_orders", gap);
  }

  @Test
  void aSignalComparedWithAnotherTimesAFactor_holdsOnlyPastTheScaledValue() {
    assertThat(decide("s1", v -> cadence(v, 40, 30)).persona()).isEqualTo("replenisher");
    assertThat(decide("s2", v -> cadence(v, 36, 30)).persona()).as("36 is not > 36").isNull();
    assertThat(decide("s3", v -> cadence(v, 20, 30)).persona()).isNull();
  }

  @Test
  void aComparisonWithAnAbsentSignal_isFalseOnEitherSide() {
    Decision noGap = decide("s4", v -> v.profile("days_since_last_order", 400));
    Decision noLastOrder = decide("s5", v -> v.profile("avg_days_between_orders", 1));

    assertThat(noGap.score("replenisher")).isZero();
    assertThat(noLastOrder.score("replenisher")).isZero();
  }

  @Test
  void theReason_saysWhatWasComparedWithWhichValues() {
    Decision d = decide("s7", v -> cadence(v, 40, 30));

    assertThat(d.reasons().get(0).text())
        .isEqualTo(
            "rule 'overdue' [days_since_last_order > avg_days_between_orders x 1.2] fired:"
                + " replenisher +0.60 on days_since_last_order=40, avg_days_between_orders=30;"
                + " days_since_last_order 40 > 36 (avg_days_between_orders 30 x 1.2)");
  }

  @Test
  void aSetSize_countsTheSetsElements_andTheReasonSaysHowMany() {
    Decision three =
        decide("s8", v -> v.profile("recently_viewed", List.of("sku-1", "sku-2", "sku-3")));
    Decision two = decide("s9", v -> v.profile("recently_viewed", List.of("sku-1", "sku-2")));

    assertThat(three.persona()).isEqualTo("researcher");
    assertThat(three.reasons().get(0).text())
        .startsWith("rule 'browsed-three' [size of recently_viewed >= 3] fired:")
        .endsWith("; size of recently_viewed 3 >= 3");
    assertThat(two.persona()).isNull();
  }

  @Test
  void aComparisonThatDoesNotHold_isNamedSo_whenItsRuleFiresAnyway() {
    Condition notOverdue = Condition.not(OVERDUE);
    PersonaEngine e =
        PersonaEngine.builder()
            .ruleSet(
                RuleSet.builder("negated")
                    .persona(new Persona("replenisher", "Replenisher", 0.5))
                    .rule(Rule.builder("on-time").when(notOverdue).add("replenisher", 0.6).build())
                    .build())
            .build();

    Decision d = e.decide(cadence(Visit.builder("s10"), 20, 30).build());

    assertThat(d.reasons().get(0).text())
        .endsWith("; days_since_last_order 20 is not > 36 (avg_days_between_orders 30 x 1.2)");
  }

  @Test
  void theModel_refusesEqualityBetweenSignals_aSignalAgainstItself_andFactorsOutOfRange() {
    assertThatThrownBy(() -> Condition.compareSignals("a", Operator.EQ, "b", 1))
        .hasMessageContaining("needs gt, gte, lt or lte");
    assertThatThrownBy(() -> Condition.compareSignals("a", Operator.GT, "a", 2))
        .hasMessageContaining("'a' is compared with itself");
    for (double bad : new double[] {0, -1, 0.001, 101, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Condition.compareSignals("a", Operator.GT, "b", bad))
          .as("factor %s", bad)
          .hasMessageContaining("must be a number from 0.01 to 100");
    }
    assertThatThrownBy(() -> Condition.setSize("s", Operator.GTE, -1))
        .hasMessageContaining("0 or more");
    assertThat(OVERDUE.keys()).containsExactly("days_since_last_order", "avg_days_between_orders");
    assertThat(Condition.compareSignals("a", Operator.LTE, "b", 1)).hasToString("a <= b");
  }

  @Test
  void compiling_reportsUnknownAndMistypedSignals_onEitherSide_atTheirPaths() {
    RuleSet rules =
        RuleSet.builder("bad")
            .persona(new Persona("replenisher", "Replenisher", 0.5))
            .rule(
                Rule.builder("unknown-other")
                    .when(
                        Condition.compareSignals(
                            "days_since_last_order", Operator.GTE, "avg_days_between_order", 1))
                    .add("replenisher", 0.1)
                    .build())
            .rule(
                Rule.builder("text-sides")
                    .when(Condition.compareSignals("device", Operator.LT, "country", 2))
                    .add("replenisher", 0.1)
                    .build())
            .rule(
                Rule.builder("size-of-a-number")
                    .when(Condition.setSize("orders", Operator.EQ, 2))
                    .add("replenisher", 0.1)
                    .build())
            .build();

    assertThatThrownBy(() -> PersonaEngine.builder().ruleSet(rules).build())
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "unknown signal 'avg_days_between_order'; did you mean"
                            + " 'avg_days_between_orders'? (at $.rules[0].when.gte.signal)",
                        "'device' is TEXT: a comparison with another signal needs a NUMBER signal"
                            + " (at $.rules[1].when)",
                        "'country' is TEXT: a comparison with another signal needs a NUMBER signal"
                            + " (at $.rules[1].when.lt.signal)",
                        "'orders' is NUMBER: a size test needs a SET signal"
                            + " (at $.rules[2].when)"));
  }
}
