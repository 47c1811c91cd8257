package dev.persona.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class RuleSetTest {

  @Test
  void build_reportsEveryUnknownPersonaTogether() {
    RuleSet.Builder b =
        RuleSet.builder("v1")
            .persona(new Persona("known", "Known", 0.5))
            .rule(Rule.builder("r1").add("ghost", 0.5).build())
            .placement(
                Placement.of(
                    "home.hero",
                    Variant.builder("a").targets("phantom").build(),
                    Variant.builder("fallback").asDefault().build()));

    assertThatThrownBy(b::build)
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "rule 'r1' adds to unknown persona 'ghost'; known personas: [known] (at $.rules[0].add)",
                        "variant 'a' targets unknown persona 'phantom'; known personas: [known]"
                            + " (at $.placements[0].variants[0].targets)"));
  }

  @Test
  void placement_needsExactlyOneDefault() {
    assertThatThrownBy(
            () -> Placement.of("p", Variant.builder("a").when(Condition.exists("device")).build()))
        .hasMessage("placement 'p' needs exactly one default variant, has 0");
    assertThatThrownBy(
            () ->
                Placement.of(
                    "p",
                    Variant.builder("a").asDefault().build(),
                    Variant.builder("b").asDefault().build()))
        .hasMessage("placement 'p' needs exactly one default variant, has 2");
  }

  @Test
  void experimentsThatCouldNotBeMeasured_areRefused_eachWithItsPath() {
    Variant a = Variant.builder("a").build();
    Variant b = Variant.builder("b").build();
    Variant always = Variant.builder("always").build();
    Variant d = Variant.builder("d").asDefault().build();
    RuleSet.Builder rules =
        RuleSet.builder("v1")
            // the default as an arm, with visitors outside the arms, who see the default too
            .placement(
                Placement.of("p0", a, d)
                    .withExperiment(
                        Experiment.of(
                            "e0", Experiment.Arm.of("a", 40), Experiment.Arm.of("d", 40))))
            // outsiders are personalized: a variant of none of the arms that would always win
            .placement(
                Placement.of("p1", a, always, d)
                    .withExperiment(Experiment.of("e1", Experiment.Arm.of("a", 50))))
            // an arm that is not a whole number of buckets, and the holdout's id
            .placement(
                Placement.of("p2", a, b, d)
                    .withExperiment(
                        Experiment.of(
                            "persona-holdout",
                            Experiment.Arm.of("a", 33.333),
                            Experiment.Arm.of("b", 66.667))));

    assertThatThrownBy(rules::build)
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::path)
                    .containsExactly(
                        "$.placements[0].experiment.arms[1]",
                        "$.placements[1].variants[1]",
                        "$.placements[2].experiment.id",
                        "$.placements[2].experiment.arms[0]",
                        "$.placements[2].experiment.arms[1]"));
  }

  @Test
  void anExperimentCoveringEveryone_mayShowTheDefault_andKeepVariantsOfNoArm() {
    RuleSet rules =
        RuleSet.builder("v1")
            .placement(
                Placement.of(
                        "p",
                        Variant.builder("a").build(),
                        Variant.builder("spare").build(),
                        Variant.builder("d").asDefault().build())
                    .withExperiment(
                        Experiment.of("e", Experiment.Arm.of("d", 50), Experiment.Arm.of("a", 50))))
            .build();

    assertThat(rules.placements()).hasSize(1);
  }

  @Test
  void variantWithoutTargetsOrCondition_isRefused() {
    RuleSet.Builder b =
        RuleSet.builder("v1")
            .placement(
                Placement.of(
                    "p",
                    Variant.builder("always").build(),
                    Variant.builder("d").asDefault().build()));

    assertThatThrownBy(b::build).hasMessageContaining("it would always win");
  }

  @Test
  void variantsWhoseConditionAlwaysHolds_howeverWritten_areRefused() {
    Condition mobile = Condition.eq("device", "mobile");
    for (Condition always :
        List.of(
            Condition.all(Condition.all()),
            Condition.not(Condition.any()),
            Condition.any(mobile, Condition.not(mobile)),
            Condition.not(Condition.all(mobile, Condition.not(mobile))))) {
      RuleSet.Builder b =
          RuleSet.builder("v1")
              .placement(
                  Placement.of(
                      "p",
                      Variant.builder("always").when(always).build(),
                      Variant.builder("d").asDefault().build()));

      assertThatThrownBy(b::build)
          .as(always.toString())
          .hasMessageContaining("its condition always holds, so it would always win");
    }
  }

  @Test
  void variantsWhoseConditionCanFail_areKept() {
    Condition mobile = Condition.eq("device", "mobile");
    for (Condition sometimes :
        List.of(
            Condition.all(Condition.all(), mobile),
            Condition.not(Condition.any(mobile)),
            Condition.any(Condition.any(), mobile),
            Condition.any(mobile, Condition.not(Condition.eq("device", "desktop"))))) {
      RuleSet rules =
          RuleSet.builder("v1")
              .placement(
                  Placement.of(
                      "p",
                      Variant.builder("sometimes").when(sometimes).build(),
                      Variant.builder("d").asDefault().build()))
              .build();

      assertThat(rules.placements()).as(sometimes.toString()).hasSize(1);
    }
  }

  @Test
  void aThresholdThatMatchesNearlyEveryVisitor_isRefused() {
    assertThatThrownBy(() -> new Persona("p", "P", 1e-10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be in [0.01, 1]");
    assertThat(new Persona("p", "P", Persona.MIN_THRESHOLD).threshold()).isEqualTo(0.01);
  }

  @Test
  void weightsWhoseSumCouldOverflow_areRefused() {
    assertThatThrownBy(() -> Rule.builder("r").add("p", 1e300).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight must be finite and within ±1000000");
    assertThatThrownBy(() -> Rule.builder("r").add("p", 1_000).per("n", 1e300).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a weight times the cap of its scale must be within ±1000000");
    assertThat(Rule.builder("r").add("p", -1_000_000).per("n", 1).build().adds())
        .containsEntry("p", -1_000_000.0);
  }

  @Test
  void aVersionThatCouldForgeLogLines_isRefused() {
    for (String forged :
        List.of(
            "v1\n12:00 INFO admin logged in", "v1\u001b[2K", "v1\r", "v1\u2028x", "v1\u202ex")) {
      assertThatThrownBy(() -> RuleSet.builder(forged))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version must not hold control or format characters");
    }
    assertThat(RuleSet.builder("2026-12-03 café #7").build().version())
        .isEqualTo("2026-12-03 café #7");
  }

  @Test
  void toBuilder_letsATeamOverrideAPersonasRules() {
    RuleSet base =
        RuleSet.builder("v1")
            .persona(new Persona("a", "A", 0.5))
            .persona(new Persona("b", "B", 0.5))
            .rule(Rule.builder("a1").add("a", 0.5).build())
            .rule(Rule.builder("b1").add("b", 0.5).build())
            .build();

    RuleSet changed =
        base.toBuilder().removeRulesFor("a").rule(Rule.builder("a2").add("a", 0.9).build()).build();

    assertThat(changed.rules()).extracting(Rule::id).containsExactly("b1", "a2");
    assertThat(base.rules()).extracting(Rule::id).containsExactly("a1", "b1");
  }

  @Test
  void ids_areChecked() {
    assertThatThrownBy(() -> new Persona("has space", "x", 0.5))
        .hasMessageContaining("persona id 'has space'");
    assertThatThrownBy(() -> new Persona("ok", "x", 0))
        .hasMessageContaining("threshold must be in [0.01, 1]");
    assertThatThrownBy(() -> Rule.builder("r").add("p", Double.NaN)).hasMessageContaining("finite");
    assertThatThrownBy(() -> Rule.builder("r").build()).hasMessage("rule 'r' adds to no persona");
  }

  @Test
  void problem_printsFileLineAndColumnWhenKnown() {
    RuleSetException.Problem p =
        new RuleSetException.Problem(
            "rules.json", 3, 14, "$.personas[0].threshold", "expected a number");

    assertThat(p).hasToString("rules.json:3:14: expected a number (at $.personas[0].threshold)");
  }
}
