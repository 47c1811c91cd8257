package dev.persona;

import dev.persona.internal.experiment.Posteriors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the statistics say about one variant's conversion rate in one segment and on one basis (and
 * experiment), beside the other variants of its placement in that segment chosen on the same basis:
 * the observed rate, a 95% credible interval, the probability that it is the best of them and the
 * rate expected to be lost by choosing it. Made from whole counts ({@link VariantStats}) with a
 * uniform prior: the rate's posterior is {@code Beta(1 + conversions, 1 + exposures -
 * conversions)}, where conversions are the goal's count, at most the exposures.
 *
 * <p><b>Precision.</b> The figures are computed by deterministic numerical integration, not by
 * sampling, and are within 1e-5 of the exact values (absolute, for probabilities, interval ends and
 * losses alike); the same counts give the same figures on every run and instance.
 *
 * <p>Read them with care: the probability to be best and the expected loss compare the variants
 * shown to the segment on one basis; an optimized placement shows them unequally by design, and
 * personalized choices ({@code PERSONA}, {@code CONDITION}, {@code DEFAULT}) follow the shoppers'
 * signals, so only an experiment's arms compare like with like. They describe every exposure ever
 * counted; an optimized placement with a half-life chooses by recent ones ({@link
 * DiscountedCounts}).
 *
 * <p>Immutable and thread-safe. A final class with a static factory, so that it can grow.
 *
 * @since 0.5.0
 */
public final class VariantEstimate {
  /** The probability of the credible interval: {@value}. */
  public static final double LEVEL = 0.95;

  private final String placement;
  private final String variant;
  private final @Nullable String segment;
  private final VariantChoice.@Nullable Basis basis;
  private final @Nullable String experiment;
  private final Outcome.Kind goal;
  private final long exposures;
  private final long conversions;
  private final double lower;
  private final double upper;
  private final double probabilityBest;
  private final double expectedLoss;

  private VariantEstimate(
      VariantStats s,
      Outcome.Kind goal,
      long conversions,
      double lower,
      double upper,
      double probabilityBest,
      double expectedLoss) {
    this.placement = s.placement();
    this.variant = s.variant();
    this.segment = s.segment();
    this.basis = s.basis();
    this.experiment = s.experiment();
    this.goal = goal;
    this.exposures = Math.max(0, s.exposures());
    this.conversions = conversions;
    this.lower = lower;
    this.upper = upper;
    this.probabilityBest = probabilityBest;
    this.expectedLoss = expectedLoss;
  }

