package dev.persona;

import dev.persona.internal.experiment.Posteriors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What personalization gains over the holdout on one placement: the conversion rate per exposure of
 * the visitors in the holdout (statistics of basis {@link VariantChoice.Basis#HOLDOUT}, who saw the
 * default) against that of everyone else (the bases {@code PERSONA}, {@code CONDITION}, {@code
 * DEFAULT}, {@code EXPERIMENT} and {@code OPTIMIZED}: whatever the engine showed them), over all
 * segments. The holdout is a random share of visitors (an independent hash), so the two groups are
 * alike but for what they were shown, and the difference of their rates is the lift of
 * personalization. Rows of unknown basis, and choices forced for QA (never counted), are left out.
 *
 * <p>Each rate has a Beta posterior with a uniform prior, {@code Beta(1 + conversions, 1 +
 * exposures - conversions)}. The {@linkplain #lift() lift} is the difference of the observed rates;
 * its 95% credible interval is that of the difference of the two posteriors, from the quantiles of
 * 100,000 draws of a generator with a fixed seed (the same figures on every run; each end's
 * standard error about 0.2% of the interval's width; Betas with both shapes at least 50 are drawn
 * by their normal approximation); the {@linkplain #probabilityBetter() probability that
 * personalization is better} is integrated numerically, within 1e-5.
 *
 * <p>Immutable and thread-safe. A final class with a static factory, so that it can grow.
 *
 * @since 0.5.0
 */
public final class HoldoutLift {
  /** The probability of the credible interval: {@value}. */
  public static final double LEVEL = 0.95;

  private static final int DRAWS = 100_000;

  private final String placement;
  private final Outcome.Kind goal;
  private final long holdoutExposures;
  private final long holdoutConversions;
  private final long exposures;
  private final long conversions;
  private final double lower;
  private final double upper;
  private final double probabilityBetter;

  private HoldoutLift(
      String placement, Outcome.Kind goal, long[] counts, double[] interval, double better) {
    this.placement = placement;
    this.goal = goal;
    this.holdoutExposures = counts[0];
    this.holdoutConversions = counts[1];
    this.exposures = counts[2];
    this.conversions = counts[3];
    this.lower = interval[0];
    this.upper = interval[1];
    this.probabilityBetter = better;
  }

  /**
   * Returns the lift of every placement the holdout saw, ordered by placement.
   *
   * @param stats statistics, such as {@link PersonaEngine#variantStats()}
   * @param goal the outcome counted as a conversion: clicks, adds to cart or purchases
   * @return one lift per placement with holdout exposures
   * @throws IllegalArgumentException if the goal is {@link Outcome.Kind#EXPOSURE}
   */
  public static List<HoldoutLift> of(List<VariantStats> stats, Outcome.Kind goal) {
    Objects.requireNonNull(goal, "goal");
    if (goal == Outcome.Kind.EXPOSURE) {
      throw new IllegalArgumentException("the goal must be a click, add to cart or purchase");
    }
    // per placement: holdout exposures, conversions; personalized exposures, conversions
    Map<String, long[]> counts = new TreeMap<>();
    for (VariantStats s : stats) {
      VariantChoice.Basis basis = s.basis();
      if (basis == null || basis == VariantChoice.Basis.FORCED) {
        continue;
      }
      long[] c = counts.computeIfAbsent(s.placement(), k -> new long[4]);
      int at = basis == VariantChoice.Basis.HOLDOUT ? 0 : 2;
      long n = Math.max(0, s.exposures());
      c[at] += n;
      c[at + 1] += Math.max(0, Math.min(s.count(goal), n));
    }
    List<HoldoutLift> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long[] c = e.getValue();
      if (c[0] == 0) {
        continue;
      }
      double[] a = {1 + (double) c[3], 1 + (double) c[1]};
      double[] b = {1 + (double) (c[2] - c[3]), 1 + (double) (c[0] - c[1])};
      double better = Posteriors.of(a, b, LEVEL).probabilityBest[0];
      double[] interval = Posteriors.differenceInterval(a[0], b[0], a[1], b[1], LEVEL, DRAWS, 17);
      out.add(new HoldoutLift(e.getKey(), goal, c, interval, better));
    }
    return out;
  }

  /**
   * Returns the placement's id.
   *
   * @return the placement
   */
  public String placement() {
    return placement;
  }

  /**
   * Returns the outcome counted as a conversion.
   *
   * @return the goal
   */
  public Outcome.Kind goal() {
    return goal;
  }

  /**
   * Returns the exposures of the holdout's visitors.
   *
   * @return the count
   */
  public long holdoutExposures() {
    return holdoutExposures;
  }

  /**
   * Returns the conversions of the holdout's visitors, at most their exposures.
   *
   * @return the count
   */
  public long holdoutConversions() {
    return holdoutConversions;
  }

  /**
   * Returns the exposures of the visitors outside the holdout.
   *
   * @return the count
   */
  public long exposures() {
    return exposures;
  }

  /**
   * Returns the conversions of the visitors outside the holdout, at most their exposures.
   *
   * @return the count
   */
  public long conversions() {
    return conversions;
  }

  /**
   * Returns the holdout's observed conversion rate.
   *
   * @return conversions per exposure
   */
  public double holdoutRate() {
    return (double) holdoutConversions / holdoutExposures;
  }

  /**
   * Returns the observed conversion rate outside the holdout.
   *
   * @return conversions per exposure; NaN without exposures
   */
  public double rate() {
    return exposures == 0 ? Double.NaN : (double) conversions / exposures;
  }

  /**
   * Returns the lift: the observed rate outside the holdout minus the holdout's.
   *
   * @return the difference of the rates, in conversions per exposure; NaN without exposures outside
   *     the holdout
   */
  public double lift() {
    return rate() - holdoutRate();
  }

  /**
   * Returns the lower end of the lift's 95% credible interval.
   *
   * @return the difference of rates
   */
  public double lower() {
    return lower;
  }

  /**
   * Returns the upper end of the lift's 95% credible interval.
   *
   * @return the difference of rates
   */
  public double upper() {
    return upper;
  }

  /**
   * Returns the probability that the rate outside the holdout is the higher.
   *
   * @return the probability, within 1e-5
   */
  public double probabilityBetter() {
    return probabilityBetter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HoldoutLift h
        && placement.equals(h.placement)
        && goal == h.goal
        && holdoutExposures == h.holdoutExposures
        && holdoutConversions == h.holdoutConversions
        && exposures == h.exposures
        && conversions == h.conversions
        && Double.compare(lower, h.lower) == 0
        && Double.compare(upper, h.upper) == 0
        && Double.compare(probabilityBetter, h.probabilityBetter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        placement, goal, holdoutExposures, holdoutConversions, exposures, conversions, lower);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "HoldoutLift{%s, %s: holdout %d/%d, others %d/%d, lift %.5f [%.5f, %.5f],"
            + " P(better) %.4f}",
        placement,
        goal,
        holdoutConversions,
        holdoutExposures,
        conversions,
        exposures,
        lift(),
        lower,
        upper,
        probabilityBetter);
  }
}
