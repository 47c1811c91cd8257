package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The estimators on a simulation whose truth is known exactly: four contexts in two cells (as two
 * personas), three variants, a stochastic logging policy with known propensities, and a
 * deterministic candidate that logging chose for each context with probability 0.1 to 0.7. A
 * click's probability is {@code q(x, a)}; an add to cart half of it, a purchase a quarter, worth 50
 * each.
 */
final class OffPolicySimulationTest {
  private static final double[] CONTEXT = {0.4, 0.3, 0.2, 0.1};
  private static final double[][] CLICK = {
    {0.10, 0.05, 0.02}, {0.03, 0.08, 0.12}, {0.20, 0.04, 0.06}, {0.05, 0.15, 0.10}
  };
  private static final double[][] LOGGING = {
    {0.7, 0.2, 0.1}, {0.1, 0.7, 0.2}, {0.2, 0.1, 0.7}, {1 / 3.0, 1 / 3.0, 1 / 3.0}
  };
  private static final double[][] CANDIDATE = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}};

  /** The candidate's exact value for each metric. */
  private static double[] truth(double[][] policy) {
    double click = 0;
    for (int x = 0; x < CONTEXT.length; x++) {
      for (int a = 0; a < 3; a++) {
        click += CONTEXT[x] * policy[x][a] * CLICK[x][a];
      }
    }
    return new double[] {click, click / 2, click / 4, 50 * click / 4};
  }

  private static OffPolicy.Summary simulate(long seed, int n, double[][] candidate) {
    SplittableRandom random = new SplittableRandom(seed);
    OffPolicy.Cell[] cells = {new OffPolicy.Cell(3), new OffPolicy.Cell(3)};
    double[] rewards = new double[4];
    for (int i = 0; i < n; i++) {
      int x = pick(random, CONTEXT);
      int a = pick(random, LOGGING[x]);
      double u = random.nextDouble();
      double q = CLICK[x][a];
      rewards[0] = u < q ? 1 : 0;
      rewards[1] = u < q / 2 ? 1 : 0;
      rewards[2] = u < q / 4 ? 1 : 0;
      rewards[3] = 50 * rewards[2];
      cells[x / 2].add(a, LOGGING[x][a], candidate[x], 0, rewards);
    }
    OffPolicy.Summary s = new OffPolicy.Summary();
    for (OffPolicy.Cell c : cells) {
      s.add(c);
    }
    return s;
  }

  private static int pick(SplittableRandom random, double[] p) {
    double u = random.nextDouble();
    for (int i = 0; i < p.length - 1; i++) {
      u -= p[i];
      if (u < 0) {
        return i;
      }
    }
    return p.length - 1;
  }

  @Test
  void theIntervalsCoverTheTruth_in90PercentOf50Seeds() {
    double[] truth = truth(CANDIDATE);
    int[][] covered = new int[3][4];
    for (long seed = 1; seed <= 50; seed++) {
      OffPolicy.Summary s = simulate(seed, 4_000, CANDIDATE);
      for (int k = 0; k < 4; k++) {
        covered[0][k] += s.ips(k).covers(truth[k]) ? 1 : 0;
        covered[1][k] += s.snips(k).covers(truth[k]) ? 1 : 0;
        covered[2][k] += s.dr(k).covers(truth[k]) ? 1 : 0;
      }
    }
    for (int e = 0; e < 3; e++) {
      for (int k = 0; k < 4; k++) {
        assertThat(covered[e][k])
            .as("seeds of 50 whose %s interval of %s covers the truth", estimator(e), k)
            .isGreaterThanOrEqualTo(45);
      }
    }
  }

  @Test
  void theErrorHalves_whenTheLogIsFourTimesLonger() {
    double truth = truth(CANDIDATE)[0];
    for (int e = 0; e < 3; e++) {
      double small = rmse(e, 2_000, truth);
      double large = rmse(e, 8_000, truth);
      assertThat(large / small)
          .as("%s: RMSE at 8,000 units (%s) over RMSE at 2,000 (%s)", estimator(e), large, small)
          .isBetween(0.35, 0.7);
    }
  }

  private static double rmse(int estimator, int n, double truth) {
    double sq = 0;
    for (long seed = 1; seed <= 50; seed++) {
      OffPolicy.Summary s = simulate(seed * 7919 + n, n, CANDIDATE);
      OffPolicy.Estimate est = estimator == 0 ? s.ips(0) : estimator == 1 ? s.snips(0) : s.dr(0);
      sq += (est.value() - truth) * (est.value() - truth);
    }
    return Math.sqrt(sq / 50);
  }

  @Test
  void aCandidateThatIsTheLoggingPolicy_estimatesTheLoggedRate() {
    OffPolicy.Summary s = simulate(42, 5_000, LOGGING);
    for (int k = 0; k < 4; k++) {
      double logged = s.logged(k).value();
      assertThat(s.ips(k).value()).isCloseTo(logged, within(1e-12));
      assertThat(s.snips(k).value()).isCloseTo(logged, within(1e-12));
      assertThat(s.dr(k).value()).isCloseTo(logged, within(s.dr(k).half() / 4));
    }
    assertThat(s.effectiveSampleSize()).isCloseTo(5_000, within(1e-6));
    // 1 - E[pi(a)] over the logged a: 1 - (0.9 x 0.54 + 0.1 / 3)
    assertThat(s.changedShare()).isCloseTo(0.481, within(0.01));
  }

  @Test
  void aDeterministicCandidate_changesTheShareOfUnitsLoggingChoseOtherwise() {
    OffPolicy.Summary s = simulate(7, 20_000, CANDIDATE);
    // logging chose the candidate's variant with 0.2, 0.2, 0.2, 1/3 in the four contexts
    double agree = 0.4 * 0.2 + 0.3 * 0.2 + 0.2 * 0.2 + 0.1 / 3;
    assertThat(s.changedShare()).isCloseTo(1 - agree, within(0.01));
    // E[w] = 1 and E[w^2] = sum of P(x) / p(x) = 4.8
    assertThat(s.effectiveSampleSize()).isCloseTo(20_000 / 4.8, withinPercentage(5));
  }

  private static String estimator(int e) {
    return e == 0 ? "IPS" : e == 1 ? "SNIPS" : "DR";
  }
}
