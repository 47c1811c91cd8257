package dev.persona;

import dev.persona.context.GiftingCalendar;
import dev.persona.internal.context.BuiltInExtractors;
import dev.persona.internal.context.CountryExtractor;
import dev.persona.internal.context.TrafficSourceExtractor;
import dev.persona.internal.engine.UserSessions;
import dev.persona.internal.experiment.Experiments;
import dev.persona.internal.experiment.Optimizer;
import dev.persona.internal.extension.TimedCalls;
import dev.persona.internal.extension.TimedSessionStore;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.session.InMemorySessionStore;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.signals.BuiltInSignals;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import dev.persona.spi.DecisionListener;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.StatsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-request personalization engine: turns a {@link Visit} into signals, scores personas with
 * a {@link RuleSet}, and picks a variant for every placement, in a {@link Decision} that says why.
 *
 * <p>Build one at start-up and share it:
 *
 * <pre>{@code
 * PersonaEngine engine = PersonaEngine.builder()
 *     .ruleSet(rules)
 *     .timeZone(ZoneId.of("Europe/Warsaw"))
 *     .build();
 *
 * Decision decision = engine.decide(visit);            // on every request
 * decision.variant("home.hero").map(VariantChoice::content);
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any number of threads at once. Requests of the
 * same session may run in parallel without losing events, as long as the {@link SessionStore} keeps
 * its contract. {@link #decide} never throws for anything a visit can contain; a failure becomes a
 * flagged decision instead.
 *
 * <p>Custom code cannot hold up a request for long: each {@link DecisionListener} is told on its
 * own thread, and custom extractors and a custom session store run with a {@linkplain
 * Builder#extensionTimeout time limit}. An engine without listeners, custom extractors or a custom
 * store starts no thread. {@linkplain #close() Close} an engine that has listeners when it is no
 * longer needed, so that they are told of the last decisions.
 *
 * @since 0.1.0
 */
public final class PersonaEngine implements AutoCloseable {
  /** The most calls of custom extractors and stores that may run, or hang, at once. */
  static final int EXTENSION_THREADS = 32;

  /** How long {@link #close()} waits for listeners, in all. */
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Decider decider;
  private final SessionStore store;
  private final UserSessions userSessions;
  private final List<SignalSpec> engineSignals;
  private final Experiments experiments;
  private final Clock clock;
  private final int maxSessionIdLength;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CompiledRuleSet rules;

  private PersonaEngine(
      Builder b,
      CompiledRuleSet rules,
      List<SignalExtractor> extractors,
      List<SignalSpec> signals) {
    this.rules = rules;
    this.store =
        b.store != null
            ? b.store
            : new InMemorySessionStore(b.maxSessions, b.sessionIdleTimeout, b.clock);
    this.engineSignals = signals;
    this.userSessions = new UserSessions(b.maxSessions, b.sessionIdleTimeout, b.clock);
    this.clock = b.clock;
    this.maxSessionIdLength = b.limits.maxSessionIdLength();
    this.experiments =
        new Experiments(
            b.holdout,
            b.forcedVariants,
            b.attributionWindow.toMillis(),
            new Optimizer(
                b.statsStore != null ? b.statsStore : StatsStore.inMemory(100_000),
                b.statsRefresh.toNanos(),
                b.randomSeed),
            b.limits.maxHeaderLength());
    boolean timedStore = !store.boundsCallTime();
    TimedCalls calls =
        b.extensionTimeout.isZero() || (b.extractors.isEmpty() && !timedStore)
            ? null
            : new TimedCalls(b.extensionTimeout, EXTENSION_THREADS);
    this.decider =
        new Decider(
            () -> this.rules,
            calls != null && timedStore ? new TimedSessionStore(store, calls) : store,
            userSessions,
            extractors,
            calls,
            List.copyOf(b.listeners),
            b.listenerQueueCapacity,
            b.clock,
            b.timeZone,
            b.limits,
            b.halfLife,
            b.sessionIdleTimeout,
            b.requireConsent,
            experiments);
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
   * Returns the explicit and implicit signals every engine knows, without those of extractors.
   *
   * @return built-in signal declarations
   */
  public static List<SignalSpec> builtInSignals() {
    List<SignalSpec> out = new ArrayList<>(BuiltInSignals.all());
    out.addAll(BuiltInExtractors.specs());
    return List.copyOf(out);
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
  public Decision decide(Visit visit) {
    return decider.decide(visit);
  }

  /**
   * Records what happened after a decision: an exposure, a click, an add to cart or a purchase. It
   * counts in the {@linkplain #variantStats() statistics} of the choice's placement, variant and
   * segment, which optimized placements learn from. An exposure is also remembered in the session
   * (if the engine keeps state for it), so that purchases and adds to cart arriving as events of
   * later visits within the {@linkplain Builder#attributionWindow attribution window} are credited
   * to it automatically; record those outcomes here only when they do not arrive as events.
   *
   * <p>Never throws for a failing store: the failure is counted in {@link EngineStats} and logged.
   *
   * @param outcome what happened
   * @throws NullPointerException if outcome is null
   */
  public void recordOutcome(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    experiments.record(outcome);
    if (outcome.kind() == Outcome.Kind.EXPOSURE
        && outcome.sessionId().length() <= maxSessionIdLength) {
      long now = clock.millis();
      decider.remember(
          outcome.sessionId(),
          old ->
              old instanceof SessionData d
                  ? d.withExposure(outcome.placement(), outcome.variant(), outcome.segment(), now)
                  : old);
    }
  }

  /**
   * Returns the outcome statistics per placement, variant and segment, read from the stats store.
   *
   * @return a snapshot; empty if the store failed (the failure is counted)
   */
  public List<VariantStats> variantStats() {
    List<VariantStats> out = experiments.optimizer().snapshot();
    return out == null ? List.of() : List.copyOf(out);
  }

  /**
   * Erases everything stored for a session. Waits for the session store without the {@linkplain
   * Builder#extensionTimeout extension timeout}: an erasure is reported only once done.
   *
   * @param sessionId the session id
   * @throws NullPointerException if sessionId is null
   * @throws RuntimeException whatever the session store throws, so that a failed erasure is not
   *     mistaken for a done one
   */
  public void forget(String sessionId) {
    store.remove(Objects.requireNonNull(sessionId, "sessionId"));
  }

  /**
   * Erases everything stored for the sessions this engine saw a signed-in user in: the sessions of
   * visits that carried {@code userId}, up to 32 most recent ones per user, for as long as sessions
   * are kept. With a store shared by several engines, each engine knows only the sessions it
   * served; call this on every instance, or erase in the store itself.
   *
   * <p>Like {@link #forget}, waits for the session store without the extension timeout.
   *
   * @param userId the user id
   * @return how many sessions were erased
   * @throws NullPointerException if userId is null
   * @throws RuntimeException whatever the session store throws
   */
  public int forgetUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    List<String> sessions = userSessions.remove(userId);
    for (String s : sessions) {
      store.remove(s);
    }
    return sessions.size();
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
    Objects.requireNonNull(ruleSet, "ruleSet");
    this.rules = CompiledRuleSet.compile(ruleSet, engineSignals);
  }

  /**
   * Returns the rule set in use.
   *
   * @return the current rule set
   */
  public RuleSet ruleSet() {
    return rules.source();
  }

  /**
   * Returns every signal this engine knows: built-in ones, its extractors' and its rule set's.
   *
   * @return signal declarations
   */
  public List<SignalSpec> signals() {
    List<SignalSpec> out = new ArrayList<>(engineSignals);
    for (SignalSpec s : rules.source().signals()) {
      if (out.stream().noneMatch(x -> x.key().equals(s.key()))) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Returns the engine's counters since it was built.
   *
   * @return a snapshot of the counters
   */
  public EngineStats stats() {
    return decider.stats();
  }

  /**
   * Stops the engine's threads: each listener is told of the decisions already queued for it, for
   * at most one second in all (what is left then is dropped and counted), and the threads of custom
   * extractors and stores are interrupted. Does not close the stores the engine was given. Later
   * calls of {@code close} do nothing. The engine still decides after it, with the parts named in
   * {@link #decide}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      decider.close(CLOSE_WAIT_NANOS);
    }
  }

  @Override
  public String toString() {
    return "PersonaEngine{ruleSet=" + rules.version() + "}";
  }

  /**
   * Builds a {@link PersonaEngine}. Each setter checks its argument at once; {@link #build()}
   * checks the combination. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private RuleSet ruleSet;
    private SessionStore store;
    private long maxSessions = 100_000;
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private boolean sessionLimitsSet;
    private Clock clock = Clock.systemUTC();
    private ZoneId timeZone = ZoneOffset.UTC;
    private Duration halfLife = Duration.ofHours(1);
    private Limits limits = Limits.defaults();
    private List<String> geoHeaders = CountryExtractor.DEFAULT_HEADERS;
    private long userAgentCacheSize = 10_000;
    private Set<String> siteHosts = Set.of();
    private GiftingCalendar giftingCalendar = GiftingCalendar.defaults();
    private List<String> timeZoneHeaders = List.of();
    private boolean requireConsent;
    private double holdout;
    private String forcedVariants;
    private StatsStore statsStore;
    private Duration statsRefresh = Duration.ofSeconds(1);
    private Duration attributionWindow = Duration.ofMinutes(30);
    private Long randomSeed;
    private Duration extensionTimeout = Duration.ofMillis(50);
    private int listenerQueueCapacity = 1_024;
    private final List<SignalExtractor> extractors = new ArrayList<>();
    private final List<DecisionListener> listeners = new ArrayList<>();

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
     * Sets where sessions are kept; by default in memory, bounded by {@link #maxSessions} and
     * {@link #sessionIdleTimeout}.
     *
     * @param store the store
     * @return this builder
     */
    public Builder sessionStore(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets the most sessions the default store keeps (default 100,000); the least recently used go
     * first.
     *
     * @param maxSessions a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxSessions(long maxSessions) {
      if (maxSessions <= 0) {
        throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
      }
      this.maxSessions = maxSessions;
      this.sessionLimitsSet = true;
      return this;
    }

    /**
     * Sets how long a session may be idle before it is forgotten (default 30 minutes). The engine
     * applies it to any store: state older than this is not used.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder sessionIdleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("sessionIdleTimeout must be positive, was " + timeout);
      }
      this.sessionIdleTimeout = timeout;
      return this;
    }

    /**
     * Sets the clock for visits without a timestamp and for idle time (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the time zone of {@code daypart} and {@code weekday} (default UTC).
     *
     * @param zone the store's or visitors' time zone
     * @return this builder
     */
    public Builder timeZone(ZoneId zone) {
      this.timeZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Sets the half-life of behaviour (default 1 hour): an event this long ago counts half.
     *
     * @param halfLife a positive duration of at least a millisecond
     * @return this builder
     * @throws IllegalArgumentException if shorter than a millisecond
     */
    public Builder halfLife(Duration halfLife) {
      Objects.requireNonNull(halfLife, "halfLife");
      if (halfLife.toMillis() < 1) {
        throw new IllegalArgumentException("halfLife must be at least 1 ms, was " + halfLife);
      }
      this.halfLife = halfLife;
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
     * Sets the headers, in order, that a CDN uses to tell the visitor's country (default {@code
     * CF-IPCountry}, {@code CloudFront-Viewer-Country}, {@code X-Country-Code}).
     *
     * @param headers header names, at least one
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder geoHeaders(List<String> headers) {
      Objects.requireNonNull(headers, "headers");
      if (headers.isEmpty()) {
        throw new IllegalArgumentException("geoHeaders needs at least one header name");
      }
      headers.forEach(h -> Objects.requireNonNull(h, "header name"));
      this.geoHeaders = List.copyOf(headers);
      return this;
    }

    /**
     * Sets the store's own hosts, such as {@code shop.example.com}, so that a visitor coming from
     * one of them counts as {@code traffic_source = internal} (the request's {@code Host} always
     * counts). None by default.
     *
     * @param hosts host names, optionally with scheme, port or {@code www.}
     * @return this builder
     * @throws IllegalArgumentException if one is not a host name
     */
    public Builder siteHosts(Collection<String> hosts) {
      this.siteHosts = TrafficSourceExtractor.siteHosts(Objects.requireNonNull(hosts, "hosts"));
      return this;
    }

    /**
     * Sets the gifting periods the {@code season} signal reports (default {@link
     * GiftingCalendar#defaults()}: Mother's Day by country, Black Friday to Cyber Monday, Singles'
     * Day, the Christmas run-up, Valentine's Day and Lunar New Year).
     *
     * @param calendar the calendar
     * @return this builder
     */
    public Builder giftingCalendar(GiftingCalendar calendar) {
      this.giftingCalendar = Objects.requireNonNull(calendar, "calendar");
      return this;
    }

    /**
     * Sets headers a CDN uses for the visitor's IANA time zone, such as {@code
     * CloudFront-Viewer-Time-Zone}; when one holds a valid zone, {@code daypart}, {@code weekday}
     * and {@code season} use the visitor's local time instead of {@link #timeZone}. None by
     * default.
     *
     * @param headers header names, in order of preference
     * @return this builder
     */
    public Builder visitorTimeZoneHeaders(List<String> headers) {
      Objects.requireNonNull(headers, "headers");
      headers.forEach(h -> Objects.requireNonNull(h, "header name"));
      this.timeZoneHeaders = List.copyOf(headers);
      return this;
    }

    /**
     * Sets how many User-Agent strings the device extractor caches with their classification
     * (default 10,000). The cache holds raw User-Agent strings of any session and is not erased by
     * {@code forget} or {@code forgetUser}; 0 turns it off (and the device extractor's table of the
     * last few User-Agents with it), so that no User-Agent outlives its request, at the cost of
     * classifying every User-Agent anew.
     *
     * @param size a count, zero or more; 0 for no cache
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder userAgentCacheSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("userAgentCacheSize must not be negative, was " + size);
      }
      this.userAgentCacheSize = size;
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
     * Puts a share of visitors in the personalization holdout: they always see every placement's
     * default variant, so that the lift of personalization as a whole can be measured against them.
     * Membership is a stable hash of the user id, else the session id (see {@link
     * dev.persona.ruleset.Experiment}). Off (0) by default.
     *
     * @param share the share of visitors, at least 0 and below 1, such as 0.05
     * @return this builder
     * @throws IllegalArgumentException if the share is out of range
     */
    public Builder holdout(double share) {
      if (!(share >= 0 && share < 1)) {
        throw new IllegalArgumentException("holdout must be at least 0 and below 1, was " + share);
      }
      this.holdout = share;
      return this;
    }

    /**
     * Lets QA pin variants with a query parameter or header of the given name, whose value lists
     * {@code placement:variant} pairs separated by commas, such as {@code
     * ?persona_force=home.hero:gift-guide}. Pinned choices say {@link VariantChoice.Basis#FORCED}.
     * Off by default: enable it only where visitors cannot abuse it, such as staging.
     *
     * @param name the query parameter and header name
     * @return this builder
     */
    public Builder forcedVariants(String name) {
      this.forcedVariants = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets where outcome statistics are kept; by default in memory, for up to 100,000 combinations
     * of placement, variant and segment.
     *
     * @param store the store
     * @return this builder
     */
    public Builder statsStore(StatsStore store) {
      this.statsStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets how old the statistics that optimized placements choose by may be (default 1 second).
     * Zero reads the stats store on every decision with an optimized placement.
     *
     * @param interval the refresh interval, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder statsRefresh(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("statsRefresh must not be negative, was " + interval);
      }
      this.statsRefresh = interval;
      return this;
    }

    /**
     * Sets how long after an exposure a purchase or add to cart event of the same session is
     * credited to it (default 30 minutes). Zero turns automatic attribution off.
     *
     * @param window the window, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder attributionWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("attributionWindow must not be negative, was " + window);
      }
      this.attributionWindow = window;
      return this;
    }

    /**
     * Makes optimized placements draw from one random source with this seed, so that a
     * single-threaded run is reproducible; for tests and simulations. By default each thread draws
     * from its own source.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /**
     * Adds a custom extractor of contextual signals, run after the built-in ones.
     *
     * @param extractor the extractor
     * @return this builder
     */
    public Builder extractor(SignalExtractor extractor) {
      extractors.add(Objects.requireNonNull(extractor, "extractor"));
      return this;
    }

    /**
     * Adds a listener told of every decision, on a thread of its own (see {@link
     * DecisionListener}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DecisionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets how many decisions may wait for each listener (default 1,024). When a listener falls
     * this far behind, further decisions are dropped for it, counted in {@link
     * EngineStats#listenerDrops()} and logged at most once a minute.
     *
     * @param capacity a positive count, at most 1,048,576
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @since 0.2.0
     */
    public Builder listenerQueueCapacity(int capacity) {
      if (capacity <= 0 || capacity > 1 << 20) {
        throw new IllegalArgumentException(
            "listenerQueueCapacity must be between 1 and 1048576, was " + capacity);
      }
      this.listenerQueueCapacity = capacity;
      return this;
    }

    /**
     * Sets how long a call of a custom extractor or a custom session store may take (default 50
     * ms). Such calls run on a small pool of daemon threads (up to 32, made when first needed): a
     * call that takes longer is interrupted and abandoned, and a call made while every pool thread
     * is held by calls that never returned is refused at once. Either way the decision comes back
     * without that part, flagged {@link Decision.Flag#EXTRACTOR_FAILED} or {@link
     * Decision.Flag#STORE_FAILED}, counted in {@link EngineStats} and logged at most once a minute.
     * Built-in extractors, the in-memory store and a store that {@linkplain
     * SessionStore#boundsCallTime() bounds its own calls} run on the request thread, without this
     * limit or its cost (a thread hop per call). {@link Duration#ZERO} runs custom extractors and
     * stores on the request thread too, without a limit.
     *
     * @param timeout zero, or positive and at most 1 minute
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than a minute
     * @since 0.2.0
     */
    public Builder extensionTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "extensionTimeout must be zero or positive and at most 1 minute, was " + timeout);
      }
      this.extensionTimeout = timeout;
      return this;
    }

    /**
     * Builds the engine, compiling the rule set against the engine's signals.
     *
     * @return the engine
     * @throws IllegalStateException if no rule set was given, if two extractors declare the same
     *     signal, or if session limits were set together with a custom store
     * @throws RuleSetException if the rule set does not compile, listing every problem
     */
    public PersonaEngine build() {
      if (ruleSet == null) {
        throw new IllegalStateException("ruleSet is required");
      }
      if (store != null && sessionLimitsSet) {
        throw new IllegalStateException(
            "maxSessions applies to the default store only; configure the custom sessionStore"
                + " itself");
      }
      List<SignalExtractor> all =
          new ArrayList<>(
              BuiltInExtractors.create(
                  geoHeaders,
                  limits.maxHeaderLength(),
                  userAgentCacheSize,
                  siteHosts,
                  giftingCalendar,
                  timeZoneHeaders));
      all.addAll(extractors);
      List<SignalSpec> signals = engineSignals(all);
      CompiledRuleSet compiled = CompiledRuleSet.compile(ruleSet, signals);
      return new PersonaEngine(this, compiled, List.copyOf(all), signals);
    }

    private List<SignalSpec> engineSignals(List<SignalExtractor> all) {
      Map<String, String> owner = new LinkedHashMap<>();
      List<SignalSpec> specs = new ArrayList<>(BuiltInSignals.all());
      specs.forEach(s -> owner.put(s.key(), "the engine"));
      for (SignalExtractor x : all) {
        for (SignalSpec s : x.signals()) {
          String before = owner.putIfAbsent(s.key(), "extractor '" + x.name() + "'");
          if (before != null) {
            throw new IllegalStateException(
                "signal '"
                    + s.key()
                    + "' is declared by both "
                    + before
                    + " and extractor '"
                    + x.name()
                    + "'");
          }
          if (s.kind() != SignalKind.CONTEXTUAL) {
            throw new IllegalStateException(
                "extractor '"
                    + x.name()
                    + "' declares '"
                    + s.key()
                    + "' as "
                    + s.kind()
                    + "; extractors emit CONTEXTUAL signals only");
          }
          specs.add(s);
        }
      }
      return List.copyOf(specs);
    }
  }
}
