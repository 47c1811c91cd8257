package dev.persona.ruleset;

import static dev.persona.ruleset.Condition.all;
import static dev.persona.ruleset.Condition.any;
import static dev.persona.ruleset.Condition.between;
import static dev.persona.ruleset.Condition.contains;
import static dev.persona.ruleset.Condition.eq;
import static dev.persona.ruleset.Condition.gte;
import static dev.persona.ruleset.Condition.in;
import static dev.persona.ruleset.Condition.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class ConditionTest {

  @Test
  void toString_readsLikeTheRule() {
    Condition c =
        all(
            eq("device", "mobile"),
            any(gte("sale_views", 2), in("traffic_source", "social", "paid")),
            not(contains("campaign", "Gift", true)),
            between("orders", 1, 3));

    assertThat(c)
        .hasToString(
            "device = \"mobile\" and (sale_views >= 2 or traffic_source in [\"social\", \"paid\"])"
                + " and not (campaign contains (any case) \"Gift\") and orders between 1 and 3");
  }

  @Test
  void keys_listsEveryTestedSignalOnce() {
    Condition c = any(eq("device", "mobile"), all(gte("orders", 1), eq("device", "tablet")));

    assertThat(c.keys()).containsExactly("device", "orders");
  }

  @Test
  void numbers_areNormalisedToDoubles() {
    assertThat(((Condition.Compare) eq("orders", 3)).value()).isEqualTo(3.0);
  }

  @Test
  void badLiterals_areRefused() {
    assertThatThrownBy(() -> eq("x", new Object()))
        .hasMessageContaining("String, Number or Boolean");
    assertThatThrownBy(() -> eq("x", Double.NaN)).hasMessageContaining("finite");
    assertThatThrownBy(() -> between("x", 3, 1)).hasMessageContaining("low <= high");
  }
}
