package dev.persona.prediction;

/**
 * The Gaussian hypergeometric function 2F1 by its power series, for 0 ≤ z < 1. Thread-safe: pure
 * functions.
 */
final class Hypergeometric {
  /** The series stops when a term adds less than this to the sum, relatively. */
  static final double PRECISION = 1e-12;

  /** The most terms summed; beyond them the series is taken as not converging (NaN). */
  static final int MAX_TERMS = 100_000;

  private Hypergeometric() {}

  /**
   * Returns 2F1(a, b; c; z) = Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until a term adds less than {@link
   * #PRECISION} of the sum while the terms shrink; NaN when {@code c} is zero or a negative whole
   * number, when z is outside [0, 1), or when {@link #MAX_TERMS} terms do not converge. Terms of
   * the same sign need no care; a series whose first terms change sign (a or b negative) stops only
   * once the terms shrink, so that a small early term does not end it.
   */
  static double f(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1) || (c <= 0 && c == Math.rint(c))) {
      return Double.NaN;
    }
    double term = 1;
    double sum = 1;
    for (int n = 0; n < MAX_TERMS; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      term *= ratio;
      sum += term;
      if (term == 0 || (Math.abs(term) <= PRECISION * Math.abs(sum) && Math.abs(ratio) < 1)) {
        return sum;
      }
    }
    return Double.NaN;
  }
}
