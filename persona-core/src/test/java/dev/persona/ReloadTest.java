package dev.persona;

import static dev.persona.ruleset.Condition.gte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import org.junit.jupiter.api.Test;

final class ReloadTest {
  private final PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();

  @Test
  void reload_swapsTheRuleSetAndEveryDecisionNamesItsVersion() {
    RuleSet v2 =
        TestRules.ruleSet().toBuilder()
            .rule(
                Rule.builder("coupon")
                    .when(gte("coupons_applied", 1))
                    .add("value_hunter", 0.9)
                    .build())
            .build();

    Decision before = engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());
    engine.reload(v2);
    Decision after = engine.decide(Visit.builder("s2").event(Event.of("apply_coupon")).build());

    assertThat(before.score("value_hunter")).isEqualTo(0.4);
    assertThat(after.score("value_hunter")).isEqualTo(0.9);
    assertThat(before.ruleSetVersion()).isEqualTo("test-1");
    assertThat(engine.ruleSet()).isSameAs(v2);
  }

  @Test
  void failedReload_keepsThePreviousRuleSetServing() {
    RuleSet broken =
        TestRules.builder()
            .rule(
                Rule.builder("typo")
                    .when(gte("coupon_applied", 1))
                    .add("value_hunter", 0.5)
                    .build())
            .build();

    assertThatThrownBy(() -> engine.reload(broken))
        .isInstanceOf(RuleSetException.class)
        .hasMessageContaining("unknown signal 'coupon_applied'; did you mean 'coupons_applied'?");
    assertThat(engine.decide(Visit.builder("s3").build()).ruleSetVersion()).isEqualTo("test-1");
    assertThat(engine.ruleSet().rules()).noneMatch(r -> r.id().equals("typo"));
  }
}
