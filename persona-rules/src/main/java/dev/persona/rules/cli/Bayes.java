package dev.persona.rules.cli;

/**
 * The report's statistics: Beta posterior intervals of a rate and the chi-square test of a sample
 * ratio. Stateless; thread-safe.
 */
final class Bayes {
  private static final int MAX_ITERATIONS = 100_000;
  private static final double EPSILON = 1e-13;

  private Bayes() {}

  /**
   * Returns the central 95% interval of the posterior of a rate after {@code successes} in {@code
   * trials}, from a uniform prior: the 2.5% and 97.5% quantiles of Beta(1 + successes, 1 + trials -
   * successes).
   */
  static double[] interval(long successes, long trials) {
    double a = 1 + successes;
    double b = 1 + Math.max(0, trials - successes);
    return new double[] {quantile(0.025, a, b), quantile(0.975, a, b)};
  }

  /** Returns the {@code q} quantile of Beta(a, b), by bisection. */
  static double quantile(double q, double a, double b) {
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (regularizedBeta(mid, a, b) < q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Returns I_x(a, b), the regularized incomplete beta function. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front =
        Math.exp(
            logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  /** The continued fraction of the incomplete beta function (Lentz's method). */
  private static double continuedFraction(double x, double a, double b) {
    double tiny = 1e-300;
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPSILON) {
        break;
      }
    }
    return h;
  }

  /**
   * Returns the p-value of Pearson's chi-square test of observed counts against expected shares
   * (which need not sum to 1: they are normalized); 1 when there are fewer than two categories.
   */
  static double sampleRatioP(long[] observed, double[] shares) {
    long n = 0;
    double total = 0;
    int k = 0;
    for (int i = 0; i < observed.length; i++) {
      if (shares[i] > 0) {
        n += observed[i];
        total += shares[i];
        k++;
      }
    }
    if (k < 2 || n == 0) {
      return 1;
    }
    double chi = 0;
    for (int i = 0; i < observed.length; i++) {
      if (shares[i] > 0) {
        double expected = n * shares[i] / total;
        double diff = observed[i] - expected;
        chi += diff * diff / expected;
      }
    }
    return chiSquareSurvival(chi, k - 1);
  }

  /** Returns P(X ≥ x) for X chi-square with {@code df} degrees of freedom. */
  static double chiSquareSurvival(double x, int df) {
    return x <= 0 ? 1 : upperGamma(df / 2.0, x / 2);
  }

  /** Returns Q(s, x), the regularized upper incomplete gamma function. */
  static double upperGamma(double s, double x) {
    double logFront = -x + s * Math.log(x) - logGamma(s);
    if (x < s + 1) {
      double sum = 1 / s;
      double term = sum;
      for (int n = 1; n < MAX_ITERATIONS; n++) {
        term *= x / (s + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPSILON) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(logFront));
    }
    double tiny = 1e-300;
    double b = x + 1 - s;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - s);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(logFront) * h;
  }

  /** Returns ln Γ(x) for x > 0 (Lanczos, g = 7). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double[] c = {
      0.9999999999998099,
      676.5203681218851,
      -1259.1392167224028,
      771.3234287776531,
      -176.6150291621406,
      12.507343278686905,
      -0.13857109526572012,
      9.984369578019572e-06,
      1.5056327351493116e-07
    };
    double y = x - 1;
    double sum = c[0];
    for (int i = 1; i < 9; i++) {
      sum += c[i] / (y + i);
    }
    double t = y + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
