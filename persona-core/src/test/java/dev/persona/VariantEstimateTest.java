package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class VariantEstimateTest {
  private static VariantStats stats(String variant, String segment, long exposures, long clicks) {
    return VariantStats.builder("home.hero", variant, segment)
        .exposures(exposures)
        .clicks(clicks)
        .build();
  }

  @Test
  void variantsAreComparedWithinTheirPlacementAndSegment() {
    List<VariantEstimate> e =
        VariantEstimate.of(
            List.of(
                stats("b", "gift_giver", 1_000, 60),
                stats("a", "gift_giver", 1_000, 20),
                stats("a", null, 500, 40),
                stats("b", null, 500, 10),
                VariantStats.builder("cart", "only", null).exposures(10).clicks(1).build()),
            Outcome.Kind.CLICK);

    assertThat(e)
        .extracting(x -> x.placement() + "/" + x.segment() + "/" + x.variant())
        .containsExactly(
            "cart/null/only",
            "home.hero/null/a",
            "home.hero/null/b",
            "home.hero/gift_giver/a",
            "home.hero/gift_giver/b");
    VariantEstimate only = e.get(0);
    assertThat(only.probabilityBest()).isEqualTo(1);
    assertThat(only.expectedLoss()).isZero();
    VariantEstimate clear = e.get(4);
    assertThat(clear.rate()).isEqualTo(0.06);
    assertThat(clear.conversions()).isEqualTo(60);
    assertThat(clear.lower()).isBetween(0.045, 0.06);
    assertThat(clear.upper()).isBetween(0.06, 0.08);
    assertThat(clear.probabilityBest()).isGreaterThan(0.9999);
    assertThat(clear.expectedLoss()).isLessThan(1e-6);
    assertThat(e.get(3).expectedLoss()).isCloseTo(0.04, within(0.002));
    assertThat(e.get(1).probabilityBest() + e.get(2).probabilityBest()).isCloseTo(1, within(1e-12));
    assertThat(e.get(1).probabilityBest()).isGreaterThan(0.99);
  }

  @Test
  void aCloseCall_isReportedAsOne() {
    // 5.0% against 5.5% on 2,000 exposures each: far from settled
    List<VariantEstimate> e =
        VariantEstimate.of(
            List.of(stats("a", null, 2_000, 100), stats("b", null, 2_000, 110)),
            Outcome.Kind.CLICK);

    assertThat(e.get(1).probabilityBest()).isBetween(0.7, 0.8);
    assertThat(e.get(0).lower()).isLessThan(e.get(1).rate());
    assertThat(e.get(1).lower()).isLessThan(e.get(0).rate());
  }

  @Test
  void noExposures_meansTheUniformPrior_andConversionsAreAtMostTheExposures() {
    List<VariantEstimate> e =
        VariantEstimate.of(
            List.of(stats("new", null, 0, 0), stats("odd", null, 5, 9)), Outcome.Kind.CLICK);

    assertThat(e.get(0).rate()).isZero();
    assertThat(e.get(0).lower()).isCloseTo(0.025, within(1e-5));
    assertThat(e.get(0).upper()).isCloseTo(0.975, within(1e-5));
    assertThat(e.get(1).conversions()).isEqualTo(5);
    assertThat(e.get(1).rate()).isEqualTo(1);
  }

  @Test
  void theGoalChoosesTheCount_andExposuresAreNoGoal() {
    VariantStats s =
        VariantStats.builder("p", "v", null).exposures(100).clicks(50).purchases(2).build();

    assertThat(VariantEstimate.of(List.of(s), Outcome.Kind.PURCHASE).get(0).rate()).isEqualTo(0.02);
    assertThatThrownBy(() -> VariantEstimate.of(List.of(s), Outcome.Kind.EXPOSURE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEngine_estimatesFromItsStatistics() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.builder().build()).build();
    for (int i = 0; i < 40; i++) {
      engine.recordOutcome(
          Outcome.builder(Outcome.Kind.EXPOSURE, "s", "home.hero", "gift-guide").build());
    }
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.CLICK, "s", "home.hero", "gift-guide").build());

    assertThat(engine.variantEstimates(Outcome.Kind.CLICK))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.exposures()).isEqualTo(40);
              assertThat(x.conversions()).isEqualTo(1);
              assertThat(x.rate()).isEqualTo(0.025);
            });
  }
}
