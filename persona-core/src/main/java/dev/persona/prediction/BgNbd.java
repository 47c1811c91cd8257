package dev.persona.prediction;

/**
 * The BG/NBD model of repeat buying (Fader, Hardie and Lee, "Counting Your Customers the Easy Way:
 * An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 2005): while active, a customer
 * orders at a Poisson rate λ, Gamma(r, α) across customers, and after each order drops out with
 * probability p, Beta(a, b) across customers.
 *
 * <p>A customer's history is (x, tₓ, T) in the model's time unit (the unit its parameters were
 * fitted in, such as weeks): x repeat orders (orders after the first), tₓ the time from the first
 * order to the latest, and T the time from the first order to now.
 *
 * <pre>{@code
 * BgNbd model = new BgNbd(0.243, 4.414, 0.793, 2.426); // CDNOW, in weeks
 * double alive = model.probabilityAlive(2, 30.43, 38.86);
 * double next39 = model.expectedOrders(39, 2, 30.43, 38.86); // about 1.226
 * }</pre>
 *
 * <p>Immutable and thread-safe. Computes nothing in advance and keeps nothing per customer.
 *
 * @param r shape of the order rates' Gamma distribution, positive
 * @param alpha scale of the order rates' Gamma distribution, in the model's time unit, positive
 * @param a first shape of the drop-out probabilities' Beta distribution, positive
 * @param b second shape of the drop-out probabilities' Beta distribution, positive
 * @since 0.5.0
 */
public record BgNbd(double r, double alpha, double a, double b) {
  /**
   * How far from 1 {@code a} is taken in {@link #expectedOrders}, whose formula divides by a − 1;
   * the expectation is continuous in {@code a}.
   */
  private static final double NEAR_ONE = 1e-7;

  /**
   * Checks the parameters.
   *
   * @throws IllegalArgumentException if one is not a positive, finite number
   */
  public BgNbd {
    positive("r", r);
    positive("alpha", alpha);
    positive("a", a);
    positive("b", b);
  }

  /**
   * Returns the probability that a customer with this history is still active (Fader, Hardie and
   * Lee, "Computing P(alive) using the BG/NBD model", 2008): 1 for a customer without repeat
   * orders, whom the model lets drop out only after an order.
   *
   * @param x repeat orders, at least 0
   * @param tx time from the first order to the latest, in [0, T]
   * @param t time from the first order to now
   * @return the probability, in (0, 1]; NaN for a history that is not one (negative, or tₓ after T)
   */
  public double probabilityAlive(double x, double tx, double t) {
    if (!isHistory(x, tx, t)) {
      return Double.NaN;
    }
    return 1 / dropOutOdds(x, tx, t);
  }

  /**
   * Returns the expected number of orders in the next {@code horizon} time units of a customer with
   * this history: equation (10) of the paper, with its 2F1(r+x, b+x; a+b+x−1; z) taken through
   * Euler's transformation to 2F1(a+b−1−r, a−1; a+b+x−1; z), z = horizon / (α + T + horizon), whose
   * series converges faster the more orders the customer made.
   *
   * @param horizon how far ahead, in the model's time unit, at least 0
   * @param x repeat orders, at least 0
   * @param tx time from the first order to the latest, in [0, T]
   * @param t time from the first order to now
   * @return the expected orders; NaN for a history that is not one or a negative horizon
   */
  public double expectedOrders(double horizon, double x, double tx, double t) {
    if (!isHistory(x, tx, t) || !(horizon >= 0) || horizon == Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    if (horizon == 0) {
      return 0;
    }
    double am1 = a - 1;
    if (Math.abs(am1) < NEAR_ONE) {
      am1 = am1 < 0 ? -NEAR_ONE : NEAR_ONE;
    }
    double c = am1 + b + x;
    double rest = alpha + t;
    double z = horizon / (rest + horizon);
    double f = Hypergeometric.f(am1 + b - r, am1, c, z);
    double kept = Math.pow(rest / (rest + horizon), am1) * f;
    return c / am1 * (1 - kept) / dropOutOdds(x, tx, t);
  }

  /**
   * Returns 1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x), the denominator of equation (10) and the
   * reciprocal of P(alive).
   */
  double dropOutOdds(double x, double tx, double t) {
    if (x == 0) {
      return 1;
    }
    return 1 + a / (b + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x);
  }

  /** Returns whether (x, tₓ, T) is a history: finite, not negative, with tₓ within T. */
  static boolean isHistory(double x, double tx, double t) {
    return x >= 0 && tx >= 0 && tx <= t && t < Double.POSITIVE_INFINITY;
  }

  static void positive(String name, double v) {
    if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " must be a positive, finite number: " + v);
    }
  }
}
