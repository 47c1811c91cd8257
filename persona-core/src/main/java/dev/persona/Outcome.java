package dev.persona;

import java.util.Objects;

/**
 * Something that happened after a decision: a variant was shown, clicked, or led to an add to cart
 * or a purchase. Recorded with {@link PersonaEngine#recordOutcome(Outcome)}, it feeds the
 * statistics per placement, variant and persona that measure experiments and steer optimized
 * placements.
 *
 * <p>Build one from the {@link VariantChoice} the decision made: {@code Outcome.shown(sessionId,
 * decision.choice("home.hero"))}. Immutable and thread-safe.
 *
 * @param sessionId the session the decision was made for
 * @param placement the placement's id
 * @param variant the variant's id
 * @param segment the primary persona at decision time, or {@code ""} when none was matched
 * @param kind what happened
 * @param value the order value of a purchase, 0 otherwise; finite and not negative
 * @since 0.2.0
 */
public record Outcome(
    String sessionId, String placement, String variant, String segment, Kind kind, double value) {

  /**
   * Checks the outcome.
   *
   * @throws IllegalArgumentException if the value is negative or not finite
   */
  public Outcome {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(kind, "kind");
    if (!(value >= 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException("value must be finite and not negative, was " + value);
    }
  }

  /**
   * The variant was shown to the shopper.
   *
   * @param sessionId the session
   * @param choice the choice the decision made
   * @return the outcome
   */
  public static Outcome shown(String sessionId, VariantChoice choice) {
    return of(sessionId, choice, Kind.EXPOSURE, 0);
  }

  /**
   * The shopper clicked the variant.
   *
   * @param sessionId the session
   * @param choice the choice the decision made
   * @return the outcome
   */
  public static Outcome clicked(String sessionId, VariantChoice choice) {
    return of(sessionId, choice, Kind.CLICK, 0);
  }

  /**
   * The shopper added something to the cart after seeing the variant.
   *
   * @param sessionId the session
   * @param choice the choice the decision made
   * @return the outcome
   */
  public static Outcome addedToCart(String sessionId, VariantChoice choice) {
    return of(sessionId, choice, Kind.ADD_TO_CART, 0);
  }

  /**
   * The shopper bought after seeing the variant.
   *
   * @param sessionId the session
   * @param choice the choice the decision made
   * @param value the order value, finite and not negative
   * @return the outcome
   */
  public static Outcome purchased(String sessionId, VariantChoice choice, double value) {
    return of(sessionId, choice, Kind.PURCHASE, value);
  }

  private static Outcome of(String sessionId, VariantChoice choice, Kind kind, double value) {
    Objects.requireNonNull(choice, "choice");
    return new Outcome(
        sessionId, choice.placement(), choice.variant(), choice.segment(), kind, value);
  }

  /**
   * What happened. Thread-safe: an enum.
   *
   * @since 0.2.0
   */
  public enum Kind {
    /** The variant was shown. */
    EXPOSURE,
    /** The variant was clicked. */
    CLICK,
    /** Something was added to the cart. */
    ADD_TO_CART,
    /** Something was bought. */
    PURCHASE
  }
}
