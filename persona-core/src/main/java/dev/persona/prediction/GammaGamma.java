package dev.persona.prediction;

/**
 * The Gamma-Gamma model of order value (Fader, Hardie and Lee, "RFM and CLV: Using Iso-Value Curves
 * for Customer Base Analysis", Journal of Marketing Research 42(4), 2005; Fader and Hardie, "The
 * Gamma-Gamma Model of Monetary Value", 2013): a customer's order values are Gamma(p, ν) around the
 * customer's own mean, and ν is Gamma(q, γ) across customers. Value and frequency are assumed
 * independent, which is what lets {@link BgNbd}'s expected orders times the expected value be a
 * lifetime value.
 *
 * <pre>{@code
 * GammaGamma model = new GammaGamma(6.25, 3.74, 15.44); // CDNOW
 * double value = model.expectedOrderValue(2, 35.00);  // 2 repeat orders, 35.00 on average
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param p shape of an order's value around the customer's mean, positive
 * @param q shape of the customers' scale parameters, greater than 1 so that the population's mean
 *     order value is finite
 * @param gamma scale of the customers' scale parameters, in money, positive
 * @since 0.5.0
 */
public record GammaGamma(double p, double q, double gamma) {
  /**
   * Checks the parameters.
   *
   * @throws IllegalArgumentException if one is not a positive, finite number, or q is not greater
   *     than 1
   */
  public GammaGamma {
    BgNbd.positive("p", p);
    BgNbd.positive("q", q);
    BgNbd.positive("gamma", gamma);
    if (!(q > 1)) {
      throw new IllegalArgumentException(
          "q must be greater than 1, or the mean order value is infinite: " + q);
    }
  }

  /**
   * Returns the population's mean order value, γp / (q − 1): what a customer without repeat orders
   * is expected to spend.
   *
   * @return the mean order value
   */
  public double meanOrderValue() {
    return gamma * p / (q - 1);
  }

  /**
   * Returns the expected value of a customer's orders given x repeat orders of mean value m̄
   * (equation 5 of Fader and Hardie's note): (γ + m̄x)p / (px + q − 1), a weighted average of the
   * population's mean and the customer's own that leans to the customer's the more orders there
   * are.
   *
   * @param x repeat orders whose values are averaged, at least 0
   * @param meanValue their mean value, at least 0; ignored when x is 0
   * @return the expected order value; NaN when x or the mean is negative or not finite
   */
  public double expectedOrderValue(double x, double meanValue) {
    if (!(x >= 0) || !(meanValue >= 0) || x == Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    if (x == 0) {
      return meanOrderValue();
    }
    if (meanValue == Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    return (gamma + meanValue * x) * p / (p * x + q - 1);
  }
}
