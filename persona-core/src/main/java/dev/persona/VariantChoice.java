package dev.persona;

import java.util.Objects;
import java.util.Optional;

/**
 * The variant chosen for one placement, and how it was chosen.
 *
 * <p>Immutable and thread-safe, provided the content is.
 *
 * @param placement the placement's id
 * @param variant the chosen variant's id; in an experiment, the visitor's arm
 * @param content the variant's content, exactly as the rule set gave it; may be null
 * @param basis why this variant
 * @param persona for {@link Basis#PERSONA}, the matched persona it was chosen for; otherwise null
 * @param fit the variant's fit: weight times the persona's score, or the weight alone; 0 for the
 *     default and for variants chosen by experiment, optimization or force
 * @param segment the decision's primary persona, or {@code ""} when none was matched; outcomes and
 *     optimized placements are counted per segment
 * @param holdout whether the visitor is in the personalization holdout, which always sees defaults
 * @since 0.1.0
 */
public record VariantChoice(
    String placement,
    String variant,
    Object content,
    Basis basis,
    String persona,
    double fit,
    String segment,
    boolean holdout) {

  /** Checks the choice. */
  public VariantChoice {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(segment, "segment");
  }

  /**
   * Returns the persona the variant was chosen for, when chosen for one.
   *
   * @return the persona id, if any
   */
  public Optional<String> forPersona() {
    return Optional.ofNullable(persona);
  }

  /**
   * Why a variant was chosen. Thread-safe: an enum.
   *
   * @since 0.1.0
   */
  public enum Basis {
    /** It targets a matched persona and had the best fit. */
    PERSONA,
    /** It targets no persona and its condition held. */
    CONDITION,
    /** No other variant was eligible, or the decision is a default decision. */
    DEFAULT,
    /** The visitor is in the personalization holdout, which always sees the default. */
    HOLDOUT,
    /** The placement runs an experiment and this variant is the visitor's arm. */
    EXPERIMENT,
    /** The placement is optimized: the variant was sampled by its outcomes in this segment. */
    OPTIMIZED,
    /** A QA override pinned this variant. */
    FORCED
  }
}
