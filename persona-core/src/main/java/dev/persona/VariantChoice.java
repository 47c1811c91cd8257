package dev.persona;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The variant chosen for one placement, and how it was chosen. A final class rather than a record,
 * so that what a choice tells can grow without breaking callers; the engine makes choices, and
 * {@link #builder} makes one for a test.
 *
 * <p>A choice the engine made carries its decision's {@linkplain #decisionId() id}, from which the
 * outcomes made with it derive theirs. Two choices are equal when they chose the same variant in
 * the same way: the decision id, different for every decision, is not compared.
 *
 * <p>Immutable and thread-safe, provided the content is. Its {@code toString} leaves out the
 * content and the decision id.
 *
 * @since 0.1.0
 */
public final class VariantChoice {
  private final String placement;
  private final String variant;
  private final @Nullable Object content;
  private final Basis basis;
  private final @Nullable String persona;
  private final double fit;
  private final @Nullable String segment;
  private final boolean holdout;
  private final @Nullable String decisionId;
  private final @Nullable String experiment;
  private final double probability;
  private final boolean counted;
  private final boolean tracked;

  private VariantChoice(Builder b) {
    this.placement = b.placement;
    this.variant = b.variant;
    this.content = b.content;
    this.basis = b.basis;
    this.persona = b.persona;
    this.fit = b.fit;
    this.segment = b.segment;
    this.holdout = b.holdout;
    this.decisionId = b.decisionId;
    this.experiment = b.experiment;
    this.probability = b.probability;
    this.counted = b.counted && b.basis != Basis.FORCED;
    this.tracked = b.tracked;
  }

  /**
   * Returns a builder for a choice of {@code variant} in {@code placement}.
   *
   * @param placement the placement's id
   * @param variant the chosen variant's id
   * @param basis why this variant
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder(String placement, String variant, Basis basis) {
    return new Builder(placement, variant, basis);
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
   * Returns the chosen variant's id; in an experiment, the visitor's arm.
   *
   * @return the variant
   */
  public String variant() {
    return variant;
  }

  /**
   * Returns the variant's content, exactly as the rule set gave it.
   *
   * @return the content, or null when the variant has none
   */
  public @Nullable Object content() {
    return content;
  }

  /**
   * Returns why this variant was chosen.
   *
   * @return the basis
   */
  public Basis basis() {
    return basis;
  }

  /**
   * Returns the matched persona the variant was chosen for, when its basis is {@link
   * Basis#PERSONA}.
   *
   * @return the persona id, or null for any other basis
   */
  public @Nullable String persona() {
    return persona;
  }

  /**
   * Returns the variant's fit: weight times the persona's score, or the weight alone.
   *
   * @return the fit; 0 for the default and for variants chosen by experiment, optimization or force
   */
  public double fit() {
    return fit;
  }

  /**
   * Returns the decision's primary persona, the segment that outcomes and optimized placements are
   * counted in.
   *
   * @return the persona id, or null when no persona was matched
   */
  public @Nullable String segment() {
    return segment;
  }

  /**
   * Returns whether the visitor is in the personalization holdout, which always sees defaults.
   *
   * @return true in the holdout
   */
  public boolean holdout() {
    return holdout;
  }

  /**
   * Returns the {@linkplain Decision#id() id of the decision} that made this choice. {@link
   * Outcome#shown Outcome.shown} and the other outcomes of this choice derive their ids from it.
   *
   * @return the decision's id, or null for a choice built without one
   * @since 0.4.0
   */
  public @Nullable String decisionId() {
    return decisionId;
  }

  /**
   * Returns the id of the experiment whose arm this variant is, when its basis is {@link
   * Basis#EXPERIMENT}. The arm is the variant: an experiment's arms show distinct variants.
   *
   * @return the experiment's id, or null for any other basis
   * @since 0.5.0
   */
  public @Nullable String experiment() {
    return experiment;
  }

  /**
   * Returns the probability with which a decision in this one's situation (the same rule set,
   * signals and statistics, the visitor's id taken at random) chooses this variant on this basis:
   * the propensity that inverse-propensity estimates weigh by. The holdout's hash and an
   * experiment's are independent, so, with {@code h} the holdout's share:
   *
   * <ul>
   *   <li>{@link Basis#HOLDOUT}: {@code h}, exact;
   *   <li>{@link Basis#EXPERIMENT}: {@code (1 - h) × w}, {@code w} the arm's share of the buckets,
   *       exact; for an arm a sticky experiment remembers, the arm's current share, though the
   *       visitor was given it by the split of its time;
   *   <li>{@link Basis#PERSONA}, {@link Basis#CONDITION}, {@link Basis#DEFAULT}: {@code 1 - h},
   *       exact (the variant follows from the signals), times the share outside every arm in a
   *       placement running an experiment; 1 for a decision made without the holdout (a default
   *       decision, an invalid visit);
   *   <li>{@link Basis#OPTIMIZED}: {@code (1 - h) × q}, {@code q} the probability of the sample:
   *       {@code 1 / n} during warm-up among {@code n} eligible variants, else {@code ε / n + (1 -
   *       ε) × P(best)}, {@code ε} the exploration share and {@code P(best)} the probability that
   *       this variant's Beta posterior gives the highest draw, on the statistics the draw used. It
   *       is an estimate within 1e-5 (deterministic numerical integration, as {@link
   *       VariantEstimate} makes), computed once per placement, segment and set of eligible
   *       variants per statistics refresh;
   *   <li>{@link Basis#FORCED}: 1.
   * </ul>
   *
   * @return the probability, in [0, 1]; NaN for a choice built without one
   * @since 0.5.0
   */
  public double probability() {
    return probability;
  }

  /**
   * Returns whether outcomes of this choice count in the statistics: false for a choice {@link
   * Basis#FORCED} for QA and for every choice of a bot's decision (device {@code bot}), which
   * {@link PersonaEngine#recordOutcome} ignores.
   *
   * @return true if its outcomes are counted
   * @since 0.5.0
   */
  public boolean counted() {
    return counted;
  }

  /**
   * Returns whether the decision kept the visit in its session's state: consent allowed it ({@link
   * ConsentMode#FULL}) and the visitor is not a bot. An exposure of a tracked choice ({@link
   * Outcome#tracked()}) is kept in the session's state even when it reaches a shared store before
   * the decision's own change does, so that a later purchase is credited to it.
   *
   * @return true if the decision kept the visit in its session
   * @since 0.5.0
   */
  public boolean tracked() {
    return tracked;
  }

  /**
   * Compares what was chosen and how; not the {@linkplain #decisionId() decision id} nor the
   * {@linkplain #probability() probability}, which moves with the statistics.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VariantChoice c
        && placement.equals(c.placement)
        && variant.equals(c.variant)
        && Objects.equals(content, c.content)
        && basis == c.basis
        && Objects.equals(persona, c.persona)
        && Double.compare(fit, c.fit) == 0
        && Objects.equals(segment, c.segment)
        && holdout == c.holdout
        && Objects.equals(experiment, c.experiment)
        && counted == c.counted
        && tracked == c.tracked;
  }

  /** Hashes what {@link #equals} compares. */
  @Override
  public int hashCode() {
    return Objects.hash(
        placement,
        variant,
        content,
        basis,
        persona,
        fit,
        segment,
        holdout,
        experiment,
        counted,
        tracked);
  }

  /** Returns the placement, variant and how it was chosen, without the content or ids. */
  @Override
  public String toString() {
    return "VariantChoice{"
        + placement
        + "="
        + variant
        + ", basis="
        + basis
        + (persona == null ? "" : ", persona=" + persona)
        + ", fit="
        + fit
        + (segment == null ? "" : ", segment=" + segment)
        + (holdout ? ", holdout" : "")
        + (experiment == null ? "" : ", experiment=" + experiment)
        + ", probability="
        + probability
        + (counted ? "" : ", not counted")
        + (tracked ? ", tracked" : "")
        + "}";
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

  /**
   * Builds a {@link VariantChoice}. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final String placement;
    private final String variant;
    private final Basis basis;
    private @Nullable Object content;
    private @Nullable String persona;
    private double fit;
    private @Nullable String segment;
    private boolean holdout;
    private @Nullable String decisionId;
    private @Nullable String experiment;
    private double probability = Double.NaN;
    private boolean counted = true;
    private boolean tracked;

    private Builder(String placement, String variant, Basis basis) {
      this.placement = Objects.requireNonNull(placement, "placement");
      this.variant = Objects.requireNonNull(variant, "variant");
      this.basis = Objects.requireNonNull(basis, "basis");
    }

    /**
     * Sets the variant's content (default none).
     *
     * @param content the content, or null
     * @return this builder
     */
    public Builder content(@Nullable Object content) {
      this.content = content;
      return this;
    }

    /**
     * Sets the matched persona the variant was chosen for (default none).
     *
     * @param persona the persona id, or null
     * @return this builder
     */
    public Builder persona(@Nullable String persona) {
      this.persona = persona;
      return this;
    }

    /**
     * Sets the fit (default 0).
     *
     * @param fit the fit
     * @return this builder
     */
    public Builder fit(double fit) {
      this.fit = fit;
      return this;
    }

    /**
     * Sets the decision's primary persona (default none).
     *
     * @param segment the persona id, or null when no persona was matched
     * @return this builder
     */
    public Builder segment(@Nullable String segment) {
      this.segment = segment;
      return this;
    }

    /**
     * Sets whether the visitor is in the holdout (default false).
     *
     * @param holdout true in the holdout
     * @return this builder
     */
    public Builder holdout(boolean holdout) {
      this.holdout = holdout;
      return this;
    }

    /**
     * Sets the id of the decision that made the choice (default none).
     *
     * @param decisionId the decision's id, or null
     * @return this builder
     * @since 0.4.0
     */
    public Builder decisionId(@Nullable String decisionId) {
      this.decisionId = decisionId;
      return this;
    }

    /**
     * Sets the experiment whose arm the variant is (default none).
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
     * Sets the probability with which the variant was chosen on its basis (default NaN, unknown).
     *
     * @param probability in [0, 1], or NaN
     * @return this builder
     * @throws IllegalArgumentException if it is outside [0, 1]
     * @since 0.5.0
     */
    public Builder probability(double probability) {
      if (!(probability >= 0 && probability <= 1) && !Double.isNaN(probability)) {
        throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
      }
      this.probability = probability;
      return this;
    }

    /**
     * Sets whether outcomes of the choice count in the statistics (default true; always false for
     * {@link Basis#FORCED}).
     *
     * @param counted false for a bot's choice
     * @return this builder
     * @since 0.5.0
     */
    public Builder counted(boolean counted) {
      this.counted = counted;
      return this;
    }

    /**
     * Sets whether the decision kept the visit in its session's state (default false).
     *
     * @param tracked true if the decision kept the visit
     * @return this builder
     * @since 0.5.0
     */
    public Builder tracked(boolean tracked) {
      this.tracked = tracked;
      return this;
    }

    /**
     * Builds the choice.
     *
     * @return the immutable choice
     */
    public VariantChoice build() {
      return new VariantChoice(this);
    }
  }
}
