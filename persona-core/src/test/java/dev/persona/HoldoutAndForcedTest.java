package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HoldoutAndForcedTest {
  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.banner",
                      Variant.builder("a").build(),
                      Variant.builder("b").build(),
                      Variant.builder("control").asDefault().build())
                  .withExperiment(Experiment.of("banner-1", Arm.of("a", 50), Arm.of("b", 50))))
          .placement(
              Placement.of(
                      "home.tiles",
                      Variant.builder("deals").build(),
                      Variant.builder("new-in").build(),
                      Variant.builder("popular").asDefault().build())
                  .optimized(Optimization.DEFAULTS))
          .build();

  private static PersonaEngine.Builder engine() {
    return PersonaEngine.builder()
        .ruleSet(RULES)
        .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
        .sessions(SessionConfig.inMemory(1_000).build());
  }

  /** A visit that makes the shopper a value hunter, who would get the flash sale hero. */
  private static Visit valueHunter(String session) {
    return Visit.builder(session)
        .declared("priority", "price")
        .event(Event.of("apply_coupon"))
        .build();
  }

  @Test
  void holdout_takesItsShare_andAlwaysGetsEveryDefault() {
    PersonaEngine engine =
        engine().experiments(ExperimentConfig.builder().holdout(0.05).build()).build();
    int held = 0;
    int visitors = 40_000;

    for (int i = 0; i < visitors; i++) {
      Decision d = engine.decide(valueHunter("s-" + i));
      boolean inHoldout = d.variant("home.hero").holdout();
      for (VariantChoice c : d.variants().values()) {
        assertThat(c.holdout()).isEqualTo(inHoldout);
        if (inHoldout) {
          assertThat(c.basis()).isEqualTo(Basis.HOLDOUT);
          assertThat(c.variant())
              .isEqualTo(
                  RULES.placements().stream()
                      .filter(p -> p.id().equals(c.placement()))
                      .findFirst()
                      .orElseThrow()
                      .defaultVariant()
                      .id());
        }
      }
      if (inHoldout) {
        held++;
        assertThat(d.persona())
            .as("scores are still computed for analysis")
            .contains("value_hunter");
      } else {
        assertThat(d.variant("home.hero").variant()).isEqualTo("flash-sale");
      }
    }

    assertThat(held / (double) visitors).isCloseTo(0.05, within(0.006));
  }

  @Test
  void noHoldout_byDefault() {
    PersonaEngine engine = engine().build();
    for (int i = 0; i < 2_000; i++) {
      assertThat(engine.decide(valueHunter("s-" + i)).variant("home.hero").holdout()).isFalse();
    }
  }

  @Test
  void holdoutReason_isExplained() {
    PersonaEngine engine =
        engine().experiments(ExperimentConfig.builder().holdout(0.5).build()).build();
    Decision held = null;
    for (int i = 0; held == null; i++) {
      Decision d = engine.decide(valueHunter("s-" + i));
      if (d.variant("home.hero").holdout()) {
        held = d;
      }
    }
    assertThat(held.reasons())
        .anyMatch(
            r ->
                r.text()
                    .equals(
                        "placement home.hero: default variant new-season, the visitor is in the"
                            + " personalization holdout"));
  }

  @Test
  void forcedVariants_areIgnoredUnlessConfigured() {
    PersonaEngine engine = engine().build();

    Decision d =
        engine.decide(Visit.builder("s").query("persona_force", "home.hero:gift-guide").build());

    assertThat(d.variant("home.hero").variant()).isEqualTo("new-season");
  }

  @Test
  void forcedVariants_pinByQueryOrHeader_evenInTheHoldoutAndExperiments() {
    PersonaEngine engine =
        engine()
            .experiments(
                ExperimentConfig.builder().forcedVariants("persona_force").holdout(0.99).build())
            .build();

    Decision byQuery =
        engine.decide(
            Visit.builder("s1")
                .query("persona_force", "home.hero:gift-guide, home.banner:b,home.tiles:deals")
                .build());
    Decision byHeader =
        engine.decide(Visit.builder("s2").header("Persona_Force", "home.hero:reviews").build());

    assertThat(byQuery.variant("home.hero").variant()).isEqualTo("gift-guide");
    assertThat(byQuery.variant("home.hero").basis()).isEqualTo(Basis.FORCED);
    assertThat(byQuery.variant("home.banner").variant()).isEqualTo("b");
    assertThat(byQuery.variant("home.tiles").variant()).isEqualTo("deals");
    assertThat(byHeader.variant("home.hero").variant()).isEqualTo("reviews");
    assertThat(byHeader.reasons())
        .anyMatch(r -> r.text().equals("placement home.hero: variant reviews, forced for QA"));
  }

  @Test
  void malformedOrUnknownOverrides_changeNothing_andAreFlagged() {
    PersonaEngine engine =
        engine()
            .experiments(ExperimentConfig.builder().forcedVariants("persona_force").build())
            .build();

    Decision d =
        engine.decide(
            Visit.builder("s")
                .query("persona_force", "nonsense,home.hero:no-such-variant,:x,y:")
                .build());

    assertThat(d.variant("home.hero").basis()).isEqualTo(Basis.DEFAULT);
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(
            engine
                .decide(Visit.builder("s").query("persona_force", "x".repeat(5_000)).build())
                .flags())
        .contains(Decision.Flag.INPUT_TRUNCATED);
  }

  @Test
  void experimentAndOptimizedPlacements_mayHaveVariantsWithoutTargetsOrConditions() {
    assertThat(RULES.placements())
        .extracting(Placement::mode)
        .containsExactly(
            Placement.Mode.PERSONALIZED,
            Placement.Mode.PERSONALIZED,
            Placement.Mode.EXPERIMENT,
            Placement.Mode.OPTIMIZED);
    assertThat(List.copyOf(RULES.placements()).get(3).optimization())
        .isEqualTo(Optimization.DEFAULTS);
  }
}
