package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.internal.experiment.ChiSquare;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Readings of experiments and of the holdout from the library's own statistics. */
final class ExperimentReadingTest {
  private static final int VISITORS = 40_000;

  /** A 50/50 test whose control is the placement's default, as the issue ran it. */
  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.banner",
                      Variant.builder("new").build(),
                      Variant.builder("control").asDefault().build())
                  .withExperiment(
                      Experiment.of("banner-srm", Arm.of("control", 50), Arm.of("new", 50))))
          .build();

  private static PersonaEngine engine(double holdout) {
    return PersonaEngine.builder()
        .ruleSet(RULES)
        .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
        .sessions(SessionConfig.inMemory(1_000).build())
        .experiments(ExperimentConfig.builder().holdout(holdout).build())
        .build();
  }

  @Test
  void aHoldoutAndA5050TestOfTheDefault_showNoFalseSampleRatioMismatch() {
    PersonaEngine engine = engine(0.05);
    for (int i = 0; i < VISITORS; i++) {
      String session = "s-" + i;
      VariantChoice c = engine.decide(Visit.builder(session).build()).variant("home.banner");
      engine.recordOutcome(Outcome.shown(session, c));
    }

    ExperimentReading r = engine.experimentReadings().get(0);
    assertThat(r.placement()).isEqualTo("home.banner");
    assertThat(r.experiment()).isEqualTo("banner-srm");
    assertThat(r.arms()).containsExactly("control", "new");
    assertThat(r.shares()).containsExactly(0.5, 0.5);
    assertThat(r.exposures().get(0) + r.exposures().get(1))
        .isCloseTo((long) (VISITORS * 0.95), within(400L));
    assertThat(r.sampleRatioPValue()).as("the assignment is sound").isGreaterThan(0.001);

    // the holdout's views of the default are a row of their own; counted with the arm's, as before
    // bases were kept, they made the mismatch the issue saw (p = 1.6e-25)
    Map<String, Long> byVariant = new HashMap<>();
    long holdout = 0;
    for (VariantStats s : engine.variantStats()) {
      byVariant.merge(s.variant(), s.exposures(), Long::sum);
      if (s.basis() == Basis.HOLDOUT) {
        holdout += s.exposures();
        assertThat(s.variant()).isEqualTo("control");
      }
    }
    assertThat(holdout).isCloseTo((long) (VISITORS * 0.05), within(300L));
    double merged =
        ChiSquare.pValue(
            new long[] {byVariant.get("control"), byVariant.get("new")}, new double[] {1, 1});
    assertThat(merged).isLessThan(1e-10);
  }

  @Test
  void anArmWhoseExposuresAreNotAllRecorded_showsAMismatch() {
    PersonaEngine engine = engine(0.05);
    Random lost = new Random(7);
    for (int i = 0; i < VISITORS; i++) {
      String session = "s-" + i;
      VariantChoice c = engine.decide(Visit.builder(session).build()).variant("home.banner");
      if (!(c.variant().equals("new") && lost.nextDouble() < 0.05)) { // 5% of one arm's beacons
        engine.recordOutcome(Outcome.shown(session, c));
      }
    }

    assertThat(engine.experimentReadings().get(0).sampleRatioPValue()).isLessThan(1e-6);
  }

  @Test
  void chiSquarePValues_matchTheReferenceValues() {
    // scipy.stats.chi2.sf
    assertThat(ChiSquare.pValue(new long[] {500, 500}, new double[] {50, 50})).isEqualTo(1.0);
    assertThat(ChiSquare.pValue(new long[] {5_000, 5_200}, new double[] {1, 1}))
        .isCloseTo(0.04767038, within(1e-7)); // x = 3.9216, df 1
    assertThat(ChiSquare.pValue(new long[] {1_000, 1_000, 1_100}, new double[] {1, 1, 1}))
        .isCloseTo(0.03972373, within(1e-7)); // x = 6.4516, df 2
    double tiny = ChiSquare.pValue(new long[] {21_000, 19_000}, new double[] {1, 1}); // x = 100
    assertThat(tiny).isCloseTo(1.5239706e-23, within(1e-29));
  }

  @Test
  void theHoldoutsLift_isReadFromItsOwnRows_withAnInterval() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .sessions(SessionConfig.inMemory(1_000).build())
            .experiments(ExperimentConfig.builder().holdout(0.2).build())
            .build();
    Random clicks = new Random(11);
    for (int i = 0; i < VISITORS; i++) {
      String session = "s-" + i;
      VariantChoice c = engine.decide(Visit.builder(session).build()).variant("home.hero");
      engine.recordOutcome(Outcome.shown(session, c));
      if (clicks.nextDouble() < (c.holdout() ? 0.03 : 0.06)) {
        engine.recordOutcome(Outcome.clicked(session, c));
      }
    }

    List<HoldoutLift> lifts = engine.holdoutLifts(Outcome.Kind.CLICK);
    HoldoutLift hero =
        lifts.stream().filter(l -> l.placement().equals("home.hero")).findFirst().orElseThrow();
    assertThat(hero.holdoutExposures() + hero.exposures()).isEqualTo(VISITORS);
    assertThat(hero.holdoutExposures() / (double) VISITORS).isCloseTo(0.2, within(0.01));
    // four standard errors of each rate at these sizes
    assertThat(hero.holdoutRate()).isCloseTo(0.03, within(0.008));
    assertThat(hero.rate()).isCloseTo(0.06, within(0.005));
    assertThat(hero.lift()).isEqualTo(hero.rate() - hero.holdoutRate());
    assertThat(hero.lower()).isGreaterThan(0).isLessThan(hero.lift());
    assertThat(hero.upper()).isGreaterThan(hero.lift());
    // as wide as the normal approximation of the difference makes it, at these sizes
    double se =
        Math.sqrt(
            hero.rate() * (1 - hero.rate()) / hero.exposures()
                + hero.holdoutRate() * (1 - hero.holdoutRate()) / hero.holdoutExposures());
    assertThat(hero.upper() - hero.lower()).isCloseTo(2 * 1.96 * se, within(0.05 * 2 * 1.96 * se));
    assertThat(hero.probabilityBetter()).isGreaterThan(0.999);
    // the same counts give the same figures
    assertThat(HoldoutLift.of(engine.variantStats(), Outcome.Kind.CLICK)).isEqualTo(lifts);
  }
}