  /**
   * Returns the estimates of every variant in the statistics, compared within each placement,
   * segment, {@linkplain VariantStats#basis() basis} and experiment (so that an experiment's arms
   * are compared on the arms' own exposures, an optimized placement's variants on its samples, and
   * neither with the holdout's or the personalized choices' rows), ordered by placement, segment
   * (none first), basis (unknown first), experiment and variant. Counts of one combination given
   * twice are added.
   *
   * @param stats statistics, such as {@link PersonaEngine#variantStats()}
   * @param goal the outcome counted as a conversion: clicks, adds to cart or purchases
   * @return one estimate per placement, variant and segment
   * @throws IllegalArgumentException if the goal is {@link Outcome.Kind#EXPOSURE}
   */
  public static List<VariantEstimate> of(List<VariantStats> stats, Outcome.Kind goal) {
    Objects.requireNonNull(goal, "goal");
    if (goal == Outcome.Kind.EXPOSURE) {
      throw new IllegalArgumentException("the goal must be a click, add to cart or purchase");
    }
    Map<List<@Nullable String>, Map<String, VariantStats>> groups = new LinkedHashMap<>();
    List<VariantStats> sorted = new ArrayList<>(stats);
    sorted.sort(
        Comparator.comparing(VariantStats::placement)
            .thenComparing(VariantStats::segment, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(VariantStats::basis, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                VariantStats::experiment, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(VariantStats::variant));
    for (VariantStats s : sorted) {
      VariantChoice.Basis basis = s.basis();
      groups
          .computeIfAbsent(
              Arrays.asList(
                  s.placement(), s.segment(), basis == null ? null : basis.name(), s.experiment()),
              k -> new LinkedHashMap<>())
          .merge(s.variant(), s, VariantStats::plus);
    }
    List<VariantEstimate> out = new ArrayList<>(sorted.size());
    for (Map<String, VariantStats> group : groups.values()) {
      List<VariantStats> rows = new ArrayList<>(group.values());
      int k = rows.size();
      double[] a = new double[k];
      double[] b = new double[k];
      long[] wins = new long[k];
      for (int i = 0; i < k; i++) {
        VariantStats s = rows.get(i);
        long n = Math.max(0, s.exposures());
        wins[i] = Math.max(0, Math.min(s.count(goal), n));
        a[i] = 1 + (double) wins[i];
        b[i] = 1 + (double) (n - wins[i]);
      }
      Posteriors.Result r = Posteriors.of(a, b, LEVEL);
      for (int i = 0; i < k; i++) {
        out.add(
            new VariantEstimate(
                rows.get(i),
                goal,
                wins[i],
                r.lower[i],
                r.upper[i],
                r.probabilityBest[i],
                r.expectedLoss[i]));
      }
    }
    return out;
  }

  /**
   * Returns the basis of the choices estimated, as {@link VariantStats#basis()}.
   *
   * @return the basis, or null when unknown
   * @since 0.5.0
   */
  public VariantChoice.@Nullable Basis basis() {
    return basis;
  }

  /**
   * Returns the experiment whose arm the variant is, for the basis {@link
   * VariantChoice.Basis#EXPERIMENT}.
   *
   * @return the experiment's id, or null
   * @since 0.5.0
   */
  public @Nullable String experiment() {
    return experiment;
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
   * Returns the variant's id.
   *
   * @return the variant
   */
  public String variant() {
    return variant;
  }

  /**
   * Returns the segment: the primary persona at decision time.
   *
   * @return the persona id, or null for shoppers without a primary persona
   */
  public @Nullable String segment() {
    return segment;
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
   * Returns how often the variant was shown to the segment.
   *
   * @return the exposures
   */
  public long exposures() {
    return exposures;
  }

  /**
   * Returns the goal's count, at most the exposures.
   *
   * @return the conversions
   */
  public long conversions() {
    return conversions;
  }

  /**
   * Returns the observed conversion rate.
   *
   * @return conversions per exposure, 0 without exposures
   */
  public double rate() {
    return exposures == 0 ? 0 : (double) conversions / exposures;
  }

  /**
   * Returns the lower end of the rate's 95% credible interval: the posterior's 2.5% quantile.
   *
   * @return the lower end
   */
  public double lower() {
    return lower;
  }

  /**
   * Returns the upper end of the rate's 95% credible interval: the posterior's 97.5% quantile.
   *
   * @return the upper end
   */
  public double upper() {
    return upper;
  }

  /**
   * Returns the probability that this variant's rate is the highest of the variants of its
   * placement in its segment; 1 for a variant alone there.
   *
   * @return the probability; those of a placement's variants in a segment sum to 1
   */
  public double probabilityBest() {
    return probabilityBest;
  }

  /**
   * Returns the rate expected to be lost by choosing this variant: the posterior expectation of the
   * best rate of its placement in its segment minus this one's.
   *
   * @return the expected loss, in conversions per exposure, 0 or more
   */
  public double expectedLoss() {
    return expectedLoss;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VariantEstimate e
        && placement.equals(e.placement)
        && variant.equals(e.variant)
        && Objects.equals(segment, e.segment)
        && basis == e.basis
        && Objects.equals(experiment, e.experiment)
        && goal == e.goal
        && exposures == e.exposures
        && conversions == e.conversions
        && Double.compare(lower, e.lower) == 0
        && Double.compare(upper, e.upper) == 0
        && Double.compare(probabilityBest, e.probabilityBest) == 0
        && Double.compare(expectedLoss, e.expectedLoss) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        placement, variant, segment, basis, experiment, goal, exposures, conversions, lower, upper);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "VariantEstimate{%s=%s%s%s%s, %d/%d %s, rate %.5f [%.5f, %.5f], P(best) %.4f,"
            + " expected loss %.6f}",
        placement,
        variant,
        segment == null ? "" : ", segment=" + segment,
        basis == null ? "" : ", basis=" + basis,
        experiment == null ? "" : ", experiment=" + experiment,
        conversions,
        exposures,
        goal,
        rate(),
        lower,
        upper,
        probabilityBest,
        expectedLoss);
  }
}
