package dev.persona;

import java.util.Objects;

/**
 * Outcome counts of one variant of one placement, for the shoppers of one segment (their primary
 * persona at decision time, or {@code ""} for none). Used both as a running total and as the
 * increment a {@link dev.persona.spi.StatsStore} adds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param placement the placement's id
 * @param variant the variant's id
 * @param segment the primary persona's id, or {@code ""} when none was matched
 * @param exposures how often the variant was shown
 * @param clicks how often it was clicked
 * @param addsToCart how many adds to cart it led to
 * @param purchases how many purchases it led to
 * @param value the total value of those purchases
 * @since 0.2.0
 */
public record VariantStats(
    String placement,
    String variant,
    String segment,
    long exposures,
    long clicks,
    long addsToCart,
    long purchases,
    double value) {

  /** Checks the counts. */
  public VariantStats {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(segment, "segment");
  }

  /**
   * Returns the increment one outcome adds.
   *
   * @param outcome the outcome
   * @return counts of 1 for the outcome's kind, and its value for a purchase
   */
  public static VariantStats of(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    Outcome.Kind k = outcome.kind();
    return new VariantStats(
        outcome.placement(),
        outcome.variant(),
        outcome.segment(),
        k == Outcome.Kind.EXPOSURE ? 1 : 0,
        k == Outcome.Kind.CLICK ? 1 : 0,
        k == Outcome.Kind.ADD_TO_CART ? 1 : 0,
        k == Outcome.Kind.PURCHASE ? 1 : 0,
        outcome.value());
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
   * Returns these counts plus another's of the same placement, variant and segment.
   *
   * @param other the counts to add
   * @return the sums
   * @throws IllegalArgumentException if {@code other} counts a different variant or segment
   */
  public VariantStats plus(VariantStats other) {
    if (!placement.equals(other.placement)
        || !variant.equals(other.variant)
        || !segment.equals(other.segment)) {
      throw new IllegalArgumentException("counts of a different placement, variant or segment");
    }
    return new VariantStats(
        placement,
        variant,
        segment,
        exposures + other.exposures,
        clicks + other.clicks,
        addsToCart + other.addsToCart,
        purchases + other.purchases,
        value + other.value);
  }
}
