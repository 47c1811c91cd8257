package dev.persona.internal.experiment;

import java.util.random.RandomGenerator;

/**
 * Samples of Beta distributions, for Thompson sampling: exact (two Gamma draws) while a shape
 * parameter is below {@value #NORMAL_FROM}; from then on a normal draw with the Beta's mean and
 * variance, which is a third of the cost and which the Beta then resembles closely (its skewness is
 * below 0.3), clamped to [0, 1].
 */
final class Beta {
  /** The smallest shape parameters, both, sampled by the normal approximation. */
  static final double NORMAL_FROM = 50;

  private Beta() {}

  /** Returns a sample of Beta(a, b), for a and b at least 1. */
  static double sample(double a, double b, RandomGenerator random) {
    if (a >= NORMAL_FROM && b >= NORMAL_FROM) {
      double n = a + b;
      double sd = Math.sqrt(a * b / (n * n * (n + 1)));
      return Math.min(1, Math.max(0, a / n + sd * random.nextGaussian()));
    }
    double x = gamma(a, random);
    double y = gamma(b, random);
    return x / (x + y);
  }

  /** Marsaglia and Tsang's method for Gamma(shape, 1), shape at least 1. */
  static double gamma(double shape, RandomGenerator random) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
