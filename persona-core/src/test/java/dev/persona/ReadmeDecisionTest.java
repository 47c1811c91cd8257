package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** README.md's "How a decision is made", steps 2 and 3, as stated. */
final class ReadmeDecisionTest {
  private static final RuleSet RULES =
      RuleSet.builder("readme")
          .persona(new Persona("value_hunter", "Value hunter", 0.5))
          .persona(new Persona("researcher", "Researcher", 0.5))
          .rule(
              Rule.builder("coupon")
                  .when(Condition.gte("coupons_applied", 0.5))
                  .add("value_hunter", 0.5)
                  .build())
          .rule(
              Rule.builder("compare")
                  .when(Condition.gte("compares", 0.5))
                  .add("researcher", 0.8)
                  .build())
          .rule(
              Rule.builder("reviews")
                  .when(Condition.gte("reviews_read", 0.5))
                  .add("researcher", 0.8)
                  .build())
          .placement(Placement.of("home.hero", Variant.builder("default").asDefault().build()))
          .build();

  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(RULES)
          .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
          .build();

  @Test
  void scoresAreClampedTo1_andAScoreAtItsThresholdMatches() {
    Decision both =
        engine.decide(
            Visit.builder("s1").event(Event.of("compare")).event(Event.of("view_reviews")).build());
    Decision atThreshold =
        engine.decide(Visit.builder("s2").event(Event.of("apply_coupon")).build());

    assertThat(both.score("researcher")).isEqualTo(1.0);
    assertThat(atThreshold.score("value_hunter")).isEqualTo(0.5);
    assertThat(atThreshold.persona()).isEqualTo("value_hunter");
  }

  @Test
  void theHighestScoreAtOrAboveItsThreshold_isThePrimaryPersona_elseNone() {
    Decision d =
        engine.decide(
            Visit.builder("s3").event(Event.of("apply_coupon")).event(Event.of("compare")).build());
    Decision none = engine.decide(Visit.builder("s4").build());

    assertThat(d.persona()).isEqualTo("researcher");
    assertThat(none.persona()).isNull();
  }

  @Test
  void gpc_storesNothing_andADeclaredDenialStoresTheDenialAlone_untilGranted() {
    engine.decide(Visit.builder("s5").event(Event.of("compare")).build());
    engine.decide(Visit.builder("s5").header("Sec-GPC", "1").event(Event.of("compare")).build());
    SessionSnapshot afterGpc = engine.inspect("s5");

    engine.decide(Visit.builder("s6").event(Event.of("compare")).build());
    engine.decide(Visit.builder("s6").declared("consent", "denied").build());
    Decision later = engine.decide(Visit.builder("s6").event(Event.of("compare")).build());
    SessionSnapshot denied = engine.inspect("s6");
    engine.decide(Visit.builder("s6").declared("consent", "granted").build());
    Decision granted = engine.decide(Visit.builder("s6").event(Event.of("compare")).build());

    assertThat(afterGpc).isNull();
    assertThat(later.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(denied.declared()).containsOnlyKeys("consent");
    assertThat(denied.totals()).isEmpty();
    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(granted.signal("compares")).isNotNull();
  }
}
