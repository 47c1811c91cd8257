package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The numerical integration against closed forms: quantiles of Beta(a, 1), Beta(1, b) and the
 * uniform, and, for two variants, the probability to be best and the expected loss from Evan
 * Miller's exact sum for Beta posteriors with integer parameters. A seeded Monte Carlo checks three
 * variants.
 */
final class PosteriorsTest {
  /** The precision VariantEstimate's Javadoc states. */
  private static final double PRECISION = 1e-5;

  @Test
  void intervals_matchClosedForms() {
    Posteriors.Result uniform = Posteriors.of(new double[] {1}, new double[] {1}, 0.95);
    assertThat(uniform.lower[0]).isCloseTo(0.025, within(PRECISION));
    assertThat(uniform.upper[0]).isCloseTo(0.975, within(PRECISION));

    // Beta(a, 1): F(x) = x^a; Beta(1, b): F(x) = 1 - (1 - x)^b
    for (double a : new double[] {2, 51, 3_001}) {
      Posteriors.Result r = Posteriors.of(new double[] {a}, new double[] {1}, 0.95);
      assertThat(r.lower[0]).as("a=%s", a).isCloseTo(Math.pow(0.025, 1 / a), within(PRECISION));
      assertThat(r.upper[0]).as("a=%s", a).isCloseTo(Math.pow(0.975, 1 / a), within(PRECISION));
    }
    for (double b : new double[] {2, 101, 20_001}) {
      Posteriors.Result r = Posteriors.of(new double[] {1}, new double[] {b}, 0.95);
      assertThat(r.lower[0]).as("b=%s", b).isCloseTo(1 - Math.pow(0.975, 1 / b), within(PRECISION));
      assertThat(r.upper[0]).as("b=%s", b).isCloseTo(1 - Math.pow(0.025, 1 / b), within(PRECISION));
      assertThat(r.probabilityBest[0]).isEqualTo(1);
      assertThat(r.expectedLoss[0]).isZero();
    }
  }

  @Test
  void twoVariants_matchTheExactSums() {
    long[][] cases = {
      // conversions and exposures of A, then of B
      {20, 1_000, 35, 1_000},
      {400, 10_000, 430, 10_000},
      {100, 2_000, 110, 2_000},
      {0, 0, 1, 3},
      {3, 40, 3, 40},
      {60, 1_000, 2_000, 100_000},
    };
    for (long[] c : cases) {
      int aA = (int) (1 + c[0]);
      int bA = (int) (1 + c[1] - c[0]);
      int aB = (int) (1 + c[2]);
      int bB = (int) (1 + c[3] - c[2]);
      Posteriors.Result r = Posteriors.of(new double[] {aA, aB}, new double[] {bA, bB}, 0.95);

      double bBest = greater(aA, bA, aB, bB);
      double meanA = aA / (double) (aA + bA);
      double meanB = aB / (double) (aB + bB);
      // E[(B - A)+] = mean_B P(B' > A) - mean_A P(B > A'), B' ~ Beta(aB + 1, bB), A' likewise
      double lossA = meanB * greater(aA, bA, aB + 1, bB) - meanA * greater(aA + 1, bA, aB, bB);
      double lossB = meanA * greater(aB, bB, aA + 1, bA) - meanB * greater(aB + 1, bB, aA, bA);
      String label = Arrays.toString(c);
      assertThat(r.probabilityBest[1]).as(label).isCloseTo(bBest, within(PRECISION));
      assertThat(r.probabilityBest[0]).as(label).isCloseTo(1 - bBest, within(PRECISION));
      assertThat(r.expectedLoss[0]).as(label).isCloseTo(lossA, within(PRECISION));
      assertThat(r.expectedLoss[1]).as(label).isCloseTo(lossB, within(PRECISION));
    }
  }

  @Test
  void threeVariants_agreeWithASeededMonteCarlo() {
    double[] a = {1 + 50, 1 + 58, 1 + 44};
    double[] b = {1 + 950, 1 + 942, 1 + 956};
    Posteriors.Result r = Posteriors.of(a, b, 0.95);

    int draws = 1_000_000;
    SplittableRandom random = new SplittableRandom(42);
    int[] wins = new int[3];
    double[] lost = new double[3];
    for (int n = 0; n < draws; n++) {
      double[] x = new double[3];
      int best = 0;
      for (int i = 0; i < 3; i++) {
        x[i] = Beta.sample(a[i], b[i], random);
        if (x[i] > x[best]) {
          best = i;
        }
      }
      wins[best]++;
      for (int i = 0; i < 3; i++) {
        lost[i] += x[best] - x[i];
      }
    }
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      double p = wins[i] / (double) draws;
      // five standard errors of the Monte Carlo, which is far less precise than the integral
      assertThat(r.probabilityBest[i])
          .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / draws) + 1e-6));
      assertThat(r.expectedLoss[i]).isCloseTo(lost[i] / draws, within(1e-4));
      sum += r.probabilityBest[i];
    }
    assertThat(sum).isCloseTo(1, within(1e-12));
  }

  /** P(Y > X) for X ~ Beta(aX, bX), Y ~ Beta(aY, bY), integer aY: Evan Miller's sum. */
  private static double greater(int aX, int bX, int aY, int bY) {
    double total = 0;
    for (int i = 0; i < aY; i++) {
      total +=
          Math.exp(
              logBeta(aX + i, bX + bY) - Math.log(bY + i) - logBeta(1 + i, bY) - logBeta(aX, bX));
    }
    return total;
  }

  private static double logBeta(int x, int y) {
    return logGamma(x) + logGamma(y) - logGamma(x + y);
  }

  /** ln (n - 1)! for n up to 200,000: ln Γ(n) for whole n. */
  private static final double[] LOG_FACTORIAL = new double[200_001];

  static {
    for (int k = 2; k < LOG_FACTORIAL.length; k++) {
      LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }
  }

  private static double logGamma(int n) {
    return LOG_FACTORIAL[n - 1];
  }
}
