package dev.persona.internal.experiment;

/**
 * The chi-square goodness-of-fit test: its statistic for observed counts against expected shares,
 * and its p-value, the upper tail of the chi-square distribution, {@code Q(df / 2, x / 2)} (the
 * regularized upper incomplete gamma function: a series below {@code a + 1}, a continued fraction
 * above, as Numerical Recipes §6.2 gives them, with Lanczos' log-gamma), to about 1e-12 relative
 * precision, also for p-values as small as 1e-300. Stateless; thread-safe.
 */
public final class ChiSquare {
  private static final double EPSILON = 1e-15;
  private static final int MAX_ITERATIONS = 10_000;

  private ChiSquare() {}

  /**
   * Returns the p-value of observed counts against expected shares: the probability of a statistic
   * at least this large if the counts were drawn with those shares.
   *
   * @param observed the counts, not negative
   * @param shares the expected shares, positive (normalized here)
   * @return the p-value; 1 with fewer than two categories or no counts
   */
  public static double pValue(long[] observed, double[] shares) {
    int k = observed.length;
    double total = 0;
    double shareSum = 0;
    for (int i = 0; i < k; i++) {
      total += observed[i];
      shareSum += shares[i];
    }
    if (k < 2 || total <= 0) {
      return 1;
    }
    double x = 0;
    for (int i = 0; i < k; i++) {
      double expected = total * shares[i] / shareSum;
      double d = observed[i] - expected;
      x += d * d / expected;
    }
    return upperTail(x, k - 1);
  }

  /** Returns P(X ≥ x) for X chi-square distributed with {@code df} degrees of freedom. */
  static double upperTail(double x, int df) {
    if (x <= 0) {
      return 1;
    }
    double a = df / 2.0;
    double y = x / 2;
    return y < a + 1 ? 1 - lowerSeries(a, y) : upperFraction(a, y);
  }

  /** The regularized lower incomplete gamma P(a, y), by its series. */
  private static double lowerSeries(double a, double y) {
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      term *= y / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        break;
      }
    }
    return sum * Math.exp(-y + a * Math.log(y) - logGamma(a));
  }

  /** The regularized upper incomplete gamma Q(a, y), by its continued fraction (Lentz). */
  private static double upperFraction(double a, double y) {
    double tiny = 1e-300;
    double b = y + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(-y + a * Math.log(y) - logGamma(a)) * h;
  }

  private static final double[] LANCZOS = {
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

  /** ln Γ(a) for a > 0, by Lanczos' approximation (g = 7, nine terms). */
  static double logGamma(double a) {
    if (a < 0.5) {
      return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
    }
    double x = a - 1;
    double sum = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
