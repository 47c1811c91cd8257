package dev.persona.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.TestRules;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What {@link CompiledRuleSet} puts into a frame, and what scoring makes of it. */
final class CompiledRuleSetTest {
  private final RuleSet ruleSet =
      TestRules.builder()
          .rule(
              Rule.builder("coupon")
                  .when(Condition.gte("coupons_applied", 1))
                  .add("value_hunter", 0.4)
                  .build())
          .build();
  private final CompiledRuleSet compiled =
      CompiledRuleSet.compile(ruleSet, PersonaEngine.builtInSignals());
  private final int slot = compiled.slot("coupons_applied");
  private final int valueHunter = Arrays.asList(compiled.personaIds()).indexOf("value_hunter");

  @Test
  void aValueOfAnotherTypeThanItsSignals_isLeftOut() {
    SignalFrame f = compiled.newFrame();
    compiled.add(f, new Signal("coupons_applied", SignalKind.IMPLICIT, "2", "test", 1));
    assertThat(f.present[slot]).as("a text for a NUMBER signal").isFalse();
    compiled.add(f, new Signal("coupons_applied", SignalKind.IMPLICIT, 2.0, "test", 1));
    assertThat(f.present[slot]).isTrue();
    assertThat(score(f)).isEqualTo(0.4);
  }

  @Test
  void aNaNNumber_isNoNumber() {
    SignalFrame f = compiled.newFrame();
    compiled.add(f, new Signal("coupons_applied", SignalKind.IMPLICIT, Double.NaN, "test", 1));
    assertThat(f.present[slot]).isFalse();
    assertThat(score(f)).isZero();
  }

  private double score(SignalFrame f) {
    double[] scores = new double[compiled.personaIds().length];
    compiled.score(f, scores);
    return scores[valueHunter];
  }
}
