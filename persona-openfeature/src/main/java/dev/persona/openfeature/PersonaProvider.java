package dev.persona.openfeature;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature provider whose flags are the placements of a {@link PersonaEngine}'s rule set: a
 * flag key is a placement id, and the evaluation context describes the visit.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(PersonaProvider.of(engine));
 * Client client = OpenFeatureAPI.getInstance().getClient();
 * EvaluationContext ctx = new ImmutableContext(sessionId, Map.of(
 *     "header.User-Agent", new Value(userAgent),
 *     "declared.shopping_for_gift", new Value(true)));
 * String variant = client.getStringValue("home.hero", "new-season", ctx);
 * }</pre>
 *
 * <p><b>The context.</b> The targeting key is the session id (without one: {@code
 * TARGETING_KEY_MISSING}). Attributes {@code userId} (a string) and {@code timestamp} (an instant)
 * are the visit's; {@code header.NAME} and {@code query.NAME} (strings) are request headers and
 * query parameters; {@code declared.KEY} and {@code profile.KEY} (strings, numbers, booleans, lists
 * of strings) are declared attributes and profile facts. An attribute of the wrong type answers
 * {@code INVALID_CONTEXT}; other attributes are left out of the visit. A context carries no events.
 *
 * <p><b>Values.</b> A string evaluation answers the variant's id; an object evaluation its content
 * (a map or a rule file's JSON object as a structure, a string, number, boolean or list as itself;
 * a variant without content answers the caller's default); a boolean, integer or double evaluation
 * answers the content when it is a boolean, an integral number or a number, else {@code
 * TYPE_MISMATCH}. Each resolution carries the variant's id, a reason ({@code TARGETING_MATCH} for a
 * persona's or a condition's variant or a QA override, {@code SPLIT} for an experiment's arm, an
 * optimized placement's sample or the holdout's default, {@code DEFAULT} for the default variant)
 * and flag metadata: {@code basis} (the {@link VariantChoice.Basis} in lower case), {@code persona}
 * (the visitor's primary persona, when matched), {@code experiment} (for an experiment's arm),
 * {@code tracked} (true when the decision kept the visit in its session: {@link
 * VariantChoice#tracked()}) and {@code ruleSetVersion}. An unknown placement answers {@code
 * FLAG_NOT_FOUND}, a visit the engine finds invalid {@code INVALID_CONTEXT}, an engine failure
 * {@code GENERAL}: each with the caller's default, never an exception.
 *
 * <p><b>One decision per request.</b> Evaluations with equal contexts within {@link
 * Builder#decisionReuse} (default one second) share one decision, so a page that evaluates several
 * placements, and tracks their exposures, costs one {@code decide}; a context with an attribute
 * that differs per request (such as {@code requestId}) makes that one decision per request. With
 * {@link Duration#ZERO} each evaluation is one {@code decide}.
 *
 * <p><b>Tracking.</b> The client's {@code track} with a context and details records an {@link
 * Outcome} for the names {@code exposure}, {@code click}, {@code add_to_cart} and {@code purchase},
 * of the placement in the details' {@code placement} attribute, with the details' value as the
 * order value and their {@code id} attribute as the outcome's id. The choice is the one of the
 * decision an equal context got within the reuse window; else the details name it: {@code variant},
 * and {@code basis}, {@code persona}, {@code experiment} and {@code tracked} as the flag metadata
 * gave them (with {@code tracked}, an exposure is kept in a session whose state a shared store has
 * not received yet). A tracking event that cannot be recorded is dropped and logged (at most once a
 * minute, without ids or values); tracking never throws.
 *
 * <p><b>Reloads.</b> When the engine's rule set is replaced ({@link PersonaEngine#reload}, a rule
 * file watcher), the provider emits {@code PROVIDER_CONFIGURATION_CHANGED} with every placement of
 * the old and new rule sets as the flags changed and the new {@code ruleSetVersion} as event
 * metadata. It notices the change at the next evaluation or within {@link
 * Builder#reloadCheckInterval} (default one second), on one daemon thread it starts in {@code
 * initialize} and stops in {@code shutdown}.
 *
 * <p>Thread-safe. Its {@code toString} names the rule-set version only. A provider that was shut
 * down cannot be used again (the SDK's event executor is gone): make a new one.
 *
 * @since 0.5.0
 */
public final class PersonaProvider extends EventProvider {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.openfeature");
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int REUSED_DECISIONS = 10_000;
  private static final Metadata METADATA = () -> "Persona";

  private final PersonaEngine engine;
  private final @Nullable Cache<EvaluationContext, Resolved> decisions;
  private final Duration reloadCheckInterval;
  private final AtomicReference<Known> known;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private @Nullable ScheduledExecutorService checker; // guarded by this

  /**
   * The rule set last seen, its placements' ids, and its variants' contents as values, converted
   * once (the values are immutable); empty for a content that is no value.
   */
  private record Known(
      RuleSet ruleSet,
      Set<String> placements,
      Map<Object, Optional<Value>> contents,
      Map<MetadataKey, ImmutableMetadata> metadata) {
    static Known of(RuleSet ruleSet) {
      Set<String> ids = new TreeSet<>();
      for (Placement p : ruleSet.placements()) {
        ids.add(p.id());
      }
      return new Known(
          ruleSet, Set.copyOf(ids), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    /** The flag metadata of a choice, made once per basis, persona, experiment and version. */
    ImmutableMetadata metadata(VariantChoice choice, Decision d) {
      MetadataKey key =
          new MetadataKey(
              choice.basis(),
              choice.segment(),
              choice.experiment(),
              d.ruleSetVersion(),
              choice.tracked());
      ImmutableMetadata m = metadata.get(key);
      if (m == null) {
        m = key.build();
        if (metadata.size() < MAX_KEPT) {
          metadata.putIfAbsent(key, m);
        }
      }
      return m;
    }

    @Nullable Value content(Object content) {
      Optional<Value> v = contents.get(content);
      if (v == null) {
        v = Optional.ofNullable(Contents.value(content));
        if (contents.size() < MAX_KEPT) {
          contents.putIfAbsent(content, v);
        }
      }
      return v.orElse(null);
    }
  }

  /** What a choice's flag metadata says. */
  private record MetadataKey(
      VariantChoice.Basis basis,
      @Nullable String persona,
      @Nullable String experiment,
      String ruleSetVersion,
      boolean tracked) {
    ImmutableMetadata build() {
      ImmutableMetadata.ImmutableMetadataBuilder m =
          ImmutableMetadata.builder()
              .addString("basis", basis.name().toLowerCase(Locale.ROOT))
              .addString("ruleSetVersion", ruleSetVersion);
      if (persona != null) {
        m.addString("persona", persona);
      }
      if (experiment != null) {
        m.addString("experiment", experiment);
      }
      if (tracked) {
        m.addBoolean("tracked", true);
      }
      return m.build();
    }
  }

  /**
   * Bounds the contents and metadata kept: a rule set's variants, plus those of decisions across a
   * reload.
   */
  private static final int MAX_KEPT = 10_000;

  /** A context's decision, or why it has none. */
  private record Resolved(
      @Nullable Decision decision, @Nullable ErrorCode error, @Nullable String message) {}

  /** A conversion of a choice into an evaluation's type: null when it has none. */
  private interface Conversion<T> {
    @Nullable T convert(VariantChoice choice, T defaultValue);
  }

  private PersonaProvider(Builder b) {
    this.engine = b.engine;
    this.reloadCheckInterval = b.reloadCheckInterval;
    this.known = new AtomicReference<>(Known.of(engine.ruleSet()));
    this.decisions =
        b.decisionReuse.isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(REUSED_DECISIONS)
                .expireAfterWrite(b.decisionReuse)
                .executor(Runnable::run) // no common-pool worker
                .build();
  }

  /**
   * Returns a provider for {@code engine} with the default settings.
   *
   * @param engine the engine whose placements are the flags
   * @return a new provider
   */
  public static PersonaProvider of(PersonaEngine engine) {
    return builder(engine).build();
  }

  /**
   * Returns a builder of a provider for {@code engine}.
   *
   * @param engine the engine whose placements are the flags
   * @return a new builder
   */
  public static Builder builder(PersonaEngine engine) {
    return new Builder(engine);
  }

  /** Returns the provider's name, {@code Persona}. */
  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /** Starts the thread that looks for rule-set reloads, unless its interval is zero. */
  @Override
  public void initialize(EvaluationContext evaluationContext) {
    checkRuleSet();
    if (reloadCheckInterval.isZero()) {
      return;
    }
    synchronized (this) {
      if (checker != null) {
        return;
      }
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "persona-openfeature-reload");
                t.setDaemon(true);
                return t;
              });
      long nanos = reloadCheckInterval.toNanos();
      var unused = s.scheduleWithFixedDelay(this::checkQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
      checker = s;
    }
  }

  /** Stops the reload thread and the SDK's event executor; does not close the engine. */
  @Override
  public void shutdown() {
    synchronized (this) {
      if (checker != null) {
        checker.shutdownNow();
        checker = null;
      }
    }
    if (decisions != null) {
      decisions.invalidateAll();
    }
    super.shutdown();
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, (c, d) -> c.variant());
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        (c, d) -> {
          Object content = c.content();
          return content == null ? d : known.get().content(content);
        });
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, (c, d) -> bool(content(c)));
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, (c, d) -> integer(content(c)));
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, (c, d) -> number(content(c)));
  }

  /**
   * Records the outcome a tracking event names; see the class comment. Never throws: an event that
   * cannot be recorded is dropped and logged.
   */
  @Override
  public void track(
      String eventName,
      @Nullable EvaluationContext context,
      @Nullable TrackingEventDetails details) {
    try {
      String dropped = record(eventName, context, details);
      if (dropped != null) {
        warn("tracking event dropped: {}", dropped);
      }
    } catch (RuntimeException e) {
      warn("tracking event dropped: {}", e.getClass().getName());
    }
  }

  /** Returns the rule-set version in use, and nothing of the provider's state. */
  @Override
  public String toString() {
    return "PersonaProvider{ruleSet=" + known.get().ruleSet().version() + "}";
  }

  private <T> ProviderEvaluation<T> evaluate(
      @Nullable String key, T defaultValue, @Nullable EvaluationContext ctx, Conversion<T> type) {
    try {
      Known k = checkRuleSet();
      if (key == null || !k.placements().contains(key)) {
        return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "no placement has this id");
      }
      Resolved r = resolve(ctx);
      Decision d = r.decision();
      if (d == null) {
        return error(
            defaultValue,
            Objects.requireNonNullElse(r.error(), ErrorCode.GENERAL),
            Objects.requireNonNullElse(r.message(), "no decision"));
      }
      VariantChoice choice = d.variant(key);
      if (choice == null) { // the placement came with a reload after the decision
        return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "no placement has this id");
      }
      T value = type.convert(choice, defaultValue);
      if (value == null) {
        return error(
            defaultValue, ErrorCode.TYPE_MISMATCH, "the variant's content is not of this type");
      }
      return ProviderEvaluation.<T>builder()
          .value(value)
          .variant(choice.variant())
          .reason(reason(choice))
          .flagMetadata(k.metadata(choice, d))
          .build();
    } catch (RuntimeException e) {
      warn("evaluation failed: {}", e.getClass().getName());
      return error(defaultValue, ErrorCode.GENERAL, "evaluation failed");
    }
  }

  private Resolved resolve(@Nullable EvaluationContext ctx) {
    // Only an immutable context can be a key: the SDK's client always hands one over.
    if (decisions == null || !(ctx instanceof ImmutableContext)) {
      return decide(ctx);
    }
    return decisions.get(ctx, this::decide);
  }

  private Resolved decide(@Nullable EvaluationContext ctx) {
    ContextVisits.Mapped m = ContextVisits.visit(ctx);
    Visit visit = m.visit();
    if (visit == null) {
      return new Resolved(
          null,
          m.keyMissing() ? ErrorCode.TARGETING_KEY_MISSING : ErrorCode.INVALID_CONTEXT,
          m.problem());
    }
    Decision d = engine.decide(visit);
    if (d.flags().contains(Decision.Flag.INVALID_VISIT)) {
      return new Resolved(null, ErrorCode.INVALID_CONTEXT, "the engine found the visit invalid");
    }
    if (d.flags().contains(Decision.Flag.INTERNAL_ERROR)) {
      return new Resolved(null, ErrorCode.GENERAL, "the engine failed");
    }
    return new Resolved(d, null, null);
  }

  /** Checks on the reload thread, which a throw would stop. */
  private void checkQuietly() {
    try {
      checkRuleSet();
    } catch (RuntimeException e) {
      warn("looking for a new rule set failed: {}", e.getClass().getName());
    }
  }

  /** Notices a new rule set: forgets decisions made with the old one and emits the event. */
  private Known checkRuleSet() {
    Known k = known.get();
    RuleSet current = engine.ruleSet();
    if (k.ruleSet() == current) {
      return k;
    }
    Known next = Known.of(current);
    if (!known.compareAndSet(k, next)) {
      return known.get();
    }
    if (decisions != null) {
      decisions.invalidateAll();
    }
    Set<String> changed = new TreeSet<>(k.placements());
    changed.addAll(next.placements());
    try {
      emitProviderConfigurationChanged(
          ProviderEventDetails.builder()
              .message("rule set reloaded")
              .flagsChanged(new ArrayList<>(changed))
              .eventMetadata(
                  ImmutableMetadata.builder()
                      .addString("ruleSetVersion", current.version())
                      .build())
              .build());
    } catch (RuntimeException e) { // after shutdown, the SDK's executor refuses the event
      warn("configuration-changed event not emitted: {}", e.getClass().getName());
    }
    return next;
  }

  /** Records the outcome; returns why it was dropped, or null. */
  private @Nullable String record(
      String eventName, @Nullable EvaluationContext ctx, @Nullable TrackingEventDetails details) {
    Outcome.Kind kind = kind(eventName);
    if (kind == null) {
      return "not exposure, click, add_to_cart or purchase";
    }
    String session = ctx == null ? null : ctx.getTargetingKey();
    if (session == null || session.isBlank()) {
      return "no targeting key";
    }
    String placement = details == null ? null : string(details.getValue("placement"));
    if (details == null || placement == null) {
      return "no placement attribute";
    }
    String variant = string(details.getValue("variant"));
    VariantChoice choice = reusedChoice(ctx, placement);
    Outcome.Builder b;
    if (choice != null && (variant == null || variant.equals(choice.variant()))) {
      b = Outcome.builder(kind, session, choice);
    } else if (variant != null) {
      b =
          Outcome.builder(kind, session, placement, variant)
              .segment(string(details.getValue("persona")))
              .basis(basis(string(details.getValue("basis"))))
              .experiment(string(details.getValue("experiment")))
              .tracked(isTrue(details.getValue("tracked")));
    } else {
      return "no variant attribute, and no decision of this context to take it from";
    }
    String id = string(details.getValue("id"));
    if (id != null && !id.isEmpty()) {
      b.id(id);
    }
    Number value = details.getValue().orElse(null);
    if (value != null) {
      double v = value.doubleValue();
      if (!(v >= 0 && Double.isFinite(v))) {
        return "value negative or not finite";
      }
      b.value(v);
    }
    engine.recordOutcome(b.build());
    return null;
  }

  private @Nullable VariantChoice reusedChoice(EvaluationContext ctx, String placement) {
    if (decisions == null || !(ctx instanceof ImmutableContext)) {
      return null;
    }
    Resolved r = decisions.getIfPresent(ctx);
    Decision d = r == null ? null : r.decision();
    return d == null ? null : d.variant(placement);
  }

  private static Outcome.@Nullable Kind kind(@Nullable String eventName) {
    if (eventName == null) {
      return null;
    }
    switch (eventName) {
      case "exposure":
        return Outcome.Kind.EXPOSURE;
      case "click":
        return Outcome.Kind.CLICK;
      case "add_to_cart":
        return Outcome.Kind.ADD_TO_CART;
      case "purchase":
        return Outcome.Kind.PURCHASE;
      default:
        return null;
    }
  }

  /** Returns whether the value is the boolean true. */
  private static boolean isTrue(@Nullable Value v) {
    return v != null && v.isBoolean() && Boolean.TRUE.equals(v.asBoolean());
  }

  private static VariantChoice.@Nullable Basis basis(@Nullable String name) {
    if (name == null) {
      return null;
    }
    for (VariantChoice.Basis b : VariantChoice.Basis.values()) {
      if (b.name().equalsIgnoreCase(name)) {
        return b;
      }
    }
    return null;
  }

  private static @Nullable String string(@Nullable Value v) {
    return v != null && v.isString() ? v.asString() : null;
  }

  /** The OpenFeature reason for a choice's basis. */
  static String reason(VariantChoice choice) {
    switch (choice.basis()) {
      case PERSONA:
      case CONDITION:
      case FORCED:
        return Reason.TARGETING_MATCH.name();
      case EXPERIMENT:
      case OPTIMIZED:
      case HOLDOUT:
        return Reason.SPLIT.name();
      case DEFAULT:
      default:
        return Reason.DEFAULT.name();
    }
  }

  private @Nullable Value content(VariantChoice choice) {
    Object content = choice.content();
    return content == null ? null : known.get().content(content);
  }

  private static @Nullable Boolean bool(@Nullable Value v) {
    return (v != null && v.isBoolean()) ? v.asBoolean() : null;
  }

  private static @Nullable Integer integer(@Nullable Value v) {
    if (v == null || !v.isNumber()) {
      return null;
    }
    Object n = v.asObject();
    if (n instanceof Integer i) {
      return i;
    }
    double d = ((Number) n).doubleValue();
    return (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) ? (int) d : null;
  }

  private static @Nullable Double number(@Nullable Value v) {
    return (v != null && v.isNumber()) ? ((Number) v.asObject()).doubleValue() : null;
  }

  private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .build();
  }

  private void warn(String message, String arg) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn(message, arg);
    }
  }

  /**
   * Builds a {@link PersonaProvider}. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private final PersonaEngine engine;
    private Duration decisionReuse = Duration.ofSeconds(1);
    private Duration reloadCheckInterval = Duration.ofSeconds(1);

    private Builder(PersonaEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Sets how long evaluations with an equal context share one decision (default one second; at
     * most 10,000 contexts are kept). {@link Duration#ZERO} makes each evaluation one {@code
     * decide}.
     *
     * @param window zero or positive
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder decisionReuse(Duration window) {
      this.decisionReuse = notNegative(window, "decisionReuse");
      return this;
    }

    /**
     * Sets how often the provider looks for a new rule set between evaluations (default one
     * second). {@link Duration#ZERO} starts no thread: a reload is then noticed at the next
     * evaluation only.
     *
     * @param interval zero or positive
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder reloadCheckInterval(Duration interval) {
      this.reloadCheckInterval = notNegative(interval, "reloadCheckInterval");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the provider, to give to {@code OpenFeatureAPI.setProviderAndWait}
     */
    public PersonaProvider build() {
      return new PersonaProvider(this);
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return d;
    }
  }
}
