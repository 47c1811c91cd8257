package dev.persona;

import java.util.Objects;
import java.util.Optional;

/**
 * The variant chosen for one placement.
 *
 * <p>Immutable and thread-safe, provided the content is.
 *
 * @param placement the placement's id
 * @param variant the chosen variant's id
 * @param content the variant's content, exactly as the rule set gave it; may be null
 * @param basis why this variant
 * @param persona for {@link Basis#PERSONA}, the matched persona it was chosen for; otherwise null
 * @param fit the variant's fit: weight times the persona's score, or the weight alone; 0 for the
 *     default
 * @since 0.1.0
 */
public record VariantChoice(
    String placement, String variant, Object content, Basis basis, String persona, double fit) {

  /** Checks the choice. */
  public VariantChoice {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(basis, "basis");
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
    DEFAULT
  }
}
