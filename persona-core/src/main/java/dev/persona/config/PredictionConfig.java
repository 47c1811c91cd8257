package dev.persona.config;

import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fitted models behind the predicted signals ({@code p_alive}, {@code expected_orders}, {@code
 * expected_order_value}, {@code predicted_clv}), the time unit they were fitted in, and how far
 * ahead they look. Without one, those signals are absent. {@code persona fit-clv} fits the
 * parameters from an order history and prints them; a rule file's {@code "models"} carries them
 * too, and then wins over the engine builder's.
 *
 * <pre>{@code
 * PredictionConfig prediction = PredictionConfig.builder()
 *     .bgNbd(new BgNbd(0.243, 4.414, 0.793, 2.426))
 *     .gammaGamma(new GammaGamma(6.25, 3.74, 15.44))
 *     .period(Duration.ofDays(7))           // the parameters were fitted in weeks
 *     .horizon(Duration.ofDays(90))         // expected_orders: the next 90 days
 *     .clvHorizon(Duration.ofDays(365))     // predicted_clv: the next year
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.5.0
 */
public final class PredictionConfig {
  /** The longest period, horizon or lifetime-value horizon: ten years. */
  private static final Duration LONGEST = Duration.ofDays(3653);

  private final @Nullable BgNbd bgNbd;
  private final @Nullable GammaGamma gammaGamma;
  private final Duration period;
  private final Duration horizon;
  private final Duration clvHorizon;
  private final double annualDiscountRate;

  private PredictionConfig(Builder b) {
    this.bgNbd = b.bgNbd;
    this.gammaGamma = b.gammaGamma;
    this.period = b.period;
    this.horizon = b.horizon;
    this.clvHorizon = b.clvHorizon;
    this.annualDiscountRate = b.annualDiscountRate;
  }

  /**
   * Returns a builder: no models, a period of one day, a horizon of 90 days, a lifetime-value
   * horizon of 365 days, no discounting.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the model of whether a customer is active and how often they order.
   *
   * @return the BG/NBD model, or null when {@code p_alive}, {@code expected_orders} and {@code
   *     predicted_clv} are not predicted
   */
  public @Nullable BgNbd bgNbd() {
    return bgNbd;
  }

  /**
   * Returns the model of what an order is worth.
   *
   * @return the Gamma-Gamma model, or null when {@code expected_order_value} and {@code
   *     predicted_clv} are not predicted
   */
  public @Nullable GammaGamma gammaGamma() {
    return gammaGamma;
  }

  /**
   * Returns the models' time unit: the one their parameters were fitted in.
   *
   * @return the period, by default one day
   */
  public Duration period() {
    return period;
  }

  /**
   * Returns how far ahead {@code expected_orders} counts.
   *
   * @return the horizon, by default 90 days
   */
  public Duration horizon() {
    return horizon;
  }

  /**
   * Returns how far ahead {@code predicted_clv} counts.
   *
   * @return the lifetime-value horizon, by default 365 days
   */
  public Duration clvHorizon() {
    return clvHorizon;
  }

  /**
   * Returns the yearly rate at which {@code predicted_clv} discounts later revenue.
   *
   * @return the rate, by default 0 (no discounting)
   */
  public double annualDiscountRate() {
    return annualDiscountRate;
  }

  /** Returns which models are set and the time settings; nothing of any customer. */
  @Override
  public String toString() {
    return "PredictionConfig{bgNbd="
        + bgNbd
        + ", gammaGamma="
        + gammaGamma
        + ", period="
        + period
        + ", horizon="
        + horizon
        + ", clvHorizon="
        + clvHorizon
        + ", annualDiscountRate="
        + annualDiscountRate
        + "}";
  }

  /**
   * Builds a {@link PredictionConfig}. Each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private @Nullable BgNbd bgNbd;
    private @Nullable GammaGamma gammaGamma;
    private Duration period = Duration.ofDays(1);
    private Duration horizon = Duration.ofDays(90);
    private Duration clvHorizon = Duration.ofDays(365);
    private double annualDiscountRate;

    private Builder() {}

    /**
     * Sets the BG/NBD model, for {@code p_alive}, {@code expected_orders} and, with a Gamma-Gamma
     * model, {@code predicted_clv}.
     *
     * @param model the fitted model
     * @return this builder
     */
    public Builder bgNbd(BgNbd model) {
      this.bgNbd = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Sets the Gamma-Gamma model, for {@code expected_order_value} and, with a BG/NBD model, {@code
     * predicted_clv}.
     *
     * @param model the fitted model
     * @return this builder
     */
    public Builder gammaGamma(GammaGamma model) {
      this.gammaGamma = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Sets the models' time unit, the one {@code persona fit-clv} fitted them in: a day ({@code
     * --period day}, the default) or a week ({@code --period week}).
     *
     * @param period the time unit, positive, at most ten years
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder period(Duration period) {
      this.period = checked("period", period);
      return this;
    }

    /**
     * Sets how far ahead {@code expected_orders} counts.
     *
     * @param horizon the horizon, positive, at most ten years
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder horizon(Duration horizon) {
      this.horizon = checked("horizon", horizon);
      return this;
    }

    /**
     * Sets how far ahead {@code predicted_clv} counts.
     *
     * @param clvHorizon the horizon, positive, at most ten years
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder clvHorizon(Duration clvHorizon) {
      this.clvHorizon = checked("clvHorizon", clvHorizon);
      return this;
    }

    /**
     * Sets the yearly rate at which {@code predicted_clv} discounts later revenue, such as 0.1 for
     * 10% a year. Above 0, the lifetime value adds up the revenue expected in each 30-day month of
     * its horizon, each discounted by the monthly rate equivalent to this one, as the {@code
     * lifetimes} library does; that costs one more evaluation of the model per month. At 0, the
     * default, it is the expected orders within the horizon times the expected order value.
     *
     * @param rate the rate, from 0 to 10
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder annualDiscountRate(double rate) {
      if (!(rate >= 0 && rate <= 10)) {
        throw new IllegalArgumentException("annualDiscountRate must be from 0 to 10: " + rate);
      }
      this.annualDiscountRate = rate;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if neither model was set
     */
    public PredictionConfig build() {
      if (bgNbd == null && gammaGamma == null) {
        throw new IllegalStateException("a PredictionConfig needs bgNbd, gammaGamma or both");
      }
      return new PredictionConfig(this);
    }

    private static Duration checked(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(LONGEST) > 0) {
        throw new IllegalArgumentException(name + " must be positive and at most ten years: " + d);
      }
      return d;
    }
  }
}
