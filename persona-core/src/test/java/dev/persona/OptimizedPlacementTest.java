package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
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

  private static double uniformRegret(String segment) {
    Map<String, Double> rates = CLICK_RATES.get(segment);
    double bestRate = rates.get(BEST.get(segment));
    return rates.values().stream().mapToDouble(r -> bestRate - r).average().orElseThrow();
  }
}
