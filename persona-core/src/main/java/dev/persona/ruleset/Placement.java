package dev.persona.ruleset;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A place on a page or in a message that shows one of several variants, such as {@code home.hero}
 * or {@code cart.message}. Exactly one variant is the default, so a placement always has something
 * to show.
 *
 * <p>A placement works in one of three {@linkplain Mode modes}: personalized (the variant that fits
 * the matched personas best), an {@link Experiment} (arms split by a stable hash), or optimized (an
 * {@link Optimization} that learns from outcomes which eligible variant works per persona).
 *
 * <p>Immutable and thread-safe, provided the variants' content is.
 *
 * @param id the placement's id
 * @param variants its variants, in order of preference for ties
 * @param experiment the experiment it runs, or null
 * @param optimization how it optimizes, or null
 * @since 0.1.0
 */
public record Placement(
    String id,
    List<Variant> variants,
    @Nullable Experiment experiment,
    @Nullable Optimization optimization) {

  /**
   * Checks the placement.
   *
   * @throws IllegalArgumentException if the id is malformed, variant ids repeat, there is not
   *     exactly one default variant, it both experiments and optimizes, or an arm names an unknown
   *     variant
   */
  public Placement {
    Ids.check("placement", id);
    variants = List.copyOf(variants);
    Set<String> seen = new HashSet<>();
    int defaults = 0;
    for (Variant v : variants) {
      if (!seen.add(v.id())) {
        throw new IllegalArgumentException(
            "placement '" + id + "': variant id '" + v.id() + "' appears twice");
      }
      if (v.isDefault()) {
        defaults++;
      }
    }
    if (defaults != 1) {
      throw new IllegalArgumentException(
          "placement '" + id + "' needs exactly one default variant, has " + defaults);
    }
    if (experiment != null && optimization != null) {
      throw new IllegalArgumentException(
          "placement '" + id + "' cannot both run an experiment and optimize");
    }
    if (experiment != null) {
      for (Experiment.Arm a : experiment.arms()) {
        if (!seen.contains(a.variant())) {
          throw new IllegalArgumentException(
              "placement '" + id + "': experiment arm names unknown variant '" + a.variant() + "'");
        }
      }
    }
  }

  /**
   * Returns a personalized placement.
   *
   * @param id the placement's id
   * @param variants its variants, one of them the default
   */
  public Placement(String id, List<Variant> variants) {
    this(id, variants, null, null);
  }

  /**
   * Returns a placement with the given variants.
   *
   * @param id the placement's id
   * @param variants its variants, one of them the default
   * @return the placement
   */
  public static Placement of(String id, Variant... variants) {
    return new Placement(id, Arrays.asList(variants));
  }

  /**
   * Returns this placement running the given experiment instead.
   *
   * @param experiment the experiment
   * @return the experimental placement
   * @throws IllegalArgumentException if an arm names an unknown variant
   */
  public Placement withExperiment(Experiment experiment) {
    return new Placement(id, variants, Objects.requireNonNull(experiment, "experiment"), null);
  }

  /**
   * Returns this placement optimized as given instead.
   *
   * @param optimization how to optimize
   * @return the optimized placement
   */
  public Placement optimized(Optimization optimization) {
    return new Placement(id, variants, null, Objects.requireNonNull(optimization, "optimization"));
  }

  /**
   * Returns how the placement chooses its variant.
   *
   * @return the mode
   */
  public Mode mode() {
    if (experiment != null) {
      return Mode.EXPERIMENT;
    }
    return optimization != null ? Mode.OPTIMIZED : Mode.PERSONALIZED;
  }

  /**
   * Returns the variant with the given id.
   *
   * @param variantId the id
   * @return the variant, or null when the placement has none of that id
   */
  public @Nullable Variant variant(String variantId) {
    for (Variant v : variants) {
      if (v.id().equals(variantId)) {
        return v;
      }
    }
    return null;
  }

  /**
   * Returns the variant shown when no other is eligible.
   *
   * @return the default variant
   */
  public Variant defaultVariant() {
    for (Variant v : variants) {
      if (v.isDefault()) {
        return v;
      }
    }
    throw new AssertionError("checked in the constructor");
  }

  /**
   * How a placement chooses its variant. Thread-safe: an enum.
   *
   * @since 0.2.0
   */
  public enum Mode {
    /** The eligible variant that fits the matched personas best. */
    PERSONALIZED,
    /** The visitor's arm of an experiment. */
    EXPERIMENT,
    /** The eligible variant sampled by its outcomes in the visitor's segment. */
    OPTIMIZED
  }
}
