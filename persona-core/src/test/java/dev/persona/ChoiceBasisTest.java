package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How each choice says it was made, with what probability, and what its outcomes count in. */
final class ChoiceBasisTest {
  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.banner",
                      Variant.builder("a").build(),
                      Variant.builder("b").build(),
                      Variant.builder("coupon").when(Condition.gte("coupons_applied", 1)).build(),
                      Variant.builder("control").asDefault().build())
                  .withExperiment(Experiment.of("banner-p", Arm.of("a", 30), Arm.of("b", 20))))
          .placement(
              Placement.of(
                      "home.tiles",
                      Variant.builder("deals").build(),
                      Variant.builder("new-in").build(),
                      Variant.builder("popular").asDefault().build())
                  .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.1, 0)))
          .build();

  private static PersonaEngine.Builder engine() {
    return PersonaEngine.builder()
        .ruleSet(RULES)
        .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
        .sessions(SessionConfig.inMemory(1_000).build());
  }

  @Test
  void hashSplitsAndTheHoldout_sayTheirExactProbability_whichTheSharesMatch() {
    PersonaEngine engine =
        engine().experiments(ExperimentConfig.builder().holdout(0.1).build()).build();
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Double> stated = new HashMap<>();
    int visitors = 40_000;

    for (int i = 0; i < visitors; i++) {
      VariantChoice c = engine.decide(Visit.builder("s-" + i).build()).variant("home.banner");
      String key = c.basis() + " " + c.variant();
      counts.merge(key, 1, Integer::sum);
      stated.put(key, c.probability());
    }

    assertThat(stated)
        .containsOnlyKeys("HOLDOUT control", "EXPERIMENT a", "EXPERIMENT b", "DEFAULT control");
    assertThat(stated.get("HOLDOUT control")).isEqualTo(0.1);
    assertThat(stated.get("EXPERIMENT a")).isCloseTo(0.9 * 0.3, within(1e-12));
    assertThat(stated.get("EXPERIMENT b")).isCloseTo(0.9 * 0.2, within(1e-12));
    assertThat(stated.get("DEFAULT control")).isCloseTo(0.9 * 0.5, within(1e-12));
    // each within five standard deviations of its share at this size
    stated.forEach(
        (key, p) ->
            assertThat(counts.get(key) / (double) visitors)
                .as(key)
                .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / visitors))));
  }

  @Test
  void aPersonalizedChoice_isAsLikelyAsNotBeingHeldOut() {
    PersonaEngine engine =
        engine().experiments(ExperimentConfig.builder().holdout(0.05).build()).build();

    VariantChoice hero = null;
    for (int i = 0; hero == null || hero.holdout(); i++) {
      hero = engine.decide(Visit.builder("p-" + i).build()).variant("home.hero");
    }

    assertThat(hero.basis()).isIn(Basis.PERSONA, Basis.CONDITION, Basis.DEFAULT);
    assertThat(hero.probability()).isEqualTo(0.95);
    assertThat(
            PersonaEngine.builder()
                .ruleSet(RULES)
                .build()
                .decide(Visit.builder("p").build())
                .variant("home.hero")
                .probability())
        .as("no holdout")
        .isEqualTo(1.0);
  }

  @Test
  void thompsonSampling_statesAProbabilityThatItsPicksMatch() {
    StatsStore store = StatsStore.inMemory(100);
    // close enough that every variant is picked often: 4%, 5% and 6% over 1,000 exposures each
    Map<String, Integer> clicks = Map.of("deals", 40, "new-in", 50, "popular", 60);
    clicks.forEach(
        (v, n) ->
            store.add(
                VariantStats.builder("home.tiles", v, null)
                    .basis(Basis.OPTIMIZED)
                    .exposures(1_000)
                    .clicks(n)
                    .build()));
    PersonaEngine engine =
        engine()
            .experiments(
                ExperimentConfig.builder()
                    .statsStore(store)
                    .randomSeed(3)
                    .statsRefresh(Duration.ofHours(1))
                    .build())
            .build();
    Map<String, Integer> picks = new HashMap<>();
    Map<String, Double> stated = new HashMap<>();
    int decisions = 20_000;

    for (int i = 0; i < decisions; i++) {
      VariantChoice c = engine.decide(Visit.builder("t-" + i).build()).variant("home.tiles");
      assertThat(c.basis()).isEqualTo(Basis.OPTIMIZED);
      picks.merge(c.variant(), 1, Integer::sum);
      stated.put(c.variant(), c.probability());
    }

    assertThat(stated.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1, within(1e-4));
    assertThat(stated.get("popular")).isGreaterThan(stated.get("new-in"));
    assertThat(stated.get("new-in")).isGreaterThan(stated.get("deals"));
    assertThat(stated.get("deals")).isGreaterThan(0.1 / 3); // the exploration share at least
    stated.forEach(
        (v, p) ->
            assertThat(picks.get(v) / (double) decisions)
                .as(v)
                .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / decisions))));
  }

  @Test
  void forcedAndBotChoices_areNeverCounted() {
    PersonaEngine engine =
        engine()
            .experiments(ExperimentConfig.builder().forcedVariants("persona_force").build())
            .build();
    VariantChoice forced =
        engine
            .decide(Visit.builder("qa").query("persona_force", "home.banner:b").build())
            .variant("home.banner");
    VariantChoice bot =
        engine
            .decide(
                Visit.builder("crawler")
                    .header(
                        "User-Agent",
                        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                    .build())
            .variant("home.hero");

    assertThat(forced.basis()).isEqualTo(Basis.FORCED);
    assertThat(forced.probability()).isEqualTo(1.0);
    assertThat(forced.counted()).isFalse();
    assertThat(bot.counted()).isFalse();
    engine.recordOutcome(Outcome.shown("qa", forced));
    engine.recordOutcome(Outcome.clicked("qa", forced));
    engine.recordOutcome(Outcome.shown("crawler", bot));
    engine.recordOutcome(Outcome.clicked("crawler", bot));
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.CLICK, "qa", "home.banner", "b").basis(Basis.FORCED).build());

    assertThat(engine.variantStats()).isEmpty();
    assertThat(engine.decide(Visit.builder("shopper").build()).variant("home.hero").counted())
        .isTrue();
  }

  @Test
  void anOptimizedPlacement_learnsOnlyFromItsOwnChoices() {
    StatsStore store = StatsStore.inMemory(100);
    for (String v : new String[] {"deals", "new-in", "popular"}) {
      store.add(
          VariantStats.builder("home.tiles", v, null)
              .basis(Basis.OPTIMIZED)
              .exposures(2_000)
              .clicks(100)
              .build());
    }
    // the holdout's views of the default, which click far better: not the optimizer's evidence
    store.add(
        VariantStats.builder("home.tiles", "popular", null)
            .basis(Basis.HOLDOUT)
            .exposures(20_000)
            .clicks(10_000)
            .build());
    PersonaEngine engine =
        engine()
            .experiments(
                ExperimentConfig.builder()
                    .statsStore(store)
                    .randomSeed(5)
                    .statsRefresh(Duration.ofHours(1))
                    .build())
            .build();
    int popular = 0;
    for (int i = 0; i < 3_000; i++) {
      VariantChoice c = engine.decide(Visit.builder("o-" + i).build()).variant("home.tiles");
      popular += c.variant().equals("popular") ? 1 : 0;
    }

    assertThat(popular / 3_000.0).isCloseTo(1 / 3.0, within(0.04));
  }

  @Test
  void variantEstimates_compareOnlyTheRowsOfOneBasis() {
    StatsStore store = StatsStore.inMemory(100);
    store.add(
        VariantStats.builder("home.banner", "a", null)
            .basis(Basis.EXPERIMENT)
            .experiment("banner-p")
            .exposures(1_000)
            .clicks(50)
            .build());
    store.add(
        VariantStats.builder("home.banner", "b", null)
            .basis(Basis.EXPERIMENT)
            .experiment("banner-p")
            .exposures(1_000)
            .clicks(50)
            .build());
    store.add(
        VariantStats.builder("home.banner", "control", null)
            .basis(Basis.DEFAULT)
            .exposures(1_000)
            .clicks(500)
            .build());
    PersonaEngine engine =
        engine().experiments(ExperimentConfig.builder().statsStore(store).build()).build();

    Map<String, Double> best = new HashMap<>();
    for (VariantEstimate e : engine.variantEstimates(Outcome.Kind.CLICK)) {
      best.put(e.basis() + " " + e.variant(), e.probabilityBest());
    }

    assertThat(best.get("EXPERIMENT a")).isCloseTo(0.5, within(1e-4));
    assertThat(best.get("EXPERIMENT b")).isCloseTo(0.5, within(1e-4));
    assertThat(best.get("DEFAULT control")).isEqualTo(1.0);
  }
}
