package dev.persona;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened after a decision: a variant was shown, clicked, or led to an add to cart
 * or a purchase. Recorded with {@link PersonaEngine#recordOutcome(Outcome)}, it feeds the
 * statistics per placement, variant and persona that measure experiments and steer optimized
 * placements.
 *
 * <p>Make one from the {@link VariantChoice} the decision made: {@code Outcome.shown(sessionId,
 * decision.variant("home.hero"))}; or, for outcomes known only by ids, with {@link #builder}. A
 * final class rather than a record, so that what an outcome tells can grow without breaking
 * callers. Immutable and thread-safe; its {@code toString} leaves out the session id.
 *
 * @since 0.2.0
 */
public final class Outcome {
  private final String sessionId;
  private final String placement;
  private final String variant;
  private final @Nullable String segment;
  private final Kind kind;
  private final double value;

  private Outcome(Builder b) {
    this.sessionId = b.sessionId;
    this.placement = b.placement;
    this.variant = b.variant;
    this.segment = b.segment;
    this.kind = b.kind;
    this.value = b.value;
  }

  /**
   * Returns a builder for an outcome of a variant known by its ids.
   *
   * @param kind what happened
   * @param sessionId the session the decision was made for
   * @param placement the placement's id
   * @param variant the variant's id
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder(Kind kind, String sessionId, String placement, String variant) {
    return new Builder(kind, sessionId, placement, variant);
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
   * @throws IllegalArgumentException if the value is negative or not finite
   */
  public static Outcome purchased(String sessionId, VariantChoice choice, double value) {
    return of(sessionId, choice, Kind.PURCHASE, value);
  }

  private static Outcome of(String sessionId, VariantChoice choice, Kind kind, double value) {
    Objects.requireNonNull(choice, "choice");
    return builder(kind, sessionId, choice.placement(), choice.variant())
        .segment(choice.segment())
        .value(value)
        .build();
  }

  /**
   * Returns the session the decision was made for.
   *
   * @return the session id
   */
  public String sessionId() {
    return sessionId;
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
   * Returns the primary persona at decision time.
   *
   * @return the persona id, or null when none was matched
   */
  public @Nullable String segment() {
    return segment;
  }

  /**
   * Returns what happened.
   *
   * @return the kind of outcome
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the order value of a purchase.
   *
   * @return the value; 0 for other outcomes
   */
  public double value() {
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Outcome x
        && sessionId.equals(x.sessionId)
        && placement.equals(x.placement)
        && variant.equals(x.variant)
        && Objects.equals(segment, x.segment)
        && kind == x.kind
        && Double.compare(value, x.value) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sessionId, placement, variant, segment, kind, value);
  }

  /** Returns the kind, placement and variant, without the session id. */
  @Override
  public String toString() {
    return "Outcome{" + kind + " " + placement + "=" + variant + "}";
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

  /**
   * Builds an {@link Outcome}. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final Kind kind;
    private final String sessionId;
    private final String placement;
    private final String variant;
    private @Nullable String segment;
    private double value;

    private Builder(Kind kind, String sessionId, String placement, String variant) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
      this.placement = Objects.requireNonNull(placement, "placement");
      this.variant = Objects.requireNonNull(variant, "variant");
    }

    /**
     * Sets the primary persona at decision time (default none).
     *
     * @param segment the persona id, or null when none was matched
     * @return this builder
     */
    public Builder segment(@Nullable String segment) {
      this.segment = segment;
      return this;
    }

    /**
     * Sets the order value of a purchase (default 0).
     *
     * @param value finite and not negative
     * @return this builder
     * @throws IllegalArgumentException if the value is negative or not finite
     */
    public Builder value(double value) {
      if (!(value >= 0 && Double.isFinite(value))) {
        throw new IllegalArgumentException("value must be finite and not negative, was " + value);
      }
      this.value = value;
      return this;
    }

    /**
     * Builds the outcome.
     *
     * @return the immutable outcome
     */
    public Outcome build() {
      return new Outcome(this);
    }
  }
}
