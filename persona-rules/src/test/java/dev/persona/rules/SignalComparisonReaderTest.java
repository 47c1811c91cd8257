package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule files comparing a signal with another ({@code "gt": {"signal": K, "times": F}}) and testing
 * a set's size ({@code "size": {"gte": N}}): how they read, decide, and are refused.
 */
final class SignalComparisonReaderTest {
  private final RuleSetReader reader = RuleSetReader.create();

  @Test
  void comparisonsAndSizes_readIntoTheModel_andDecide() {
    String json =
        """
        {"version": "v1",
         "personas": [{"id": "p", "name": "P", "threshold": 0.5}],
         "rules": [{"id": "r", "add": {"p": 1}, "when": {"all": [
           {"signal": "days_since_last_order", "gt": {"signal": "avg_days_between_orders", "times": 1.2}},
           {"signal": "orders", "gte": {"signal": "previous_visits"}},
           {"signal": "recently_viewed", "size": {"gte": 3}},
           {"signal": "repeat_skus", "size": {"ne": 0}}
         ]}}]}""";

    RuleSet rules = reader.read(json, "cmp.json");
    PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).build();

    assertThat(rules.rules().get(0).when())
        .isEqualTo(
            Condition.all(
                Condition.compareSignals(
                    "days_since_last_order", Condition.Operator.GT, "avg_days_between_orders", 1.2),
                Condition.compareSignals("orders", Condition.Operator.GTE, "previous_visits", 1),
                Condition.setSize("recently_viewed", Condition.Operator.GTE, 3),
                Condition.setSize("repeat_skus", Condition.Operator.NE, 0)))
        .hasToString(
            "days_since_last_order > avg_days_between_orders x 1.2 and orders >= previous_visits"
                + " and size of recently_viewed >= 3 and size of repeat_skus != 0");
    assertThat(decide(engine, 40, 3).persona()).isEqualTo("p");
    assertThat(decide(engine, 36, 3).persona()).isNull();
    assertThat(decide(engine, 40, 2).persona()).isNull();
  }

  private static Decision decide(PersonaEngine engine, int daysSinceLastOrder, int viewed) {
    List<String> products = List.of("a", "b", "c", "d").subList(0, viewed);
    return engine.decide(
        Visit.builder("s" + daysSinceLastOrder + "-" + viewed)
            .profile("days_since_last_order", daysSinceLastOrder)
            .profile("avg_days_between_orders", 30)
            .profile("orders", 5)
            .profile("previous_visits", 5)
            .profile("recently_viewed", products)
            .profile("repeat_skus", List.of("a"))
            .build());
  }

  @Test
  void everyProblemOfAComparisonOrSize_isReportedAtItsPosition() {
    String json =
        """
        {"version": "v1",
         "personas": [{"id": "p", "name": "P", "threshold": 0.5}],
         "rules": [
          {"id": "r0", "add": {"p": 1}, "when": {"signal": "orders", "gt": {"signal": "avg_days_between_order"}}},
          {"id": "r1", "add": {"p": 1}, "when": {"signal": "orders", "lt": {"signal": "device", "times": 2}}},
          {"id": "r2", "add": {"p": 1}, "when": {"signal": "orders", "lte": {"signal": "previous_visits", "times": 0}}},
          {"id": "r3", "add": {"p": 1}, "when": {"signal": "orders", "gte": {"signal": "previous_visits", "by": 2}}},
          {"id": "r4", "add": {"p": 1}, "when": {"signal": "orders", "gte": {"times": 2}}},
          {"id": "r5", "add": {"p": 1}, "when": {"signal": "orders", "eq": {"signal": "previous_visits"}}},
          {"id": "r6", "add": {"p": 1}, "when": {"signal": "orders", "gt": {"signal": "orders"}}},
          {"id": "r7", "add": {"p": 1}, "when": {"signal": "orders", "size": {"gte": 3}}},
          {"id": "r8", "add": {"p": 1}, "when": {"signal": "recently_viewed", "size": {"gte": -1}}},
          {"id": "r9", "add": {"p": 1}, "when": {"signal": "recently_viewed", "size": {"gte": 2.5}}},
          {"id": "r10", "add": {"p": 1}, "when": {"signal": "recently_viewed", "size": {"gte": 1, "lt": 4}}},
          {"id": "r11", "add": {"p": 1}, "when": {"signal": "recently_viewed", "size": {"between": [1, 4]}}}
         ]}""";

    assertThatThrownBy(() -> reader.read(json, "bad.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "bad.json:4:79: unknown signal 'avg_days_between_order'; did you mean"
                            + " 'avg_days_between_orders'? (at $.rules[0].when.gt.signal)",
                        "bad.json:5:79: 'device' is TEXT: a comparison with another signal needs a"
                            + " NUMBER signal (at $.rules[1].when.lt.signal)",
                        "bad.json:6:108: 'times' must be from 0.01 to 100 (1 compares the signals"
                            + " as they are), was 0.0 (at $.rules[2].when.lte.times)",
                        "bad.json:7:99: unknown field 'by'; expected one of [signal, times]"
                            + " (at $.rules[3].when.gte.by)",
                        "bad.json:8:69: missing required field 'signal' (at $.rules[4].when.gte)",
                        "bad.json:9:68: expected a string, number or boolean, found an object"
                            + " (at $.rules[5].when.eq)",
                        "bad.json:10:41: 'orders' is compared with itself (at $.rules[6].when)",
                        "bad.json:11:41: 'orders' is NUMBER: a size test needs a SET signal"
                            + " (at $.rules[7].when)",
                        "bad.json:12:87: a set's size is compared with a whole number of 0 or"
                            + " more, not -1 (at $.rules[8].when.size.gte)",
                        "bad.json:13:87: expected a whole number, found a number"
                            + " (at $.rules[9].when.size.gte)",
                        "bad.json:14:80: 'size' needs exactly one of [eq, gt, gte, lt, lte, ne]"
                            + " with a whole number, such as {\"gte\": 3} (at $.rules[10].when.size)",
                        "bad.json:15:81: unknown field 'between'; expected one of [eq, gt, gte, lt,"
                            + " lte, ne] (at $.rules[11].when.size.between)"));
  }

  @Test
  void theDocumentedConditions_readAsTheDocsSay() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(RuleSetReaderTest.root().resolve("docs/rules.md"));
    int section = doc.indexOf("### Comparing two signals, and the size of a set");
    int start = doc.indexOf("```json\n", section) + 8;
    List<String> conditions =
        doc.substring(start, doc.indexOf("```", start)).strip().lines().toList();
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < conditions.size(); i++) {
      rules.append(i == 0 ? "" : ", ");
      rules.append("{\"id\": \"r").append(i).append("\", \"add\": {\"p\": 1}, \"when\": ");
      rules.append(conditions.get(i)).append('}');
    }

    RuleSet read =
        reader.read(
            "{\"version\": \"v1\", \"personas\": [{\"id\": \"p\", \"name\": \"P\","
                + " \"threshold\": 0.5}], \"rules\": ["
                + rules
                + "]}",
            "docs/rules.md");

    assertThat(read.rules())
        .extracting(r -> r.when().toString())
        .containsExactly(
            "days_since_last_order > avg_days_between_orders x 1.2",
            "size of recently_viewed >= 3");
  }

  @Test
  void theDefaultRuleSet_comparesTheLastOrderWithTheCustomersOwnCadence() {
    RuleSet defaults = RuleSetReader.defaultRuleSet();

    assertThat(defaults.rules())
        .filteredOn(r -> r.id().equals("rp-overdue"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.when().toString())
                    .contains("days_since_last_order > avg_days_between_orders x 1.2"));
    assertThat(defaults.rules())
        .filteredOn(r -> r.id().equals("rp-staples-due"))
        .singleElement()
        .satisfies(r -> assertThat(r.when().toString()).contains("size of repeat_skus >= 3"));
  }
}
