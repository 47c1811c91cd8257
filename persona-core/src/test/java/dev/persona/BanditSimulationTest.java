package dev.persona;

import static dev.persona.ruleset.Condition.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A seeded simulation of an optimized placement whose best variant changes, driven through the
 * public API ({@code decide}, then {@code recordOutcome} of the exposure and, later, of the click):
 * four segments of shoppers with known click rates on two variants, a clear pair (2% against 6%)
 * and a close pair (5.0% against 5.5%), each once with a switch of the best variant halfway and
 * once without. Clicks are recorded after a random delay (exponential, a mean of {@value
 * #MEAN_DELAY} decisions, so about {@value #MEAN_DELAY}/4 exposures of the segment), as a
 * storefront's beacons arrive.
 *
 * <p>It reports per segment the best variant's share, the regret against the oracle (expected
 * clicks lost against always showing the best variant) and against uniform choice (negative: more
 * clicks than uniform), and the exposures after the switch until the new best variant has 90% of
 * the segment's last 1,000 exposures. It asserts issue 17's bounds for the clear pair.
 *
 * <p>{@code -Dpersona.bandit.sweep=true} runs more half-lives on more seeds, the table the default
 * half-life was chosen from: {@code mvn -B -ntp -pl persona-core test -Dtest=BanditSimulationTest
 * -Dpersona.bandit.sweep=true}.
 */
final class BanditSimulationTest {
  /** Exposures per segment before and after the switch. */
  private static final int HALF = 20_000;

  /** The mean delay of a click, in decisions (of all segments). */
  private static final int MEAN_DELAY = 400;

  /** The window that recovery and shares at a point are judged on, in the segment's exposures. */
  private static final int WINDOW = 1_000;

  private static final String PLACEMENT = "home.tiles";

  /** Click rates of variants {@code x} and {@code y} before and after the switch, per segment. */
  private static final Map<String, double[][]> RATES = new LinkedHashMap<>();

  static {
    RATES.put("clear_switch", new double[][] {{0.06, 0.02}, {0.02, 0.06}});
    RATES.put("clear_steady", new double[][] {{0.02, 0.06}, {0.02, 0.06}});
    RATES.put("close_switch", new double[][] {{0.055, 0.05}, {0.05, 0.055}});
    RATES.put("close_steady", new double[][] {{0.05, 0.055}, {0.05, 0.055}});
  }

  private static final List<String> VARIANTS = List.of("x", "y");

  @Test
  void discountedBandit_followsTheSwitch_andKeepsAStationaryBest() {
    Map<String, Result> run = simulate(Optimization.DEFAULT_HALF_LIFE, 17, MEAN_DELAY);
    Map<String, Result> neverForgets = simulate(0, 17, MEAN_DELAY);
    Map<String, Result> twoInstances = simulate(Optimization.DEFAULT_HALF_LIFE, 17, MEAN_DELAY, 2);
    print("half-life " + Optimization.DEFAULT_HALF_LIFE + " (default)", run);
    print("never forgets (half-life 0)", neverForgets);
    print("half-life " + Optimization.DEFAULT_HALF_LIFE + ", two instances", twoInstances);

    assertThat(twoInstances.get("clear_switch").recovery)
        .as("two instances: exposures until the new best has 90%%")
        .isBetween(1, 10_000);
    assertThat(twoInstances.get("clear_steady").shareAfter)
        .as("two instances: stationary best")
        .isGreaterThanOrEqualTo(0.90);
    Result switched = run.get("clear_switch");
    assertThat(switched.recovery)
        .as("exposures until the new best has 90%% of the last %d", WINDOW)
        .isBetween(1, 10_000);
    assertThat(switched.shareAfter)
        .as("new best's share from 10,000 exposures after the switch")
        .isGreaterThanOrEqualTo(0.90);
    assertThat(switched.shareBefore)
        .as("best's share before the switch")
        .isGreaterThanOrEqualTo(0.90);
    Result steady = run.get("clear_steady");
    assertThat(steady.shareBefore).as("stationary best, first half").isGreaterThanOrEqualTo(0.90);
    assertThat(steady.shareAfter).as("stationary best, second half").isGreaterThanOrEqualTo(0.90);
    assertThat(steady.lowestWindowShare)
        .as("stationary best in its worst window of %d after learning", WINDOW)
        .isGreaterThanOrEqualTo(0.80);
    for (String segment : RATES.keySet()) {
      assertThat(run.get(segment).regretVsUniform)
          .as("%s: more clicks than uniform choice", segment)
          .isNegative();
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "persona.bandit.sweep", matches = "true")
  void sweep() {
    int[] halfLives =
        Arrays.stream(
                System.getProperty("persona.bandit.halfLives", "0,500,1000,2000,3000,5000,10000")
                    .split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int seeds = Integer.getInteger("persona.bandit.seeds", 5);
    int delay = Integer.getInteger("persona.bandit.delay", MEAN_DELAY);
    System.out.printf(Locale.ROOT, "%d seeds, mean delay %d decisions%n", seeds, delay);
    System.out.println(
        "half-life | clear switch: recovery (worst), share after | clear steady: share, worst"
            + " window | close switch: recovery, share after | close steady: share | regret vs"
            + " oracle, all segments");
    for (int h : halfLives) {
      int worstRecovery = 0;
      List<Integer> recoveries = new ArrayList<>();
      List<Integer> closeRecoveries = new ArrayList<>();
      double[] sums = new double[6];
      for (int seed = 1; seed <= seeds; seed++) {
        Map<String, Result> r = simulate(h, seed, delay);
        Result cs = r.get("clear_switch");
        int rec = cs.recovery < 0 ? Integer.MAX_VALUE : cs.recovery;
        worstRecovery = Math.max(worstRecovery, rec);
        recoveries.add(cs.recovery);
        closeRecoveries.add(r.get("close_switch").recovery);
        sums[0] += cs.shareAfter;
        sums[1] += (r.get("clear_steady").shareBefore + r.get("clear_steady").shareAfter) / 2;
        sums[2] += r.get("clear_steady").lowestWindowShare;
        sums[3] += r.get("close_switch").shareAfter;
        sums[4] += (r.get("close_steady").shareBefore + r.get("close_steady").shareAfter) / 2;
        for (Result x : r.values()) {
          sums[5] += x.regretVsOracle;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%9d | %s, %.1f%% | %.1f%%, %.1f%% | %s, %.1f%% | %.1f%% | %.0f%n",
          h,
          recoveries,
          100 * sums[0] / seeds,
          100 * sums[1] / seeds,
          100 * sums[2] / seeds,
          closeRecoveries,
          100 * sums[3] / seeds,
          100 * sums[4] / seeds,
          sums[5] / seeds);
    }
  }

  /** One segment's figures from one run. */
  private static final class Result {
    /** Share of the best variant from {@value #WINDOW} exposures to the switch. */
    double shareBefore;

    /** Share of the (new) best variant from 10,000 exposures after the switch to the end. */
    double shareAfter;

    /** The best variant's lowest share in a window of {@value #WINDOW}, after learning. */
    double lowestWindowShare = 1;

    /** Exposures after the switch until the new best has 90% of the last window; -1 if never. */
    int recovery = -1;

    double regretVsOracle;
    double regretVsUniform;
    double regretVsOracleAfterSwitch;
    double uniformRegretAfterSwitch;
  }

  private record Pending(long due, String session, VariantChoice choice, int recordedOn) {}

  private static RuleSet rules(int halfLife) {
    RuleSet.Builder b =
        RuleSet.builder("bandit-sim")
            .signal(
                new SignalSpec(
                    "segment", SignalKind.EXPLICIT, SignalType.TEXT, "the simulated segment"));
    for (String segment : RATES.keySet()) {
      b.persona(new Persona(segment, segment, 0.5))
          .rule(Rule.builder("is-" + segment).when(eq("segment", segment)).add(segment, 1).build());
    }
    return b.placement(
            Placement.of(
                    PLACEMENT,
                    Variant.builder("x").content("X").build(),
                    Variant.builder("y").asDefault().content("Y").build())
                .optimized(Optimization.DEFAULTS.withHalfLife(halfLife)))
        .build();
  }

  private static Map<String, Result> simulate(int halfLife, long seed, int meanDelay) {
    return simulate(halfLife, seed, meanDelay, 1);
  }

  /**
   * Runs the simulation on {@code instances} engines sharing one stats store: decisions go round
   * the engines, and each click is recorded on the engine after the one that decided, as a
   * storefront's beacon reaches another instance.
   */
  private static Map<String, Result> simulate(
      int halfLife, long seed, int meanDelay, int instances) {
    StatsStore shared = StatsStore.inMemory(1_000);
    PersonaEngine[] engines = new PersonaEngine[instances];
    for (int e = 0; e < instances; e++) {
      engines[e] =
          PersonaEngine.builder()
              .ruleSet(rules(halfLife))
              .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
              .sessions(SessionConfig.inMemory(1_000).build())
              .experiments(
                  ExperimentConfig.builder()
                      .statsStore(shared)
                      .randomSeed(seed + e)
                      .statsRefresh(Duration.ZERO)
                      .build())
              .build();
    }
    SplittableRandom world = new SplittableRandom(seed * 7919 + 1);
    List<String> segments = new ArrayList<>(RATES.keySet());
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, int[]> seen = new LinkedHashMap<>();
    Map<String, boolean[]> bestHits = new LinkedHashMap<>();
    Map<String, int[]> counters = new LinkedHashMap<>();
    for (String s : segments) {
      results.put(s, new Result());
      seen.put(s, new int[1]);
      bestHits.put(s, new boolean[2 * HALF]);
      counters.put(s, new int[4]); // best before, judged before, best after, judged after
    }
    PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> Long.compare(a.due(), b.due()));
    long step = 0;
    int done = 0;
    while (done < segments.size()) {
      step++;
      while (!pending.isEmpty() && pending.peek().due() <= step) {
        Pending p = pending.poll();
        engines[p.recordedOn()].recordOutcome(Outcome.clicked(p.session(), p.choice()));
      }
      String segment = segments.get(world.nextInt(segments.size()));
      int[] n = seen.get(segment);
      if (n[0] >= 2 * HALF) {
        if (n[0]++ == 2 * HALF) {
          done++;
        }
        continue;
      }
      int i = n[0]++;
      String session = "s-" + step;
      PersonaEngine engine = engines[(int) (step % instances)];
      Decision d = engine.decide(Visit.builder(session).declared("segment", segment).build());
      VariantChoice c = d.variant(PLACEMENT);
      if (c.basis() != Basis.OPTIMIZED || !segment.equals(c.segment())) {
        throw new AssertionError("not optimized for " + segment + ": " + c);
      }
      engine.recordOutcome(Outcome.shown(session, c));
      double[] rates = RATES.get(segment)[i < HALF ? 0 : 1];
      int chosen = VARIANTS.indexOf(c.variant());
      int best = rates[0] >= rates[1] ? 0 : 1;
      if (world.nextDouble() < rates[chosen]) {
        long delay = (long) Math.ceil(-meanDelay * Math.log(1 - world.nextDouble()));
        pending.add(new Pending(step + delay, session, c, (int) ((step + 1) % instances)));
      }
      Result r = results.get(segment);
      double mean = (rates[0] + rates[1]) / 2;
      r.regretVsOracle += rates[best] - rates[chosen];
      r.regretVsUniform += mean - rates[chosen];
      if (i >= HALF) {
        r.regretVsOracleAfterSwitch += rates[best] - rates[chosen];
        r.uniformRegretAfterSwitch += rates[best] - mean;
      }
      boolean hit = chosen == best;
      bestHits.get(segment)[i] = hit;
      int[] k = counters.get(segment);
      if (i >= WINDOW && i < HALF) {
        k[1]++;
        k[0] += hit ? 1 : 0;
      } else if (i >= HALF + 10_000) {
        k[3]++;
        k[2] += hit ? 1 : 0;
      }
    }
    for (String s : segments) {
      Result r = results.get(s);
      int[] k = counters.get(s);
      r.shareBefore = k[0] / (double) k[1];
      r.shareAfter = k[2] / (double) k[3];
      boolean[] hits = bestHits.get(s);
      int inWindow = 0;
      for (int i = 0; i < 2 * HALF; i++) {
        inWindow += hits[i] ? 1 : 0;
        if (i >= WINDOW) {
          inWindow -= hits[i - WINDOW] ? 1 : 0;
        }
        double share = inWindow / (double) WINDOW;
        boolean learned = (i >= 2 * WINDOW && i < HALF) || i >= HALF + 10_000;
        if (learned) {
          r.lowestWindowShare = Math.min(r.lowestWindowShare, share);
        }
        if (i >= HALF + WINDOW - 1 && r.recovery < 0 && share >= 0.9) {
          r.recovery = i + 1 - HALF;
        }
      }
    }
    return results;
  }

  private static void print(String title, Map<String, Result> results) {
    System.out.println("bandit simulation, " + title + ":");
    results.forEach(
        (segment, r) ->
            System.out.printf(
                Locale.ROOT,
                "  %-12s best share %5.1f%% before the switch, %5.1f%% from 10,000 after;"
                    + " recovery %s; regret vs oracle %6.1f clicks (after the switch %6.1f,"
                    + " uniform %6.1f), vs uniform %+7.1f%n",
                segment,
                100 * r.shareBefore,
                100 * r.shareAfter,
                !segment.endsWith("switch")
                    ? "-"
                    : r.recovery < 0 ? "not within 20,000" : r.recovery + " exposures",
                r.regretVsOracle,
                r.regretVsOracleAfterSwitch,
                r.uniformRegretAfterSwitch,
                r.regretVsUniform));
  }
}
