package dev.persona;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Outcome counts of one variant in one segment in which each outcome weighs less the more exposures
 * its placement has had in the segment since: half as much every {@link #halfLife()} exposures.
 * They are the evidence an optimized placement with a {@linkplain
 * dev.persona.ruleset.Optimization#halfLife() half-life} chooses by (discounted Thompson sampling).
 *
 * <p><b>Where they stand.</b> The placement's exposures in the segment, counted over all its
 * variants, are a clock that only moves forward; {@link #at()} is the point on it the weights are
 * relative to: an outcome recorded at point {@code k} weighs {@code 2^((k - at) / halfLife)}, at
 * most 1, and the same counts read at a later point {@code n} are worth {@code 2^(-(n - at) /
 * halfLife)} times as much ({@link #decayedTo}). An increment is the outcome's count at the point
 * it was recorded.
 *
 * <p><b>Added in any order.</b> {@link #plus} moves both summands to the later of their points and
 * adds them: the result is the same whichever is added first, so instances sharing a store need
 * nothing but this to keep one total (forward decay, with the landmark at the latest point). The
 * values stay at most about {@code 1.44 × halfLife}, whatever the traffic, and never overflow.
 *
 * <p>Immutable and thread-safe. A final class with a static factory, so that it can grow.
 *
 * @since 0.5.0
 */
public final class DiscountedCounts {
  private static final double LN2 = Math.log(2);

  private final long at;
  private final int halfLife;
  private final double exposures;
  private final double clicks;
  private final double addsToCart;
  private final double purchases;

  private DiscountedCounts(
      long at, int halfLife, double exposures, double clicks, double addsToCart, double purchases) {
    this.at = at;
    this.halfLife = halfLife;
    this.exposures = exposures;
    this.clicks = clicks;
    this.addsToCart = addsToCart;
    this.purchases = purchases;
  }

  /**
   * Returns discounted counts.
   *
   * @param at the point on the segment's exposure count the weights are relative to, 0 or more
   * @param halfLife exposures after which a count weighs half, positive
   * @param exposures the weighted exposures
   * @param clicks the weighted clicks
   * @param addsToCart the weighted adds to cart
   * @param purchases the weighted purchases
   * @return the counts
   * @throws IllegalArgumentException if {@code at} is negative, {@code halfLife} not positive, or a
   *     count negative or not finite
   */
  public static DiscountedCounts of(
      long at, int halfLife, double exposures, double clicks, double addsToCart, double purchases) {
    if (at < 0) {
      throw new IllegalArgumentException("at must not be negative, was " + at);
    }
    if (halfLife <= 0) {
      throw new IllegalArgumentException("halfLife must be positive, was " + halfLife);
    }
    check("exposures", exposures);
    check("clicks", clicks);
    check("addsToCart", addsToCart);
    check("purchases", purchases);
    return new DiscountedCounts(at, halfLife, exposures, clicks, addsToCart, purchases);
  }

  /**
   * Returns the increment of one outcome recorded at a point: its count 1 at full weight.
   *
   * @param kind what happened
   * @param at the segment's exposure count when it was recorded
   * @param halfLife the placement's half-life of evidence, positive
   * @return the increment
   */
  public static DiscountedCounts one(Outcome.Kind kind, long at, int halfLife) {
    Objects.requireNonNull(kind, "kind");
    return of(
        at,
        halfLife,
        kind == Outcome.Kind.EXPOSURE ? 1 : 0,
        kind == Outcome.Kind.CLICK ? 1 : 0,
        kind == Outcome.Kind.ADD_TO_CART ? 1 : 0,
        kind == Outcome.Kind.PURCHASE ? 1 : 0);
  }

  private static void check(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and not negative, was " + v);
    }
  }

  /**
   * Returns the point on the segment's exposure count the weights are relative to.
   *
   * @return the point
   */
  public long at() {
    return at;
  }

  /**
   * Returns the exposures after which a count weighs half, as of the latest addition.
   *
   * @return the half-life, positive
   */
  public int halfLife() {
    return halfLife;
  }

  /**
   * Returns the weighted exposures.
   *
   * @return the sum of their weights at {@link #at()}
   */
  public double exposures() {
    return exposures;
  }

  /**
   * Returns the weighted count of one kind of outcome.
   *
   * @param kind the outcome
   * @return the sum of their weights at {@link #at()}
   */
  public double count(Outcome.Kind kind) {
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
   * Returns the factor by which counts at point {@code from} are worth less at the later point
   * {@code to}: {@code 2^(-(to - from) / halfLife)}, and 1 when {@code to} is not later.
   *
   * @param from the earlier point
   * @param to the later point
   * @param halfLife the half-life, positive
   * @return the factor, in (0, 1]
   */
  public static double decay(long from, long to, int halfLife) {
    return to <= from ? 1 : Math.exp(-(to - from) * LN2 / halfLife);
  }

  /**
   * Returns these counts as worth at a later point: each multiplied by {@link #decay decay(at(), n,
   * halfLife())}. A point not later than {@link #at()} changes nothing.
   *
   * @param n the point
   * @return the counts at {@code max(at(), n)}
   */
  public DiscountedCounts decayedTo(long n) {
    if (n <= at) {
      return this;
    }
    double f = decay(at, n, halfLife);
    return new DiscountedCounts(
        n, halfLife, exposures * f, clicks * f, addsToCart * f, purchases * f);
  }

  /**
   * Returns the sum of these counts and another's: both at the later of their two points, decayed
   * there by the half-life of the one that stands later (of the longer when they stand together).
   * Addition in any order and grouping gives the same sums, up to rounding, while the half-life
   * stays the same.
   *
   * @param other the counts to add
   * @return the sum
   */
  public DiscountedCounts plus(DiscountedCounts other) {
    long to = Math.max(at, other.at);
    int h =
        at > other.at
            ? halfLife
            : other.at > at ? other.halfLife : Math.max(halfLife, other.halfLife);
    double f = decay(at, to, h);
    double g = decay(other.at, to, h);
    return new DiscountedCounts(
        to,
        h,
        exposures * f + other.exposures * g,
        clicks * f + other.clicks * g,
        addsToCart * f + other.addsToCart * g,
        purchases * f + other.purchases * g);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DiscountedCounts d
        && at == d.at
        && halfLife == d.halfLife
        && Double.compare(exposures, d.exposures) == 0
        && Double.compare(clicks, d.clicks) == 0
        && Double.compare(addsToCart, d.addsToCart) == 0
        && Double.compare(purchases, d.purchases) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, halfLife, exposures, clicks, addsToCart, purchases);
  }

  @Override
  public String toString() {
    return "DiscountedCounts{at="
        + at
        + ", halfLife="
        + halfLife
        + ", exposures="
        + exposures
        + ", clicks="
        + clicks
        + ", addsToCart="
        + addsToCart
        + ", purchases="
        + purchases
        + "}";
  }
}
