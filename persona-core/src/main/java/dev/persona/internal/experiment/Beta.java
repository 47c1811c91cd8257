package dev.persona.internal.experiment;

import java.util.random.RandomGenerator;

/** Samples of Beta distributions, for Thompson sampling. */
final class Beta {
  private Beta() {}

  /** Returns a sample of Beta(a, b), for a and b at least 1. */
  static double sample(double a, double b, RandomGenerator random) {
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
