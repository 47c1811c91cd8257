package dev.persona.ruleset;

import java.util.Objects;

/**
 * How an optimized placement learns which variant works: per segment (the primary persona), it
 * picks among its eligible variants by Thompson sampling on Beta posteriors of the goal's rate per
 * exposure. Until every eligible variant has {@code warmup} exposures in the segment it picks
 * uniformly; after that, a share {@code exploration} of its picks stay uniform.
 *
 * <p><b>Discounted evidence.</b> What works changes (a season ends, a price changes), so the
 * evidence the posteriors are made of ages: each exposure and conversion counts half as much once
 * the placement has had {@code halfLife} more exposures in the segment, a quarter after twice as
 * many, and so on (discounted Thompson sampling, Raj and Kalyani 2017). A variant shown less then
 * loses its evidence and is tried again, so the placement follows a change of the best variant
 * within a few half-lives; evidence of about {@code 1.44 × halfLife} recent exposures is what a
 * segment's choices rest on. The half-life is counted in exposures rather than time so that it
 * means the same at night and on a sale day, and in a small segment as in a large one. It should be
 * long compared with the exposures a segment gets while its outcomes are still to come (a purchase
 * may come half an hour after its exposure). {@code 0} never forgets.
 *
 * <p>Immutable and thread-safe.
 *
 * @param goal the outcome that counts as a conversion
 * @param warmup exposures each eligible variant gets in a segment before the placement exploits
 * @param exploration the share of picks made uniformly at random after warm-up, at least 0 and
 *     below 1
 * @param halfLife exposures of the placement in a segment after which its evidence counts half: 0
 *     to never forget, else at least {@value #MIN_HALF_LIFE}
 * @since 0.2.0
 */
public record Optimization(Goal goal, int warmup, double exploration, int halfLife) {
  /** The half-life of evidence unless one is given: {@value} exposures. */
  public static final int DEFAULT_HALF_LIFE = 2_000;

  /**
   * The shortest half-life other than 0: {@value} exposures. Fewer hold too few conversions at the
   * rates of a store to tell variants apart.
   */
  public static final int MIN_HALF_LIFE = 100;

  /**
   * Conversions are clicks; after 100 exposures each, 5% of picks keep exploring; evidence halves
   * every {@value #DEFAULT_HALF_LIFE} exposures.
   */
  public static final Optimization DEFAULTS =
      new Optimization(Goal.CLICK, 100, 0.05, DEFAULT_HALF_LIFE);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if warm-up is negative, exploration is out of range or the
   *     half-life is neither 0 nor at least {@value #MIN_HALF_LIFE}
   */
  public Optimization {
    Objects.requireNonNull(goal, "goal");
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
    }
    if (!(exploration >= 0 && exploration < 1)) {
      throw new IllegalArgumentException(
          "exploration must be at least 0 and below 1, was " + exploration);
    }
    if (halfLife != 0 && halfLife < MIN_HALF_LIFE) {
      throw new IllegalArgumentException(
          "halfLife must be 0 (never forget) or at least "
              + MIN_HALF_LIFE
              + " exposures, was "
              + halfLife);
    }
  }

  /**
   * Returns settings with the {@linkplain #DEFAULT_HALF_LIFE default half-life}.
   *
   * @param goal the outcome that counts as a conversion
   * @param warmup exposures each eligible variant gets in a segment before the placement exploits
   * @param exploration the share of picks made uniformly at random after warm-up
   * @throws IllegalArgumentException if warm-up is negative or exploration is out of range
   */
  public Optimization(Goal goal, int warmup, double exploration) {
    this(goal, warmup, exploration, DEFAULT_HALF_LIFE);
  }

  /**
   * Returns these settings with another half-life of evidence.
   *
   * @param exposures the half-life: 0 to never forget, else at least {@value #MIN_HALF_LIFE}
   * @return the settings
   * @throws IllegalArgumentException if out of range
   * @since 0.5.0
   */
  public Optimization withHalfLife(int exposures) {
    return new Optimization(goal, warmup, exploration, exposures);
  }

  /**
   * The outcome an optimized placement maximizes per exposure. Thread-safe: an enum.
   *
   * @since 0.2.0
   */
  public enum Goal {
    /** A click on the variant. */
    CLICK,
    /** An add to cart after seeing it. */
    ADD_TO_CART,
    /** A purchase after seeing it. */
    PURCHASE
  }
}
