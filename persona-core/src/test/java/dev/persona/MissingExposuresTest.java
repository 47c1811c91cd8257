package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExperimentConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A placement whose exposures are never recorded is visible: an experiment would have no statistics
 * and an optimized placement would sample uniformly forever. Its choices are flagged {@link
 * Decision.Flag#EXPOSURES_MISSING} and counted, from 1,000 choices or 10 minutes after the first,
 * until one exposure of it is recorded.
 */
final class MissingExposuresTest {
  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.tiles",
                      Variant.builder("deals").build(),
                      Variant.builder("popular").asDefault().build())
                  .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.05)))
          .placement(
              new Placement(
                      "home.banner",
                      List.of(
                          Variant.builder("a").build(),
                          Variant.builder("control").asDefault().build()))
                  .withExperiment(Experiment.of("banner", Experiment.Arm.of("a", 50))))
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));

  private PersonaEngine engine(StatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(RULES)
        .clock(clock)
        .experiments(ExperimentConfig.builder().statsStore(stats).build())
        .build();
  }

  private static Decision decide(PersonaEngine engine, int i) {
    return engine.decide(Visit.builder("s-" + i).build());
  }

  @Test
  void anOptimizedPlacementWithoutExposures_isFlaggedFromItsThousandthChoice_untilOneIsRecorded() {
    PersonaEngine engine = engine(StatsStore.inMemory(1_000));
    for (int i = 0; i < 999; i++) {
      assertThat(decide(engine, i).flags()).isEmpty();
    }

    Decision flagged = decide(engine, 999);
    assertThat(flagged.flags()).containsExactly(Decision.Flag.EXPOSURES_MISSING);
    assertThat(flagged.reasons())
        .extracting(Reason::text)
        .contains(
            "placement home.tiles: no exposure recorded in 1000 choices on this engine nor in the"
                + " statistics; record Outcome.shown when the variant is shown");
    assertThat(engine.stats().unexposedChoices()).isEqualTo(1);

    engine.recordOutcome(Outcome.shown("s-999", flagged.variant("home.tiles")));
    for (int i = 1_000; i < 1_100; i++) {
      assertThat(decide(engine, i).reasons())
          .extracting(Reason::text)
          .noneMatch(t -> t.startsWith("placement home.tiles: no exposure"));
    }
  }

  @Test
  void anExperimentsArms_areFlaggedTenMinutesAfterTheFirstChoice_butNotItsOtherVisitors() {
    PersonaEngine engine = engine(StatsStore.inMemory(1_000));
    for (int i = 0; i < 20; i++) { // some of them in the arm
      assertThat(decide(engine, i).flags()).isEmpty();
    }
    engine.recordOutcome(Outcome.shown("s-0", decide(engine, 0).variant("home.tiles")));
    clock.advance(Duration.ofMinutes(10));

    int flagged = 0;
    for (int i = 20; i < 120; i++) {
      Decision d = decide(engine, i);
      boolean arm = d.variant("home.banner").basis() == VariantChoice.Basis.EXPERIMENT;
      assertThat(d.flags().contains(Decision.Flag.EXPOSURES_MISSING)).isEqualTo(arm);
      flagged += arm ? 1 : 0;
    }

    assertThat(flagged).isBetween(30, 70);
    assertThat(engine.stats().unexposedChoices()).isEqualTo(flagged);
  }

  @Test
  void exposuresRecordedByAnotherEngineSharingTheStore_count() {
    StatsStore shared = StatsStore.inMemory(1_000);
    PersonaEngine recording = engine(shared);
    PersonaEngine deciding = engine(shared);
    Decision d = decide(recording, 0);
    recording.recordOutcome(Outcome.shown("s-0", d.variant("home.tiles")));
    recording.recordOutcome(
        Outcome.shown(
            "s-0",
            VariantChoice.builder("home.banner", "a", VariantChoice.Basis.EXPERIMENT).build()));

    for (int i = 1; i <= 1_500; i++) {
      assertThat(decide(deciding, i).flags()).isEmpty();
    }
    assertThat(deciding.stats().unexposedChoices()).isZero();
  }

  @Test
  void personalizedPlacements_areNeverFlagged() {
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(TestRules.ruleSet()).clock(clock).build();
    for (int i = 0; i < 1_500; i++) {
      assertThat(decide(engine, i).flags()).isEmpty();
    }
    clock.advance(Duration.ofHours(1));

    assertThat(decide(engine, 0).flags()).isEmpty();
    assertThat(engine.stats().unexposedChoices()).isZero();
  }
}
