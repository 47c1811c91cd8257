package dev.persona;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Outcome counts of one variant of one placement, for the shoppers of one segment (their primary
 * persona at decision time, or none), chosen on one {@linkplain #basis() basis} (and in one
 * {@linkplain #experiment() experiment}, for an arm's): the holdout's views of a default, an
 * experiment's arm, an optimized placement's samples and personalized choices are counted apart, so
 * that each is read from its own evidence. Used both as a running total and as the increment a
 * {@link dev.persona.spi.StatsStore} adds. A final class rather than a record, so that counts can
 * be added without breaking callers; a store of your own makes totals with {@link #builder}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class VariantStats {
  private final String placement;
  private final String variant;
  private final @Nullable String segment;
  private final long exposures;
  private final long clicks;
  private final long addsToCart;
  private final long purchases;
  private final double value;
  private final @Nullable DiscountedCounts discounted;
  private final VariantChoice.@Nullable Basis basis;
  private final @Nullable String experiment;

  private VariantStats(Builder b) {
    this.placement = b.placement;
    this.variant = b.variant;
    this.segment = b.segment;
    this.exposures = b.exposures;
    this.clicks = b.clicks;
    this.addsToCart = b.addsToCart;
    this.purchases = b.purchases;
    this.value = b.value;
    this.discounted = b.discounted;
    this.basis = b.basis;
    this.experiment = b.experiment;
  }

  /**
   * Returns a builder of counts, all zero, of a variant in a segment.
   *
   * @param placement the placement's id
   * @param variant the variant's id
   * @param segment the primary persona's id, or null for shoppers without one
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder(String placement, String variant, @Nullable String segment) {
    return new Builder(placement, variant, segment);
  }

  /**
   * Returns the increment one outcome adds.
   *
   * @param outcome the outcome
   * @return counts of 1 for the outcome's kind, and its value for a purchase, of the outcome's
   *     basis and experiment
   */
  public static VariantStats of(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    return builder(outcome.placement(), outcome.variant(), outcome.segment())
        .basis(outcome.basis())
        .experiment(outcome.experiment())
        .count(outcome.kind(), 1)
        .value(outcome.value())
        .build();
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
   * Returns how the variant was chosen for the decisions counted here ({@link
   * VariantChoice#basis()}).
   *
   * @return the basis, or null when unknown: counts recorded without one (an outcome built from ids
   *     without {@link Outcome.Builder#basis}, an automatic credit of an exposure the session kept
   *     without one) and counts a store kept before bases were (0.5.0)
   * @since 0.5.0
   */
  public VariantChoice.@Nullable Basis basis() {
    return basis;
  }

  /**
   * Returns the experiment whose arm the counted choices were, for the basis {@link
   * VariantChoice.Basis#EXPERIMENT}; the arm is the {@linkplain #variant() variant}.
   *
   * @return the experiment's id, or null
   * @since 0.5.0
   */
  public @Nullable String experiment() {
    return experiment;
  }

  /**
   * Returns how often the variant was shown.
   *
   * @return the count
   */
  public long exposures() {
    return exposures;
  }

  /**
   * Returns how often the variant was clicked.
   *
   * @return the count
   */
  public long clicks() {
    return clicks;
  }

  /**
   * Returns how many adds to cart the variant led to.
   *
   * @return the count
   */
  public long addsToCart() {
    return addsToCart;
  }

  /**
   * Returns how many purchases the variant led to.
   *
   * @return the count
   */
  public long purchases() {
    return purchases;
  }

  /**
   * Returns the total value of those purchases.
   *
   * @return the value
   */
  public double value() {
    return value;
  }

  /**
   * Returns the counts discounted by age that an optimized placement with a half-life of evidence
   * chooses by: in an increment, the outcome at the point it was recorded; in a total, their sum.
   * Null for placements that never forget, and from a store that does not keep them.
   *
   * @return the discounted counts, or null
   * @since 0.5.0
   */
  public @Nullable DiscountedCounts discounted() {
    return discounted;
  }

  /**
   * Returns how often the given outcome happened.
   *
   * @param kind the outcome
   * @return its count
   */
  public long count(Outcome.Kind kind) {
    switch (Objects.requireNonNull(kind, "kind")) {
      case EXPOSURE:
        return exposures;
      case CLICK:
        return clicks;
      case ADD_TO_CART:
        return addsToCart;
      default:
        return purchases;
    }
  }

  /**
   * Returns these counts plus another's of the same placement, variant, segment, basis and
   * experiment; their {@linkplain #discounted() discounted counts} are added by {@link
   * DiscountedCounts#plus} (or kept, when only one has them).
   *
   * @param other the counts to add
   * @return the sums
   * @throws IllegalArgumentException if {@code other} counts a different variant, segment, basis or
   *     experiment
   */
  public VariantStats plus(VariantStats other) {
    if (!placement.equals(other.placement)
        || !variant.equals(other.variant)
        || !Objects.equals(segment, other.segment)
        || basis != other.basis
        || !Objects.equals(experiment, other.experiment)) {
      throw new IllegalArgumentException(
          "counts of a different placement, variant, segment, basis or experiment");
    }
    Builder b = builder(placement, variant, segment).basis(basis).experiment(experiment);
    b.exposures = exposures + other.exposures;
    b.clicks = clicks + other.clicks;
    b.addsToCart = addsToCart + other.addsToCart;
    b.purchases = purchases + other.purchases;
    b.value = value + other.value;
    b.discounted =
        discounted == null
            ? other.discounted
            : other.discounted == null ? discounted : discounted.plus(other.discounted);
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VariantStats s
        && placement.equals(s.placement)
        && variant.equals(s.variant)
        && Objects.equals(segment, s.segment)
        && exposures == s.exposures
        && clicks == s.clicks
        && addsToCart == s.addsToCart
        && purchases == s.purchases
        && Double.compare(value, s.value) == 0
        && Objects.equals(discounted, s.discounted)
        && basis == s.basis
        && Objects.equals(experiment, s.experiment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        placement,
        variant,
        segment,
        exposures,
        clicks,
        addsToCart,
        purchases,
        value,
        discounted,
        basis,
        experiment);
  }

  @Override
  public String toString() {
    return "VariantStats{"
        + placement
        + "="
        + variant
        + (segment == null ? "" : ", segment=" + segment)
        + (basis == null ? "" : ", basis=" + basis)
        + (experiment == null ? "" : ", experiment=" + experiment)
        + ", exposures="
        + exposures
        + ", clicks="
        + clicks
        + ", addsToCart="
        + addsToCart
        + ", purchases="
        + purchases
        + ", value="
        + value
        + (discounted == null ? "" : ", discounted=" + discounted)
        + "}";
  }

  /**
   * Builds {@link VariantStats}. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final String placement;
    private final String variant;
    private final @Nullable String segment;
    private long exposures;
    private long clicks;
    private long addsToCart;
    private long purchases;
    private double value;
    private @Nullable DiscountedCounts discounted;
    private VariantChoice.@Nullable Basis basis;
    private @Nullable String experiment;

    private Builder(String placement, String variant, @Nullable String segment) {
      this.placement = Objects.requireNonNull(placement, "placement");
      this.variant = Objects.requireNonNull(variant, "variant");
      this.segment = segment;
    }

    /**
     * Sets how often the variant was shown.
     *
     * @param count the count
     * @return this builder
     */
    public Builder exposures(long count) {
      this.exposures = count;
      return this;
    }

    /**
     * Sets how often the variant was clicked.
     *
     * @param count the count
     * @return this builder
     */
    public Builder clicks(long count) {
      this.clicks = count;
      return this;
    }

    /**
     * Sets how many adds to cart the variant led to.
     *
     * @param count the count
     * @return this builder
     */
    public Builder addsToCart(long count) {
      this.addsToCart = count;
      return this;
    }

    /**
     * Sets how many purchases the variant led to.
     *
     * @param count the count
     * @return this builder
     */
    public Builder purchases(long count) {
      this.purchases = count;
      return this;
    }

    /**
     * Sets the count of one kind of outcome.
     *
     * @param kind the outcome
     * @param count its count
     * @return this builder
     */
    public Builder count(Outcome.Kind kind, long count) {
      switch (Objects.requireNonNull(kind, "kind")) {
        case EXPOSURE -> exposures = count;
        case CLICK -> clicks = count;
        case ADD_TO_CART -> addsToCart = count;
        case PURCHASE -> purchases = count;
      }
      return this;
    }

    /**
     * Sets the total value of the purchases.
     *
     * @param value the value
     * @return this builder
     */
    public Builder value(double value) {
      this.value = value;
      return this;
    }

    /**
     * Sets the counts discounted by age.
     *
     * @param discounted the counts, or null for none
     * @return this builder
     * @since 0.5.0
     */
    public Builder discounted(@Nullable DiscountedCounts discounted) {
      this.discounted = discounted;
      return this;
    }

    /**
     * Sets how the counted choices were made (default unknown).
     *
     * @param basis the basis, or null when unknown
     * @return this builder
     * @since 0.5.0
     */
    public Builder basis(VariantChoice.@Nullable Basis basis) {
      this.basis = basis;
      return this;
    }

    /**
     * Sets the experiment whose arm the counted choices were (default none).
     *
     * @param experiment the experiment's id, or null
     * @return this builder
     * @since 0.5.0
     */
    public Builder experiment(@Nullable String experiment) {
      this.experiment = experiment;
      return this;
    }

    /**
     * Builds the counts.
     *
     * @return the immutable counts
     */
    public VariantStats build() {
      return new VariantStats(this);
    }
  }
}
