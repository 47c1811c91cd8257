package dev.persona.internal.engine;

import dev.persona.Decision;
import dev.persona.EngineStats;
import dev.persona.Outcome;
import dev.persona.SessionSnapshot;
import dev.persona.SignalSpec;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.PredictionConfig;
import dev.persona.config.ProfileConfig;
import dev.persona.config.SessionConfig;
import dev.persona.internal.context.BuiltInExtractors;
import dev.persona.internal.experiment.CountedOutcomes;
import dev.persona.internal.experiment.Experiments;
import dev.persona.internal.experiment.Optimizer;
import dev.persona.internal.extension.GuardedSessionStore;
import dev.persona.internal.extension.Listeners;
import dev.persona.internal.extension.TimedCalls;
import dev.persona.internal.extension.TimedSessionStore;
import dev.persona.internal.extension.TimedStatsStore;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.session.Exposures;
import dev.persona.internal.session.InMemorySessionStore;
import dev.persona.internal.session.ProfileUpdate;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.internal.session.Timeline;
import dev.persona.internal.signals.Extractors;
import dev.persona.internal.signals.Predictor;
import dev.persona.internal.vocabulary.VocabularyMatcher;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.StatsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine wired from its configuration: the stores, extractors, listeners and experiments, the
 * {@link Decider} over them, and the current compiled rule set. Everything {@code PersonaEngine}
 * does is done here. Thread-safe.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.engine");

  private final List<SignalSpec> engineSignals;
  private final Timeline time;
  private final @Nullable TimedCalls calls;
  private final @Nullable TimedStatsStore timedStats;
  private final Listeners listeners;
  private final Extractors extractors;
  private final SessionMemory sessions;
  private final @Nullable Profiles profiles;
  private final Experiments experiments;
  private final EngineCounters counters = new EngineCounters();
  private final Decider decider;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder interpreted = new LongAdder();
  private final CompiledRuleSet.Scoring scoring;
  private final int maxSessionIdLength;
  private final int maxUserIdLength;
  private volatile CompiledRuleSet rules;

  /**
   * Wires an engine with profiles as {@code profileConfig} says (null: the default, in memory when
   * sessions are, else none) and compiles its rule set; {@code prediction} gives the models of the
   * predicted signals when the rule set has none.
   *
   * @throws IllegalStateException if two extractors declare the same signal, one declares a signal
   *     that is not contextual, or the profile store is the session store
   * @throws dev.persona.ruleset.RuleSetException if the rule set does not compile
   */
  public Engine(
      RuleSet ruleSet,
      SessionConfig sessionConfig,
      @Nullable ProfileConfig profileConfig,
      ContextConfig context,
      ExperimentConfig experimentConfig,
      ExtensionConfig extensions,
      Limits limits,
      boolean requireConsent,
      Clock clock,
      @Nullable PredictionConfig prediction) {
    this(
        ruleSet,
        sessionConfig,
        profileConfig,
        context,
        experimentConfig,
        extensions,
        limits,
        requireConsent,
        new Timeline(clock),
        CompiledRuleSet.Scoring.GENERATED,
        prediction);
  }

  /** Wires an engine whose rule sets score as {@code scoring} says; for tests. */
  Engine(
      RuleSet ruleSet,
      SessionConfig sessionConfig,
      ContextConfig context,
      ExperimentConfig experimentConfig,
      ExtensionConfig extensions,
      Limits limits,
      boolean requireConsent,
      Clock clock,
      CompiledRuleSet.Scoring scoring) {
    this(
        ruleSet,
        sessionConfig,
        context,
        experimentConfig,
        extensions,
        limits,
        requireConsent,
        new Timeline(clock),
        scoring);
  }

  /**
   * Wires an engine that reads the time from {@code time}, whose rule sets score as {@code scoring}
   * says; for tests.
   */
  Engine(
      RuleSet ruleSet,
      SessionConfig sessionConfig,
      ContextConfig context,
      ExperimentConfig experimentConfig,
      ExtensionConfig extensions,
      Limits limits,
      boolean requireConsent,
      Timeline time,
      CompiledRuleSet.Scoring scoring) {
    this(
        ruleSet,
        sessionConfig,
        null,
        context,
        experimentConfig,
        extensions,
        limits,
        requireConsent,
        time,
        scoring,
        null);
  }

  private Engine(
      RuleSet ruleSet,
      SessionConfig sessionConfig,
      @Nullable ProfileConfig profileConfig,
      ContextConfig context,
      ExperimentConfig experimentConfig,
      ExtensionConfig extensions,
      Limits limits,
      boolean requireConsent,
      Timeline time,
      CompiledRuleSet.Scoring scoring,
      @Nullable PredictionConfig prediction) {
    this.scoring = scoring;
    this.maxSessionIdLength = limits.maxSessionIdLength();
    this.maxUserIdLength = limits.maxUserIdLength();
    List<SignalExtractor> all =
        new ArrayList<>(BuiltInExtractors.create(context, limits.maxHeaderLength()));
    all.addAll(extensions.extractors());
    this.engineSignals = EngineSignals.of(all);
    this.rules = counted(CompiledRuleSet.compile(ruleSet, engineSignals, scoring));
    this.time = time;

    SessionStore store = sessionStore(sessionConfig, time);
    ProfileConfig profileSettings =
        profileConfig != null
            ? profileConfig
            : sessionConfig.store() == null
                ? ProfileConfig.inMemory(ProfileConfig.DEFAULT_MAX_PROFILES).build()
                : ProfileConfig.off();
    if (profileSettings.store() != null && profileSettings.store() == sessionConfig.store()) {
      throw new IllegalStateException(
          "the profile store must not be the session store: give it a store of its own");
    }
    SessionStore profileStore = profileStore(profileSettings, time);
    boolean timedProfiles = profileStore != null && !profileStore.boundsCallTime();
    boolean timedStore = !store.boundsCallTime() || timedProfiles;
    Duration timeout = extensions.callTimeout();
    boolean timedExtensions =
        !timeout.isZero() && (!extensions.extractors().isEmpty() || timedStore);
    StatsStore stats = experimentConfig.statsStore();
    Duration statsTimeout = extensions.statsStoreTimeout();
    boolean boundStats = stats != null && !stats.boundsCallTime() && !statsTimeout.isZero();
    this.calls =
        timedExtensions || boundStats
            ? new TimedCalls(
                timedExtensions ? timeout : statsTimeout, ExtensionConfig.MAX_CALL_THREADS)
            : null;
    TimedCalls extensionCalls = timedExtensions ? calls : null;
    this.timedStats = boundStats ? new TimedStatsStore(stats, calls, statsTimeout) : null;
    ThrottledLog failures = new ThrottledLog(LOG, 60_000);
    this.experiments =
        experiments(
            experimentConfig,
            this.timedStats != null ? this.timedStats : stats,
            limits,
            time,
            extensions.listeners().isEmpty()
                ? CountedOutcomes.NONE
                // the listeners start last, once nothing else can fail; nothing is counted before
                : CountedOutcomes.to(this::tellListeners));
    experiments.placements(ruleSet);
    this.sessions =
        new SessionMemory(
            store,
            new GuardedSessionStore(
                extensionCalls != null && !store.boundsCallTime()
                    ? new TimedSessionStore(store, extensionCalls)
                    : store,
                failures),
            new UserSessions(sessionConfig.maxSessions(), sessionConfig.idleTimeout(), time),
            new SessionUpdate(
                sessionConfig.halfLife().toMillis(),
                limits.maxAffinityKeys(),
                limits.maxDeclaredKeys(),
                limits.maxSetSize(),
                sessionConfig.clockTolerance().toMillis(),
                // the in-memory store applies each change once; other stores may apply it again
                !(store instanceof InMemorySessionStore),
                experimentConfig.attributionWindow().toMillis(),
                profileStore != null),
            sessionConfig.idleTimeout().toMillis(),
            sessionConfig.clockTolerance().toMillis(),
            time,
            experiments.attribution());
    this.profiles =
        profileStore == null
            ? null
            : new Profiles(
                profileStore,
                new GuardedSessionStore(
                    extensionCalls != null && timedProfiles
                        ? new TimedSessionStore(profileStore, extensionCalls)
                        : profileStore,
                    failures),
                new ProfileUpdate(
                    profileSettings.halfLife().toMillis(),
                    limits.maxAffinityKeys(),
                    limits.maxDeclaredKeys(),
                    limits.maxSetSize(),
                    sessionConfig.clockTolerance().toMillis(),
                    !(profileStore instanceof InMemorySessionStore)),
                profileSettings.timeToLive().toMillis(),
                time);
    this.extractors = new Extractors(all, context.timeZone(), failures, extensionCalls);
    this.listeners =
        new Listeners(extensions.listeners(), extensions.listenerQueueCapacity(), failures);
    this.decider =
        new Decider(
            () -> this.rules,
            limits,
            VocabularyMatcher.of(context.vocabulary()),
            time,
            sessionConfig.clockTolerance().toMillis(),
            new ConsentPolicy(requireConsent, sessions, profiles),
            extractors,
            sessions,
            profiles,
            experiments,
            listeners,
            counters,
            failures,
            Predictor.of(prediction));
  }

  private static SessionStore sessionStore(SessionConfig config, Timeline time) {
    SessionStore own = config.store();
    return own != null
        ? own
        : new InMemorySessionStore(config.maxSessions(), config.idleTimeout(), time);
  }

  private static @Nullable SessionStore profileStore(ProfileConfig config, Timeline time) {
    if (!config.enabled()) {
      return null;
    }
    SessionStore own = config.store();
    return own != null
        ? own
        : new InMemorySessionStore(config.maxProfiles(), config.timeToLive(), time);
  }

  private static Experiments experiments(
      ExperimentConfig config,
      @Nullable StatsStore stats,
      Limits limits,
      Timeline time,
      CountedOutcomes counted) {
    return new Experiments(
        config.holdout(),
        config.forcedVariants(),
        config.attributionWindow().toMillis(),
        new Optimizer(
            stats != null ? stats : StatsStore.inMemory(ExperimentConfig.DEFAULT_MAX_STATS),
            config.statsRefresh().toNanos(),
            config.randomSeed(),
            time::wallMillis),
        limits.maxHeaderLength(),
        limits.maxOutcomeIdLength(),
        limits.maxSessionIdLength(),
        counted);
  }

  /** See {@code PersonaEngine.decide}. */
  public Decision decide(@Nullable Visit visit) {
    return decider.decide(visit);
  }

  /** See {@code PersonaEngine.recordOutcome}. */
  public void recordOutcome(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (!outcome.counted()) {
      return; // a choice forced for QA, or a bot's: neither counted nor remembered for attribution
    }
    long now = time.wallMillis();
    switch (experiments.record(outcome, now)) {
      case TOO_LONG:
        counters.truncated();
        return;
      case UNKNOWN:
        return;
      default:
        break;
    }
    if (outcome.kind() == Outcome.Kind.EXPOSURE) {
      experiments.watch().exposed(outcome.placement());
      sessions.expose(
          outcome.sessionId(),
          outcome.placement(),
          outcome.variant(),
          outcome.segment(),
          Exposures.tag(outcome.basis(), outcome.experiment()),
          Exposures.decisionTag(outcome.decisionId()),
          now,
          outcome.tracked());
    }
  }

  /** Queues an outcome the engine counted for every listener. */
  private void tellListeners(Outcome outcome, Instant at) {
    listeners.publish(outcome, at);
  }

  /** See {@code PersonaEngine.variantStats}. */
  public List<VariantStats> variantStats() {
    List<VariantStats> out = experiments.optimizer().snapshot();
    return out == null ? List.of() : List.copyOf(out);
  }

  /** See {@code PersonaEngine.inspect}. */
  public @Nullable SessionSnapshot inspect(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (sessionId.length() > maxSessionIdLength) {
      return null; // no decision keeps state under it
    }
    long wall = time.wallMillis();
    SessionData d = sessions.look(sessionId, wall);
    return d == null ? null : Snapshots.of(d, wall, sessions::weight, false);
  }

  /** See {@code PersonaEngine.inspectUser}. */
  public @Nullable SessionSnapshot inspectUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (profiles == null || userId.length() > maxUserIdLength) {
      return null; // no decision keeps a profile under it
    }
    long wall = time.wallMillis();
    SessionData d = profiles.look(userId, wall);
    return d == null ? null : Snapshots.of(d, wall, profiles::weight, true);
  }

  /** See {@code PersonaEngine.forget}. */
  public void forget(String sessionId) {
    sessions.forget(Objects.requireNonNull(sessionId, "sessionId"));
  }

  /** See {@code PersonaEngine.forgetUser}. */
  public int forgetUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    int erased;
    try {
      erased = sessions.forgetUser(userId);
    } catch (RuntimeException e) {
      forgetProfile(userId, e);
      throw e;
    }
    forgetProfile(userId, null);
    return erased;
  }

  /** Erases the user's profile; a failure is thrown, or added to {@code failed}, thrown then. */
  private void forgetProfile(String userId, @Nullable RuntimeException failed) {
    if (profiles == null) {
      return;
    }
    try {
      profiles.forget(userId);
    } catch (RuntimeException e) {
      if (failed == null) {
        throw e;
      }
      failed.addSuppressed(e);
    }
  }

  /** See {@code PersonaEngine.reload}. */
  public void reload(RuleSet ruleSet) {
    this.rules =
        counted(
            CompiledRuleSet.compile(
                Objects.requireNonNull(ruleSet, "ruleSet"), engineSignals, scoring));
    experiments.placements(ruleSet);
  }

  /** Counts a rule set that scores on the interpreted path; its compiler logged why. */
  private CompiledRuleSet counted(CompiledRuleSet compiled) {
    if (!compiled.generated()) {
      interpreted.increment();
    }
    return compiled;
  }

  /** See {@code PersonaEngine.ruleSet}. */
  public RuleSet ruleSet() {
    return rules.source();
  }

  /** See {@code PersonaEngine.signals}. */
  public List<SignalSpec> signals() {
    List<SignalSpec> out = new ArrayList<>(engineSignals);
    for (SignalSpec s : rules.source().signals()) {
      if (out.stream().noneMatch(x -> x.key().equals(s.key()))) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** See {@code PersonaEngine.stats}. */
  public EngineStats stats() {
    return counters
        .snapshot()
        .extractorFailures(extractors.failures())
        .storeFailures(sessions.failures() + (profiles == null ? 0 : profiles.failures()))
        .listenerFailures(listeners.failures())
        .outcomes(experiments.recorded())
        .attributedOutcomes(experiments.attributed())
        .refusedOutcomes(experiments.refused())
        .unexposedChoices(experiments.watch().flagged())
        .statsStoreFailures(
            experiments.optimizer().storeFailures()
                + experiments.attribution().dropped()
                + (timedStats == null ? 0 : timedStats.lateFailures()))
        .statsStoreTimeouts(timedStats == null ? 0 : timedStats.timeouts())
        .listenerDrops(listeners.dropped())
        .interpretedRuleSets(interpreted.sum())
        .build();
  }

  /**
   * Records the attribution credits waiting, then tells each listener of what is queued (those
   * credits included), waiting at most {@code waitNanos} in all, and stops the threads of custom
   * extractors and stores; later calls do nothing.
   */
  public void close(long waitNanos) {
    if (closed.compareAndSet(false, true)) {
      long start = System.nanoTime();
      experiments.attribution().close(waitNanos);
      listeners.close(Math.max(0, waitNanos - (System.nanoTime() - start)));
      if (calls != null) {
        calls.close();
      }
    }
  }

  /** Returns the version of the rule set in use. */
  public String version() {
    return rules.version();
  }
}
