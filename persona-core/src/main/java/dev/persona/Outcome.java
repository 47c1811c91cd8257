package dev.persona;

import java.util.Locale;
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
 * callers.
 *
 * <p><b>Counted once.</b> An outcome has an {@linkplain #id() id}: one the caller gives, such as an
 * order id, or else one derived from the choice's {@linkplain VariantChoice#decisionId() decision
 * id}, placement and kind. The statistics count an outcome once per id, placement and kind:
 * recording it again, after a retry, a timeout or on another instance sharing the store, changes
 * nothing (within the store's window of remembered ids: {@link dev.persona.spi.StatsStore}). So a
 * decision's placement shown twice is one exposure, and one order credited to two placements is one
 * purchase of each. An outcome without an id counts every time it is recorded.
 *
 * <p>Immutable and thread-safe; its {@code toString} leaves out the session id and the id.
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
  private final @Nullable String id;
  private final VariantChoice.@Nullable Basis basis;
  private final @Nullable String experiment;
  private final boolean counted;
  private final boolean tracked;
  private final @Nullable String decisionId;

  private Outcome(Builder b) {
    this.sessionId = b.sessionId;
    this.placement = b.placement;
    this.variant = b.variant;
    this.segment = b.segment;
    this.kind = b.kind;
    this.value = b.value;
    this.id = b.id;
    this.basis = b.basis;
    this.experiment = b.experiment;
    this.counted = b.counted && b.basis != VariantChoice.Basis.FORCED;
    this.tracked = b.tracked;
    this.decisionId = b.decisionId;
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
   * Returns a builder for an outcome of a choice the decision made, with its placement, variant,
   * segment, {@linkplain VariantChoice#basis() basis}, experiment and whether it is {@linkplain
   * VariantChoice#counted() counted}, and the id derived from its decision (as {@link #shown} and
   * the others make), which {@link Builder#id} may replace: {@code Outcome.builder(Kind.PURCHASE,
   * sessionId, choice).value(59.9).id(orderId).build()}.
   *
   * @param kind what happened
   * @param sessionId the session the decision was made for
   * @param choice the choice the decision made
   * @return a new builder
   * @since 0.4.0
   */
  public static Builder builder(Kind kind, String sessionId, VariantChoice choice) {
    Objects.requireNonNull(choice, "choice");
    Builder b =
        new Builder(kind, sessionId, choice.placement(), choice.variant())
            .segment(choice.segment())
            .basis(choice.basis())
            .experiment(choice.experiment());
    b.counted = choice.counted();
    b.tracked = choice.tracked();
    String decision = choice.decisionId();
    b.decisionId = decision;
    b.id = decision == null ? null : derivedId(decision, kind, choice.placement());
    return b;
  }

  /** The id of an outcome of a decision's choice: distinct per decision, kind and placement. */
  private static String derivedId(String decisionId, Kind kind, String placement) {
    return decisionId + ':' + kind.name().toLowerCase(Locale.ROOT) + ':' + placement;
  }

  /**
   * The variant was shown to the shopper. The outcome's id is derived from the choice's decision
   * id, placement and kind, so that showing a decision's placement twice is one exposure; likewise
   * for the other factories.
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
   * The shopper bought after seeing the variant. To count an order once however it arrives, as this
   * outcome or as a {@code purchase} event with the same {@code order_id}, give its order id:
   * {@code Outcome.builder(Kind.PURCHASE, sessionId, choice).value(value).id(orderId).build()}.
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
    return builder(kind, sessionId, choice).value(value).build();
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
   * Returns how the variant was chosen, which the statistics keep apart.
   *
   * @return the basis, or null when unknown
   * @since 0.5.0
   */
  public VariantChoice.@Nullable Basis basis() {
    return basis;
  }

  /**
   * Returns the experiment whose arm the variant was, for the basis {@link
   * VariantChoice.Basis#EXPERIMENT}.
   *
   * @return the experiment's id, or null
   * @since 0.5.0
   */
  public @Nullable String experiment() {
    return experiment;
  }

  /**
   * Returns whether the statistics count this outcome: false for the outcomes of a choice that is
   * not {@linkplain VariantChoice#counted() counted} (forced for QA, or a bot's) and for the basis
   * {@link VariantChoice.Basis#FORCED}. {@link PersonaEngine#recordOutcome} ignores an outcome not
   * counted.
   *
   * @return true if it is counted
   * @since 0.5.0
   */
  public boolean counted() {
    return counted;
  }

  /**
   * Returns whether the decision this outcome follows kept the visit in its session's state (the
   * choice's {@link VariantChoice#tracked()}). An exposure that is tracked is kept in the session's
   * state even when the session has none yet, as when the decision's own change has not reached a
   * shared store: a later purchase is then credited to it. An exposure that is not tracked is kept
   * only in a state the session already has, so that nothing is stored for a session whose visits
   * are not (under {@code Sec-GPC} or without consent).
   *
   * @return true if the decision kept its visit
   * @since 0.5.0
   */
  public boolean tracked() {
    return tracked;
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
   * Returns the id that makes this outcome count once per placement and kind: the one {@linkplain
   * Builder#id given}, or else {@code <decision id>:<kind>:<placement>} (the kind in lower case)
   * when it was made from a choice with a decision id.
   *
   * @return the id, or null when the outcome has none and counts every time it is recorded
   * @since 0.4.0
   */
  public @Nullable String id() {
    return id;
  }

  /**
   * Returns the {@linkplain Decision#id() id of the decision} whose choice this outcome follows,
   * which joins it to that decision in a {@linkplain dev.persona.log.DecisionLog decision log}; it
   * stays when {@link Builder#id} replaces the outcome's own id with an order id.
   *
   * @return the decision's id, or null for an outcome built from ids without a choice
   * @since 0.5.0
   */
  public @Nullable String decisionId() {
    return decisionId;
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
        && Double.compare(value, x.value) == 0
        && Objects.equals(id, x.id)
        && basis == x.basis
        && Objects.equals(experiment, x.experiment)
        && counted == x.counted
        && tracked == x.tracked
        && Objects.equals(decisionId, x.decisionId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        sessionId,
        placement,
        variant,
        segment,
        kind,
        value,
        id,
        basis,
        experiment,
        counted,
        tracked,
        decisionId);
  }

  /** Returns the kind, placement and variant, without the session id or the ids. */
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
    private @Nullable String id;
    private VariantChoice.@Nullable Basis basis;
    private @Nullable String experiment;
    private boolean counted = true;
    private boolean tracked;
    private @Nullable String decisionId;

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
     * Sets how the variant was chosen (default: unknown, or the choice's), so that the outcome is
     * counted with the choices of that basis: give an outcome built from ids the basis of the
     * choice it follows, or optimized placements, which learn only from the outcomes of their own
     * choices ({@link VariantChoice.Basis#OPTIMIZED}), do not learn from it.
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
     * Sets the experiment whose arm the variant was (default: none, or the choice's).
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
     * Sets whether the decision the outcome follows kept the visit in its session's state (default
     * false, or the choice's {@link VariantChoice#tracked()}): an outcome known by ids can carry it
     * from the page that showed the variant.
     *
     * @param tracked the choice's {@link VariantChoice#tracked()}
     * @return this builder
     * @since 0.5.0
     */
    public Builder tracked(boolean tracked) {
      this.tracked = tracked;
      return this;
    }

    /**
     * Sets the id of the decision whose choice the outcome follows (default: none, or the
     * choice's), so that an outcome known by ids joins its decision in a {@linkplain
     * dev.persona.log.DecisionLog decision log}. It does not change the outcome's own {@link #id}.
     *
     * @param decisionId the {@linkplain Decision#id() decision's id}, or null
     * @return this builder
     * @since 0.5.0
     */
    public Builder decisionId(@Nullable String decisionId) {
      this.decisionId = decisionId;
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
     * Sets the outcome's id, such as an order id for a purchase (default: none, or the id derived
     * from the choice's decision for {@link Outcome#builder(Kind, String, VariantChoice)}). The
     * statistics count an outcome once per id, placement and kind. The engine refuses an outcome
     * whose id is longer than {@link dev.persona.config.Limits#maxOutcomeIdLength()}; the stores
     * keep only a digest of it.
     *
     * @param id a non-empty id, or null for none: the outcome then counts every time it is recorded
     * @return this builder
     * @throws IllegalArgumentException if the id is empty
     * @since 0.4.0
     */
    public Builder id(@Nullable String id) {
      if (id != null && id.isEmpty()) {
        throw new IllegalArgumentException("id must not be empty");
      }
      this.id = id;
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
