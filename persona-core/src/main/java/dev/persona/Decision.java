package dev.persona;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the engine decided for one visit, and why: persona scores and the primary persona, the
 * lifecycle segment and journey stage, the variant for every placement, the signals used, the
 * consent mode applied, the rule-set version, readable reasons, and flags for anything that went
 * wrong on the way.
 *
 * <p>A decision is always complete: every persona of the rule set has a score and every placement a
 * variant, even for a {@linkplain #isDefault() default decision}.
 *
 * <p>Every decision has a random {@linkplain #id() id}, which each of its choices carries, so that
 * an outcome recorded twice counts once.
 *
 * <p>Immutable and thread-safe, provided the variants' content is. The maps, the signals and the
 * reasons are built on first use, so a caller that reads only the variants does not pay for them.
 * Its {@code toString} leaves out signal values and the id.
 *
 * @since 0.1.0
 */
public final class Decision {
  private final String id;
  private final String ruleSetVersion;
  private final String[] personaIds;
  private final double[] scores;
  private final @Nullable String persona;
  private final @Nullable String lifecycle;
  private final @Nullable String stage;
  private final Supplier<List<Signal>> signalSource;
  private final VariantChoice[] choices;
  private final ConsentMode consent;
  private final Supplier<List<Reason>> explain;
  private final Set<Flag> flags;
  private Map<String, Double> scoreMap;
  private Map<String, VariantChoice> variantMap;
  private List<Signal> signals;
  private List<Reason> reasons;

  /**
   * Takes ownership of the arrays; the engine hands over ones it no longer touches. The signals and
   * the reasons are made on first use: {@code signals} and {@code explain} must give the same
   * answer every time, {@code signals} in a new list the decision may keep. Each choice carries
   * {@code id}.
   */
  Decision(
      String id,
      String ruleSetVersion,
      String[] personaIds,
      double[] scores,
      @Nullable String persona,
      @Nullable String lifecycle,
      @Nullable String stage,
      Supplier<List<Signal>> signals,
      VariantChoice[] choices,
      ConsentMode consent,
      Supplier<List<Reason>> explain,
      Set<Flag> flags) {
    this.id = id;
    this.ruleSetVersion = ruleSetVersion;
    this.personaIds = personaIds;
    this.scores = scores;
    this.persona = persona;
    this.lifecycle = lifecycle;
    this.stage = stage;
    this.signalSource = signals;
    this.choices = choices;
    this.consent = consent;
    this.explain = explain;
    this.flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
  }

  /**
   * Returns this decision's id: 32 lower-case hex digits, 128 random bits drawn for this decision
   * alone, which say nothing about the session or the user. Each {@linkplain #variants() choice}
   * carries it ({@link VariantChoice#decisionId()}), and the outcomes made from a choice derive
   * their ids from it, so that recording the same outcome of a decision twice, on any instance,
   * counts once. The engine never logs it.
   *
   * @return the id
   * @since 0.4.0
   */
  public String id() {
    return id;
  }

  /**
   * Returns the version of the rule set that made this decision.
   *
   * @return the rule-set version
   */
  public String ruleSetVersion() {
    return ruleSetVersion;
  }

  /**
   * Returns a score in [0, 1] for every persona of the rule set, in declaration order.
   *
   * @return scores by persona id
   */
  public Map<String, Double> scores() {
    Map<String, Double> m = scoreMap;
    if (m == null) {
      Map<String, Double> built = new LinkedHashMap<>();
      for (int i = 0; i < personaIds.length; i++) {
        built.put(personaIds[i], scores[i]);
      }
      m = Collections.unmodifiableMap(built);
      scoreMap = m;
    }
    return m;
  }

  /**
   * Returns one persona's score.
   *
   * @param personaId the persona id
   * @return its score, or 0 for a persona the rule set does not have
   */
  public double score(String personaId) {
    for (int i = 0; i < personaIds.length; i++) {
      if (personaIds[i].equals(personaId)) {
        return scores[i];
      }
    }
    return 0;
  }

  /**
   * Returns the primary persona: the matched persona (score at or above its threshold) with the
   * highest score, the first declared among equals.
   *
   * @return the persona id, or null when no persona is matched
   */
  public @Nullable String persona() {
    return persona;
  }

  /**
   * Returns the lifecycle segment, such as {@code cart_abandoner}.
   *
   * @return the segment, or null when no assignment applied
   */
  public @Nullable String lifecycle() {
    return lifecycle;
  }

  /**
   * Returns the journey stage, such as {@code consideration}.
   *
   * @return the stage, or null when no assignment applied
   */
  public @Nullable String stage() {
    return stage;
  }

  /**
   * Returns every signal used, explicit first, then implicit, then contextual.
   *
   * @return the signals
   */
  public List<Signal> signals() {
    List<Signal> s = signals;
    if (s == null) {
      s = Collections.unmodifiableList(signalSource.get());
      signals = s;
    }
    return s;
  }

  /**
   * Returns the signals of one kind.
   *
   * @param kind the kind
   * @return those signals, in the order used
   */
  public List<Signal> signals(SignalKind kind) {
    List<Signal> out = new ArrayList<>();
    for (Signal s : signals()) {
      if (s.kind() == kind) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Returns the signals grouped by kind; every kind is present, possibly with an empty list.
   *
   * @return signals by kind
   */
  public Map<SignalKind, List<Signal>> signalsByKind() {
    Map<SignalKind, List<Signal>> out = new EnumMap<>(SignalKind.class);
    for (SignalKind k : SignalKind.values()) {
      out.put(k, signals(k));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the signal with the given key, if it was used.
   *
   * @param key the signal key
   * @return the signal, or null when it was not used
   */
  public @Nullable Signal signal(String key) {
    for (Signal s : signals()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Returns the chosen variant of every placement, in declaration order.
   *
   * @return choices by placement id
   */
  public Map<String, VariantChoice> variants() {
    Map<String, VariantChoice> m = variantMap;
    if (m == null) {
      Map<String, VariantChoice> built = new LinkedHashMap<>();
      for (VariantChoice c : choices) {
        built.put(c.placement(), c);
      }
      m = Collections.unmodifiableMap(built);
      variantMap = m;
    }
    return m;
  }

  /**
   * Returns the variant chosen for one placement.
   *
   * @param placementId the placement id
   * @return the choice, or null for a placement the rule set does not have
   */
  public @Nullable VariantChoice variant(String placementId) {
    for (VariantChoice c : choices) {
      if (c.placement().equals(placementId)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Returns the consent mode applied.
   *
   * @return the consent mode
   */
  public ConsentMode consent() {
    return consent;
  }

  /**
   * Returns the reasons, in the order they arose: consent and input first, then rules, assignments
   * and variants.
   *
   * @return the reasons
   */
  public List<Reason> reasons() {
    List<Reason> r = reasons;
    if (r == null) {
      r = List.copyOf(explain.get());
      reasons = r;
    }
    return r;
  }

  /**
   * Returns what went wrong while deciding; empty when nothing did.
   *
   * @return the flags
   */
  public Set<Flag> flags() {
    return flags;
  }

  /**
   * Returns whether this is a default decision: nothing personalized, every placement its default,
   * because the visit was invalid or the engine failed.
   *
   * @return true for a default decision
   */
  public boolean isDefault() {
    return flags.contains(Flag.INVALID_VISIT) || flags.contains(Flag.INTERNAL_ERROR);
  }

  /** Returns the outcome in one line, without signal values or ids. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Decision{ruleSet=").append(ruleSetVersion);
    sb.append(", persona=").append(persona).append(", lifecycle=").append(lifecycle);
    sb.append(", stage=").append(stage).append(", consent=").append(consent);
    sb.append(", variants={");
    String sep = "";
    for (VariantChoice c : choices) {
      sb.append(sep).append(c.placement()).append('=').append(c.variant());
      sep = ", ";
    }
    sb.append('}');
    if (!flags.isEmpty()) {
      sb.append(", flags=").append(flags);
    }
    return sb.append('}').toString();
  }

  /**
   * Something that went wrong while deciding. The decision is still complete. Thread-safe: an enum.
   *
   * @since 0.1.0
   */
  public enum Flag {
    /** The visit had no usable session id; this is a default decision. */
    INVALID_VISIT,
    /** Some input exceeded a {@link Limits limit} and was truncated or dropped. */
    INPUT_TRUNCATED,
    /** Some input had the wrong type or could not be used, and was left out. */
    INPUT_REJECTED,
    /** A signal extractor threw; its signals are missing. */
    EXTRACTOR_FAILED,
    /** The session store threw; the session's stored state was not used or not saved. */
    STORE_FAILED,
    /**
     * The session store could not serve the session in time or could not read it, and offered its
     * local copy instead (a {@link dev.persona.spi.SessionStoreException}); the decision went on
     * with that copy, which may be stale, and this request's behaviour. Whether the change is
     * written later is up to the store: {@code RedisSessionStore} queues it and writes it when
     * Redis answers.
     *
     * @since 0.2.0
     */
    STORE_DEGRADED,
    /**
     * A time ran ahead of the engine's clock by more than {@link
     * dev.persona.config.SessionConfig#clockTolerance()}: the visit's timestamp, taken as now; or
     * the session's latest visit, written by an instance whose clock runs ahead (or by this one
     * before its clock stepped back), whose clock was brought back to now.
     *
     * @since 0.3.0
     */
    CLOCK_AHEAD,
    /** The engine itself failed; this is a default decision. */
    INTERNAL_ERROR,
    /**
     * A placement of this decision that runs an experiment or is optimized has chosen for at least
     * 1,000 decisions on this engine, or for its first one 10 minutes ago or more, and no exposure
     * of it was ever recorded ({@link PersonaEngine#recordOutcome} with {@link Outcome#shown}), on
     * this engine nor in the stats store's totals: its statistics stay empty and, if optimized, it
     * stays uniform. The reason names the placement. Counted in {@link
     * EngineStats#unexposedChoices()}; gone once one exposure of the placement is recorded.
     *
     * @since 0.5.0
     */
    EXPOSURES_MISSING
  }
}
