package dev.persona.ruleset;

import java.util.Objects;

/**
 * How an optimized placement learns which variant works: per segment (the primary persona), it
 * picks among its eligible variants by Thompson sampling on Beta posteriors of the goal's rate per
 * exposure. Until every eligible variant has {@code warmup} exposures in the segment it picks
 * uniformly; after that, a share {@code exploration} of its picks stay uniform.
 *
 * <p>Immutable and thread-safe.
 *
 * @param goal the outcome that counts as a conversion
 * @param warmup exposures each eligible variant gets in a segment before the placement exploits
 * @param exploration the share of picks made uniformly at random after warm-up, at least 0 and
 *     below 1
 * @since 0.2.0
 */
public record Optimization(Goal goal, int warmup, double exploration) {
  /** Conversions are clicks; after 100 exposures each, 5% of picks keep exploring. */
  public static final Optimization DEFAULTS = new Optimization(Goal.CLICK, 100, 0.05);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if warm-up is negative or exploration is out of range
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
