package dev.persona;

import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.PredictionConfig;
import dev.persona.config.ProfileConfig;
import dev.persona.config.SessionConfig;
import dev.persona.internal.context.BuiltInExtractors;
import dev.persona.internal.engine.Engine;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.signals.BuiltInSignals;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import dev.persona.spi.SessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The per-request personalization engine: turns a {@link Visit} into signals, scores personas with
 * a {@link RuleSet}, and picks a variant for every placement, in a {@link Decision} that says why.
 *
 * <p>Build one at start-up and share it; configuration is grouped by concern, each group with its
 * own defaults:
 *
 * <pre>{@code
 * PersonaEngine engine = PersonaEngine.builder()
 *     .ruleSet(rules)
 *     .context(ContextConfig.builder().timeZone(ZoneId.of("Europe/Warsaw")).build())
 *     .sessions(SessionConfig.store(sharedStore).build())
 *     .build();
 *
 * Decision decision = engine.decide(visit);            // on every request
 * VariantChoice hero = decision.variant("home.hero");
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any number of threads at once. Requests of the
 * same session may run in parallel without losing events, as long as the {@link SessionStore} keeps
 * its contract. {@link #decide} never throws for anything a visit can contain; a failure becomes a
 * flagged decision instead.
 *
 * <p>Custom code cannot hold up a request for long: each {@link dev.persona.spi.DecisionListener}
 * is told on its own thread, and custom extractors and a custom session store run with a
 * {@linkplain ExtensionConfig.Builder#callTimeout time limit}. An engine without listeners, custom
 * extractors or a custom store starts no thread. {@linkplain #close() Close} an engine that has
 * listeners when it is no longer needed, so that they are told of the last decisions.
 *
 * @since 0.1.0
 */
public final class PersonaEngine implements AutoCloseable {
  /** How long {@link #close()} waits for listeners, in all. */
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Engine engine;

  private PersonaEngine(Engine engine) {
    this.engine = engine;
  }

  /**
   * Returns a builder for an engine.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the explicit and implicit signals every engine knows, and the contextual signals of the
   * built-in extractors.
   *
   * @return built-in signal declarations
   */
  public static List<SignalSpec> builtInSignals() {
    List<SignalSpec> out = new ArrayList<>(BuiltInSignals.all());
    out.addAll(BuiltInExtractors.specs());
    return List.copyOf(out);
  }

  /**
   * Checks a rule set as building or reloading an engine that knows {@code signals} would: every
   * condition must test a known signal, or one the rule set declares, with a test that suits its
   * type. For validating a rule set without building an engine, as {@code persona validate} does.
   *
   * @param ruleSet the rule set
   * @param signals the signals the engine would know, such as {@link #builtInSignals()} and those
   *     of custom extractors
   * @throws RuleSetException listing every unknown key and type mismatch
   * @since 0.3.0
   */
  public static void verify(RuleSet ruleSet, Collection<SignalSpec> signals) {
    CompiledRuleSet.check(
        Objects.requireNonNull(ruleSet, "ruleSet"), Objects.requireNonNull(signals, "signals"));
  }

  /**
   * Decides for one visit. Never throws for anything a visit can contain: an invalid visit or an
   * internal failure gets a {@linkplain Decision#isDefault() default decision}, and a failing or
   * stalled extractor or store costs only its own part, flagged on the decision. Listeners are told
   * of the decision on their own threads, so they never delay it. After {@link #close()}, still
   * decides, but tells no listener and calls no time-limited extractor or store (their parts are
   * missing, flagged).
   *
   * @param visit the visit; null gets a default decision
   * @return the decision, never null
   */
  public Decision decide(@Nullable Visit visit) {
    return engine.decide(visit);
  }

  /**
   * Records what happened after a decision: an exposure, a click, an add to cart or a purchase. It
   * counts in the {@linkplain #variantStats() statistics} of the choice's placement, variant and
   * segment, which optimized placements learn from. An exposure is also remembered in the session
   * (if the engine keeps state for it), so that purchases and adds to cart arriving as events of
   * later visits within the {@linkplain ExperimentConfig.Builder#attributionWindow attribution
   * window} are credited to it automatically; record those outcomes here only when they do not
   * arrive as events, or with the event's {@code order_id} as their {@linkplain Outcome#id() id}.
   *
   * <p>An outcome counts once per {@linkplain Outcome#id() id}, placement and kind: recording it
   * again, here or on another instance sharing the stats store, changes no statistics (within the
   * store's window of remembered ids). An outcome whose id is longer than {@link
   * Limits#maxOutcomeIdLength()}, or whose session id is longer than {@link
   * Limits#maxSessionIdLength()}, is refused, counted in {@link EngineStats#truncatedInputs()}.
   *
   * <p>Only what the rule set in use has is taken: an outcome whose placement it lacks, whose
   * variant is not one of that placement's, or whose segment is neither null nor one of its persona
   * ids is refused, counted in {@link EngineStats#refusedOutcomes()}, and neither stored nor
   * remembered in the session. The rule set is the one in use when the outcome is recorded: after a
   * {@linkplain #reload reload} that removed a placement or variant, outcomes of decisions made
   * before it that name them are refused, and so are the automatic credits of exposures of them
   * recorded before it; those of placements and variants the new rule set keeps count as before.
   * Likewise, an outcome or credit of a placement whose experiment has a {@linkplain
   * dev.persona.ruleset.Experiment#start() start} or end is refused before the start and from the
   * end, by the engine's clock, also when its decision was made while the experiment ran.
   *
   * <p><b>Automatic attribution</b> credits a {@code purchase} (or {@code add_to_cart}) event once
   * to each placement that had an exposure recorded in the session at or before the event, within
   * the attribution window: to that placement's latest such exposure, its variant and segment, with
   * the event's {@code value}. Several exposures of one placement earn one credit; a placement
   * never shown earns none. Its id is the event's {@code order_id} when it has one, so that the
   * event sent again, and a purchase recorded here with {@link Outcome.Builder#id} set to the same
   * order id, add nothing more.
   *
   * <p><b>Listeners</b> are told of each outcome counted here and of each automatic credit ({@link
   * dev.persona.spi.DecisionListener#onOutcome}), once per id, kind and placement, through their
   * queues: a {@link dev.persona.log.DecisionLog} among them writes them all. A credit carries the
   * {@linkplain Outcome#decisionId() decision id} of the exposure it was credited to.
   *
   * <p>Never throws for a failing store: the failure is counted in {@link EngineStats} and logged.
   *
   * @param outcome what happened
   * @throws NullPointerException if outcome is null
   */
  public void recordOutcome(Outcome outcome) {
    engine.recordOutcome(outcome);
  }

  /**
   * Returns the outcome statistics per placement, variant and segment, read from the stats store.
   *
   * @return a snapshot; empty if the store failed (the failure is counted)
   */
  public List<VariantStats> variantStats() {
    return engine.variantStats();
  }

  /**
   * Returns, per placement, variant and segment, the conversion rate with its 95% credible
   * interval, the probability to be the best of the placement's variants in the segment and the
   * expected loss: {@link VariantEstimate#of} of a {@linkplain #variantStats() snapshot}.
   *
   * @param goal the outcome counted as a conversion: clicks, adds to cart or purchases
   * @return the estimates; empty if the store failed (the failure is counted)
   * @throws IllegalArgumentException if the goal is {@link Outcome.Kind#EXPOSURE}
   * @since 0.5.0
   */
  public List<VariantEstimate> variantEstimates(Outcome.Kind goal) {
    return VariantEstimate.of(engine.variantStats(), goal);
  }

  /**
   * Returns, per experiment of the current rule set, each arm's exposures and the sample-ratio
   * mismatch test: {@link ExperimentReading#of} of a {@linkplain #variantStats() snapshot}.
   *
   * @return the readings; without exposures if the store failed (the failure is counted)
   * @since 0.5.0
   */
  public List<ExperimentReading> experimentReadings() {
    return ExperimentReading.of(engine.variantStats(), engine.ruleSet());
  }

  /**
   * Returns, per placement the holdout saw, the conversion rate outside the holdout against the
   * holdout's, with the lift's 95% credible interval: {@link HoldoutLift#of} of a {@linkplain
   * #variantStats() snapshot}.
   *
   * @param goal the outcome counted as a conversion: clicks, adds to cart or purchases
   * @return the lifts; empty if the store failed (the failure is counted)
   * @throws IllegalArgumentException if the goal is {@link Outcome.Kind#EXPOSURE}
   * @since 0.5.0
   */
  public List<HoldoutLift> holdoutLifts(Outcome.Kind goal) {
    return HoldoutLift.of(engine.variantStats(), goal);
  }

  /**
   * Looks at what the engine holds for a session, for support and debugging: the raw total and the
   * decayed value now of each behaviour count, the declared attributes and consent, when it was
   * first and last seen, the products recently viewed and in the open cart, the weights of
   * categories and brands, and its arms of sticky experiments. For a signed-in shopper, what their
   * profile holds is shown by {@link #inspectUser}. The look is not a request: it counts no visit
   * or decision, changes neither the session's last visit nor its idle time (the in-memory store is
   * not told of an access), writes nothing to the session store and tells no listener, so that a
   * decision after it sees exactly what it would have seen without it.
   *
   * <p>It shows only what a decision would use: nothing for a session the engine holds no state
   * for, one idle beyond the {@linkplain SessionConfig.Builder#idleTimeout idle timeout}, or an id
   * longer than {@link Limits#maxSessionIdLength()}; for a session that denied consent, the denial
   * alone, as that is all the session keeps. A custom session store is read with its plain {@link
   * SessionStore#get get}, within the call time limit; a failure is counted in {@link
   * EngineStats#storeFailures()} and the store's fallback, if any, shown.
   *
   * @param sessionId the session id
   * @return the session's snapshot, or null when there is nothing to show
   * @throws NullPointerException if sessionId is null
   * @since 0.5.0
   */
  public @Nullable SessionSnapshot inspect(String sessionId) {
    return engine.inspect(sessionId);
  }

  /**
   * Looks at what the engine keeps about a signed-in user across sessions and devices: their
   * {@linkplain ProfileConfig profile}, as {@link #inspect} shows a session. The snapshot holds the
   * profile's behaviour counts (raw totals, and decayed values now by the profile's half-life),
   * requests and cart items of every session it took in, the declared attributes and consent, the
   * products recently viewed and in the open cart, the weights of categories and brands, when the
   * user was first and last seen and {@linkplain SessionSnapshot#sessions() how many sessions} the
   * profile took in; no arms, which stay with the sessions. For a user who denied consent, the
   * denial alone, as that is all the profile keeps. Use it to show a shopper, or support, what is
   * kept about them; {@link #forgetUser} erases it.
   *
   * <p>Like {@link #inspect}, the look is not a request: it changes nothing, counts nothing and
   * tells no listener. It shows nothing when the engine keeps no profiles ({@link
   * ProfileConfig#off()}), for a user without one, one untouched beyond the profile's {@linkplain
   * ProfileConfig.Builder#timeToLive time to live}, or an id longer than {@link
   * Limits#maxUserIdLength()}. A profile store of your own is read with its plain {@link
   * SessionStore#get get}, within the call time limit; a failure is counted in {@link
   * EngineStats#storeFailures()} and the store's fallback, if any, shown.
   *
   * @param userId the user id, as passed to {@link Visit.Builder#userId}
   * @return the profile's snapshot, or null when there is nothing to show
   * @throws NullPointerException if userId is null
   * @since 0.5.0
   */
  public @Nullable SessionSnapshot inspectUser(String userId) {
    return engine.inspectUser(userId);
  }

  /**
   * Erases everything stored for a session. Waits for the session store without the {@linkplain
   * ExtensionConfig.Builder#callTimeout call timeout}: an erasure is reported only once done.
   *
   * @param sessionId the session id
   * @throws NullPointerException if sessionId is null
   * @throws RuntimeException whatever the session store throws, so that a failed erasure is not
   *     mistaken for a done one
   */
  public void forget(String sessionId) {
    engine.forget(sessionId);
  }

  /**
   * Erases everything stored for the sessions a signed-in user was seen in: the sessions of visits
   * that carried {@code userId} on this engine (up to 32 most recent ones per user, for as long as
   * sessions are kept), and those the session store {@linkplain SessionStore#linkUser linked} to
   * the user on any instance ({@code RedisSessionStore} does; the in-memory store is this engine's
   * own), and the user's profile ({@link ProfileConfig}), in its store; with a shared profile
   * store, on every instance.
   *
   * <p>Like {@link #forget}, waits for the session and profile stores without the call timeout; the
   * profile is erased also when erasing the sessions failed.
   *
   * @param userId the user id
   * @return how many sessions were erased
   * @throws NullPointerException if userId is null
   * @throws RuntimeException whatever the session or profile store throws
   */
  public int forgetUser(String userId) {
    return engine.forgetUser(userId);
  }

  /**
   * Replaces the rule set. Decisions under way finish with the rule set they started with; later
   * ones use the new one. A rule set that does not compile changes nothing.
   *
   * @param ruleSet the new rule set
   * @throws RuleSetException listing every problem, if it does not compile against this engine's
   *     signals
   */
  public void reload(RuleSet ruleSet) {
    engine.reload(ruleSet);
  }

  /**
   * Returns the rule set in use.
   *
   * @return the current rule set
   */
  public RuleSet ruleSet() {
    return engine.ruleSet();
  }

  /**
   * Returns every signal this engine knows: built-in ones, its extractors' and its rule set's.
   *
   * @return signal declarations
   */
  public List<SignalSpec> signals() {
    return engine.signals();
  }

  /**
   * Returns the engine's counters since it was built.
   *
   * @return a snapshot of the counters
   */
  public EngineStats stats() {
    return engine.stats();
  }

  /**
   * Stops the engine's threads: the automatic credits waiting are recorded, and each listener is
   * told of the decisions and outcomes already queued for it, for at most one second in all (what
   * is left then is dropped and counted), and the threads of custom extractors and stores are
   * interrupted. Does not close the stores the engine was given. Later calls of {@code close} do
   * nothing. The engine still decides after it, with the parts named in {@link #decide}.
   */
  @Override
  public void close() {
    engine.close(CLOSE_WAIT_NANOS);
  }

  /** Returns the rule-set version in use, and nothing of the engine's state. */
  @Override
  public String toString() {
    return "PersonaEngine{ruleSet=" + engine.version() + "}";
  }

  /**
   * Builds a {@link PersonaEngine}: a rule set, and for each concern a configuration whose defaults
   * apply when it is not given. Each setter checks its argument at once; {@link #build()} checks
   * the combination. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable RuleSet ruleSet;
    private SessionConfig sessions = SessionConfig.defaults();
    private @Nullable ProfileConfig profiles;
    private ContextConfig context = ContextConfig.defaults();
    private ExperimentConfig experiments = ExperimentConfig.defaults();
    private ExtensionConfig extensions = ExtensionConfig.defaults();
    private Limits limits = Limits.defaults();
    private @Nullable PredictionConfig prediction;
    private boolean requireConsent;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the rule set; required.
     *
     * @param ruleSet the rule set
     * @return this builder
     */
    public Builder ruleSet(RuleSet ruleSet) {
      this.ruleSet = Objects.requireNonNull(ruleSet, "ruleSet");
      return this;
    }

    /**
     * Sets where sessions are kept and for how long (default {@link SessionConfig#defaults()}: in
     * memory, 100,000 sessions, 30 idle minutes).
     *
     * @param sessions the session configuration
     * @return this builder
     * @since 0.3.0
     */
    public Builder sessions(SessionConfig sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
      return this;
    }

    /**
     * Sets whether and where signed-in users' profiles are kept (default: in memory, 100,000
     * profiles, 180 days, when sessions are kept in memory; none when sessions are in a store of
     * your own, which then needs {@link ProfileConfig#store} to share profiles too).
     *
     * @param profiles the profile configuration, or {@link ProfileConfig#off()}
     * @return this builder
     * @since 0.5.0
     */
    public Builder profiles(ProfileConfig profiles) {
      this.profiles = Objects.requireNonNull(profiles, "profiles");
      return this;
    }

    /**
     * Sets how the built-in extractors read a request (default {@link ContextConfig#defaults()}).
     *
     * @param context the context configuration
     * @return this builder
     * @since 0.3.0
     */
    public Builder context(ContextConfig context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Sets the holdout, QA overrides and outcome statistics (default {@link
     * ExperimentConfig#defaults()}).
     *
     * @param experiments the experiment configuration
     * @return this builder
     * @since 0.3.0
     */
    public Builder experiments(ExperimentConfig experiments) {
      this.experiments = Objects.requireNonNull(experiments, "experiments");
      return this;
    }

    /**
     * Sets custom extractors and listeners and the bounds on their calls (default {@link
     * ExtensionConfig#defaults()}: none).
     *
     * @param extensions the extension configuration
     * @return this builder
     * @since 0.3.0
     */
    public Builder extensions(ExtensionConfig extensions) {
      this.extensions = Objects.requireNonNull(extensions, "extensions");
      return this;
    }

    /**
     * Sets the limits on input and session size (default {@link Limits#defaults()}).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the fitted models behind the predicted signals ({@code p_alive}, {@code
     * expected_orders}, {@code expected_order_value}, {@code predicted_clv}); without them, and
     * without a rule set that carries its own ({@link RuleSet#prediction()}, which wins), those
     * signals are absent. {@code days_overdue} needs no model.
     *
     * @param prediction the models and their time settings
     * @return this builder
     * @since 0.5.0
     */
    public Builder prediction(PredictionConfig prediction) {
      this.prediction = Objects.requireNonNull(prediction, "prediction");
      return this;
    }

    /**
     * Requires a declared {@code consent} of {@code granted} (in the visit or earlier in the
     * session) before implicit signals are used or stored, as opt-in regimes do. Off by default:
     * then only {@code Sec-GPC: 1} or a declared {@code denied} limits the signals used.
     *
     * @param required whether consent must be granted
     * @return this builder
     */
    public Builder requireConsent(boolean required) {
      this.requireConsent = required;
      return this;
    }

    /**
     * Sets the clock for visits without a timestamp and for idle time (default: system UTC). While
     * it is behind a time it read before (it stepped back), idle time goes on by the elapsed {@link
     * System#nanoTime()}; see {@link SessionConfig.Builder#idleTimeout}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the engine, compiling the rule set against the engine's signals.
     *
     * @return the engine
     * @throws IllegalStateException if no rule set was given, if two extractors declare the same
     *     signal, or if an extractor declares a signal that is not contextual
     * @throws RuleSetException if the rule set does not compile, listing every problem
     */
    public PersonaEngine build() {
      if (ruleSet == null) {
        throw new IllegalStateException("ruleSet is required");
      }
      return new PersonaEngine(
          new Engine(
              ruleSet,
              sessions,
              profiles,
              context,
              experiments,
              extensions,
              limits,
              requireConsent,
              clock,
              prediction));
    }
  }
}
