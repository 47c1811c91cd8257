package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A seeded simulation of an optimized placement: two segments of shoppers whose click rates on
 * three variants are known, and differ, so that each segment has its own best variant.
 */
final class OptimizedPlacementTest {
  /** Exposures per segment before the share of the best variant is judged. */
  private static final int LEARNING = 3_000;

  private static final int JUDGED = 2_000;

  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                      "home.tiles",
                      Variant.builder("deals").content("Deals").build(),
                      Variant.builder("new-in").content("New in").build(),
                      Variant.builder("popular").asDefault().content("Popular").build())
                  .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.05)))
          .build();

  private static final Map<String, Map<String, Double>> CLICK_RATES =
      Map.of(
          "mobile_shopper", Map.of("deals", 0.10, "new-in", 0.04, "popular", 0.02),
          "gift_giver", Map.of("deals", 0.03, "new-in", 0.12, "popular", 0.05));

  private static final Map<String, String> BEST =
      Map.of("mobile_shopper", "deals", "gift_giver", "new-in");

  private static final Map<String, IntFunction<Visit>> SHOPPERS =
      Map.of(
          "mobile_shopper",
          i -> Visit.builder("m-" + i).header("User-Agent", SignalKindsTest.iphone()).build(),
          "gift_giver",
          i -> Visit.builder("g-" + i).declared("shopping_for_gift", true).build());

  @Test
  void banditSendsAtLeast90PercentToEachSegmentsBest_afterLearning() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RULES)
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .sessions(SessionConfig.inMemory(1_000).build())
            .experiments(
                ExperimentConfig.builder().randomSeed(7).statsRefresh(Duration.ZERO).build())
            .build();
    SplittableRandom shopper = new SplittableRandom(11);
    Map<String, Integer> best = new HashMap<>();
    Map<String, Double> regret = new HashMap<>();

    for (int i = 0; i < LEARNING + JUDGED; i++) {
      for (String segment : List.of("mobile_shopper", "gift_giver")) {
        String session = segment.charAt(0) + "-" + i;
        Decision d = engine.decide(SHOPPERS.get(segment).apply(i));
        VariantChoice c = d.variant("home.tiles");
        assertThat(c.basis()).isEqualTo(Basis.OPTIMIZED);
        assertThat(c.segment()).isEqualTo(segment);

        engine.recordOutcome(Outcome.shown(session, c));
        Map<String, Double> rates = CLICK_RATES.get(segment);
        if (shopper.nextDouble() < rates.get(c.variant())) {
          engine.recordOutcome(Outcome.clicked(session, c));
        }
        regret.merge(segment, rates.get(BEST.get(segment)) - rates.get(c.variant()), Double::sum);
        if (i >= LEARNING && c.variant().equals(BEST.get(segment))) {
          best.merge(segment, 1, Integer::sum);
        }
      }
    }

    for (String segment : BEST.keySet()) {
      double share = best.getOrDefault(segment, 0) / (double) JUDGED;
      double uniformRegret = uniformRegret(segment) * (LEARNING + JUDGED);
      System.out.printf(
          "bandit %s: %.1f%% of the last %d exposures to %s; regret %.1f clicks over %d exposures"
              + " (uniform choice: %.1f)%n",
          segment,
          100 * share,
          JUDGED,
          BEST.get(segment),
          regret.get(segment),
          LEARNING + JUDGED,
          uniformRegret);
      assertThat(share).as(segment).isGreaterThanOrEqualTo(0.90);
      assertThat(regret.get(segment)).as(segment).isLessThan(uniformRegret / 4);
    }
    assertThat(engine.variantStats())
        .filteredOn(s -> s.placement().equals("home.tiles"))
        .extracting(VariantStats::segment)
        .containsOnly("mobile_shopper", "gift_giver");
  }

  @Test
  void duringWarmUp_everyEligibleVariantIsTried() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RULES)
            .experiments(
                ExperimentConfig.builder().randomSeed(3).statsRefresh(Duration.ZERO).build())
            .build();
    Map<String, Integer> shown = new HashMap<>();

    for (int i = 0; i < 300; i++) {
      String v = engine.decide(SHOPPERS.get("gift_giver").apply(i)).variant("home.tiles").variant();
      shown.merge(v, 1, Integer::sum);
    }

    assertThat(shown).containsOnlyKeys("deals", "new-in", "popular");
    assertThat(shown.values()).allSatisfy(n -> assertThat(n).isGreaterThan(60));
  }

  @Test
  void optimizedChoice_isExplained() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(RULES).build();

    Decision d = engine.decide(SHOPPERS.get("gift_giver").apply(1));

    String v = d.variant("home.tiles").variant();
    assertThat(d.reasons())
        .anyMatch(
            r ->
                r.text()
                    .equals(
                        "placement home.tiles: variant "
                            + v
                            + ", sampled by its clicks per exposure for gift_giver"));
  }

  @Test
  void withAHalfLife_outcomesCarryDiscountedCounts_atTheSegmentsExposures() {
    PersonaEngine engine = engine(RULES);
    for (int i = 0; i < 300; i++) {
      VariantChoice c = engine.decide(SHOPPERS.get("gift_giver").apply(i)).variant("home.tiles");
      engine.recordOutcome(Outcome.shown("g-" + i, c));
      if (i % 10 == 0) {
        engine.recordOutcome(Outcome.clicked("g-" + i, c));
      }
    }

    List<VariantStats> stats = engine.variantStats();
    assertThat(stats).hasSize(3);
    // each is recorded at the segment's exposures before it: the last exposure at 299
    assertThat(stats.stream().mapToLong(s -> s.discounted().at()).max()).hasValue(299);
    double discounted = 0;
    for (VariantStats s : stats) {
      DiscountedCounts d = s.discounted();
      assertThat(d.halfLife()).isEqualTo(Optimization.DEFAULT_HALF_LIFE);
      assertThat(d.exposures())
          .isLessThan((double) s.exposures())
          .isGreaterThan(0.85 * (double) s.exposures());
      discounted += d.decayedTo(299).exposures();
    }
    // at point 299, the exposure recorded at point k weighs 2^((k - 299) / 2,000)
    double expected = 0;
    for (int k = 0; k < 300; k++) {
      expected += Math.pow(2, (k - 299) / 2_000.0);
    }
    assertThat(discounted).isCloseTo(expected, within(1e-9));
  }

  @Test
  void neverForgetting_keepsNoDiscountedCounts_andAReloadChangesTheHalfLife() {
    PersonaEngine engine = engine(withHalfLife(0));
    record(engine, 10);
    assertThat(engine.variantStats()).allSatisfy(s -> assertThat(s.discounted()).isNull());

    engine.reload(withHalfLife(500));
    record(engine, 10);

    assertThat(engine.variantStats())
        .allSatisfy(s -> assertThat(s.discounted().halfLife()).isEqualTo(500));
  }

  @Test
  void aVariantThatDidBadlyLongAgo_isTriedAgain_unlessThePlacementNeverForgets() {
    // deals: 2,000 exposures without a click; since, 12,000 exposures of the others at 5%
    Map<String, Integer> discounted = shareAfterHistory(RULES);
    Map<String, Integer> forever = shareAfterHistory(withHalfLife(0));

    // six half-lives on, deals' evidence is worth ~20 exposures: Beta(1, 21) beats 5% a third
    // of the time
    assertThat(discounted.getOrDefault("deals", 0)).isGreaterThan(300);
    // kept whole, 2,000 exposures without a click leave it only the exploration share
    assertThat(forever.getOrDefault("deals", 0)).isLessThan(100);
  }

  @Test
  void aStoreThatKeepsNoDiscountedCounts_costsOnlyTheDiscounting() {
    StatsStore memory = StatsStore.inMemory(100);
    StatsStore plain =
        new StatsStore() {
          @Override
          public void add(VariantStats increment) {
            memory.add(
                VariantStats.builder(
                        increment.placement(), increment.variant(), increment.segment())
                    .basis(increment.basis())
                    .exposures(increment.exposures())
                    .clicks(increment.clicks())
                    .build());
          }

          @Override
          public List<VariantStats> snapshot() {
            return memory.snapshot();
          }
        };
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RULES)
            .experiments(
                ExperimentConfig.builder()
                    .statsStore(plain)
                    .randomSeed(5)
                    .statsRefresh(Duration.ZERO)
                    .build())
            .build();

    // chosen by whole counts, as a placement that never forgets
    assertThat(shareAfterHistory(engine).getOrDefault("deals", 0)).isLessThan(100);
    assertThat(engine.variantStats()).allSatisfy(v -> assertThat(v.discounted()).isNull());
  }

  private static Map<String, Integer> shareAfterHistory(RuleSet rules) {
    return shareAfterHistory(engine(rules));
  }

  private static Map<String, Integer> shareAfterHistory(PersonaEngine engine) {
    for (int i = 0; i < 2_000; i++) {
      engine.recordOutcome(outcome("deals", false));
    }
    for (int i = 0; i < 12_000; i++) {
      String v = i % 2 == 0 ? "new-in" : "popular";
      engine.recordOutcome(outcome(v, false));
      if (i % 40 < 2) {
        engine.recordOutcome(outcome(v, true));
      }
    }
    Map<String, Integer> shown = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      shown.merge(
          engine.decide(SHOPPERS.get("gift_giver").apply(i)).variant("home.tiles").variant(),
          1,
          Integer::sum);
    }
    return shown;
  }

  private static Outcome outcome(String variant, boolean click) {
    return Outcome.builder(
            click ? Outcome.Kind.CLICK : Outcome.Kind.EXPOSURE, "s", "home.tiles", variant)
        .segment("gift_giver")
        .basis(VariantChoice.Basis.OPTIMIZED)
        .build();
  }

  private static RuleSet withHalfLife(int halfLife) {
    return RULES.toBuilder()
        .placement(
            RULES
                .placements()
                .get(RULES.placements().size() - 1)
                .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.05, halfLife)))
        .build();
  }

  private static PersonaEngine engine(RuleSet rules) {
    return PersonaEngine.builder()
        .ruleSet(rules)
        .experiments(ExperimentConfig.builder().randomSeed(5).statsRefresh(Duration.ZERO).build())
        .build();
  }

  private static void record(PersonaEngine engine, int n) {
    for (int i = 0; i < n; i++) {
      VariantChoice c = engine.decide(SHOPPERS.get("gift_giver").apply(i)).variant("home.tiles");
      engine.recordOutcome(Outcome.shown("g-" + i, c));
    }
  }

  private static double uniformRegret(String segment) {
    Map<String, Double> rates = CLICK_RATES.get(segment);
    double bestRate = rates.get(BEST.get(segment));
    return rates.values().stream().mapToDouble(r -> bestRate - r).average().orElseThrow();
  }
}
