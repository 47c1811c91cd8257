package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ExperimentTest {
  private static final int VISITORS = 100_000;

  static RuleSet rules(Experiment experiment) {
    return TestRules.builder()
        .placement(
            new Placement(
                    "home.banner",
                    java.util.List.of(
                        Variant.builder("a").content("A").build(),
                        Variant.builder("b").content("B").build(),
                        Variant.builder("c")
                            .when(Condition.gte("coupons_applied", 1))
                            .content("C")
                            .build(),
                        Variant.builder("control").asDefault().content("Control").build()))
                .withExperiment(experiment))
        .build();
  }

  static PersonaEngine engine(RuleSet rules) {
    return PersonaEngine.builder()
        .ruleSet(rules)
        .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
        .sessions(SessionConfig.inMemory(1_000).build())
        .build();
  }

  @Test
  void armShares_matchTheAllocation_over100000Visitors() {
    PersonaEngine engine =
        engine(rules(Experiment.of("banner-1", Arm.of("a", 50), Arm.of("b", 30), Arm.of("c", 20))));
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < VISITORS; i++) {
      VariantChoice c = engine.decide(Visit.builder("s-" + i).build()).variant("home.banner");
      assertThat(c.basis()).isEqualTo(Basis.EXPERIMENT);
      counts.merge(c.variant(), 1, Integer::sum);
    }

    // 0.8 percentage points is more than five standard deviations of each share at this size.
    assertThat(share(counts, "a")).isCloseTo(0.50, within(0.008));
    assertThat(share(counts, "b")).isCloseTo(0.30, within(0.008));
    assertThat(share(counts, "c")).isCloseTo(0.20, within(0.008));
  }

  @Test
  void partialAllocation_leavesTheRestPersonalized_neverWithAnArmsVariant() {
    // a and b have neither targets nor a condition: before, a won every outsider's fallback
    PersonaEngine engine =
        engine(rules(Experiment.of("banner-2", Arm.of("a", 10), Arm.of("b", 10))));
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 20_000; i++) {
      VariantChoice c = engine.decide(Visit.builder("s-" + i).build()).variant("home.banner");
      counts.merge(c.basis() == Basis.EXPERIMENT ? c.variant() : "outside", 1, Integer::sum);
      if (c.basis() != Basis.EXPERIMENT) {
        assertThat(c.basis()).isEqualTo(Basis.DEFAULT);
        assertThat(c.variant()).isEqualTo("control");
        assertThat(c.experiment()).isNull();
      } else {
        assertThat(c.experiment()).isEqualTo("banner-2");
      }
    }

    assertThat(share(counts, "a")).isCloseTo(0.10, within(0.015));
    assertThat(share(counts, "b")).isCloseTo(0.10, within(0.015));
    assertThat(share(counts, "outside")).isCloseTo(0.80, within(0.015));
  }

  @Test
  void outsidersOfTheArms_areCountedApartFromThem() {
    PersonaEngine engine =
        engine(rules(Experiment.of("banner-8", Arm.of("a", 10), Arm.of("b", 10))));

    for (int i = 0; i < 4_000; i++) {
      String session = "s-" + i;
      engine.recordOutcome(
          Outcome.shown(
              session, engine.decide(Visit.builder(session).build()).variant("home.banner")));
    }

    Map<String, Long> byRow = new HashMap<>();
    for (VariantStats s : engine.variantStats()) {
      byRow.merge(s.variant() + " " + s.basis() + " " + s.experiment(), s.exposures(), Long::sum);
    }
    assertThat(byRow.keySet())
        .containsExactlyInAnyOrder(
            "a EXPERIMENT banner-8", "b EXPERIMENT banner-8", "control DEFAULT null");
    assertThat(byRow.get("control DEFAULT null") / 4_000.0).isCloseTo(0.8, within(0.03));
  }

  @Test
  void sameVisitor_getsTheSameArm_acrossEngineInstancesAndRequests() {
    RuleSet rules =
        rules(Experiment.of("banner-3", Arm.of("a", 34), Arm.of("b", 33), Arm.of("c", 33)));
    PersonaEngine one = engine(rules);
    PersonaEngine two = engine(rules);

    for (int i = 0; i < 2_000; i++) {
      String arm = arm(one, Visit.builder("s-" + i).build());
      assertThat(arm(two, Visit.builder("s-" + i).event(Event.of("page_view")).build()))
          .isEqualTo(arm);
      assertThat(arm(one, Visit.builder("s-" + i).build())).isEqualTo(arm);
    }
  }

  @Test
  void signedInUser_keepsTheirArm_acrossSessions() {
    PersonaEngine engine =
        engine(rules(Experiment.of("banner-4", Arm.of("a", 50), Arm.of("b", 50))));
    int differentSessionArms = 0;
    for (int i = 0; i < 500; i++) {
      String user = "user-" + i;
      String first = arm(engine, Visit.builder("phone-" + i).userId(user).build());
      String second = arm(engine, Visit.builder("laptop-" + i).userId(user).build());
      assertThat(second).isEqualTo(first);
      if (!arm(engine, Visit.builder("phone-" + i).build())
          .equals(arm(engine, Visit.builder("laptop-" + i).build()))) {
        differentSessionArms++;
      }
    }
    assertThat(differentSessionArms).as("anonymous sessions hash independently").isPositive();
  }

  @Test
  void anotherExperimentId_reshufflesVisitors() {
    PersonaEngine first =
        engine(rules(Experiment.of("banner-5", Arm.of("a", 50), Arm.of("b", 50))));
    PersonaEngine second =
        engine(rules(Experiment.of("banner-6", Arm.of("a", 50), Arm.of("b", 50))));
    int moved = 0;
    for (int i = 0; i < 2_000; i++) {
      Visit v = Visit.builder("s-" + i).build();
      if (!arm(first, v).equals(arm(second, v))) {
        moved++;
      }
    }
    assertThat(moved / 2_000.0).isCloseTo(0.5, within(0.05));
  }

  @Test
  void decision_saysTheArmAndExplainsIt() {
    PersonaEngine engine = engine(rules(Experiment.of("banner-7", Arm.of("a", 100))));

    Decision d = engine.decide(Visit.builder("s").build());

    VariantChoice c = d.variant("home.banner");
    assertThat(c.variant()).isEqualTo("a");
    assertThat(c.content()).isEqualTo("A");
    assertThat(c.holdout()).isFalse();
    assertThat(d.reasons())
        .anyMatch(
            r ->
                r.text()
                    .equals(
                        "placement home.banner: variant a, the visitor's arm of experiment banner-7"));
  }

  private static String arm(PersonaEngine engine, Visit visit) {
    return engine.decide(visit).variant("home.banner").variant();
  }

  private static double share(Map<String, Integer> counts, String key) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    return counts.getOrDefault(key, 0) / (double) total;
  }
}
