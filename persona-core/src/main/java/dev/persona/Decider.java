package dev.persona;

import dev.persona.internal.engine.BuiltInSignals;
import dev.persona.internal.engine.ExtractorSink;
import dev.persona.internal.engine.InputReport;
import dev.persona.internal.engine.SessionSignals;
import dev.persona.internal.engine.ThrottledLog;
import dev.persona.internal.engine.UserSessions;
import dev.persona.internal.engine.VisitReader;
import dev.persona.internal.experiment.Experiments;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.Evaluation;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.spi.DecisionListener;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.spi.SignalExtractor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The decision pipeline behind {@link PersonaEngine#decide}. Thread-safe. */
final class Decider {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.engine");

  private final Supplier<CompiledRuleSet> rules;
  private final SessionStore store;
  private final UserSessions userSessions;
  private final List<SignalExtractor> extractors;
  private final List<Map<String, SignalSpec>> extractorSignals;
  private final List<DecisionListener> listeners;
  private final Clock clock;
  private final ZoneId zone;
  private final Limits limits;
  private final SessionUpdate sessionUpdate;
  private final long idleMillis;
  private final boolean requireConsent;
  private final VisitReader reader;
  private final ThrottledLog failures;
  private final Experiments experiments;

  private final LongAdder decisions = new LongAdder();
  private final LongAdder defaultDecisions = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder unknownEvents = new LongAdder();
  private final LongAdder extractorFailures = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();
  private final LongAdder listenerFailures = new LongAdder();

  Decider(
      Supplier<CompiledRuleSet> rules,
      SessionStore store,
      UserSessions userSessions,
      List<SignalExtractor> extractors,
      List<DecisionListener> listeners,
      Clock clock,
      ZoneId zone,
      Limits limits,
      Duration halfLife,
      Duration idleTimeout,
      boolean requireConsent,
      Experiments experiments) {
    this.rules = rules;
    this.experiments = experiments;
    this.store = store;
    this.userSessions = userSessions;
    this.extractors = extractors;
    this.listeners = listeners;
    this.clock = clock;
    this.zone = zone;
    this.limits = limits;
    this.sessionUpdate =
        new SessionUpdate(
            halfLife.toMillis(),
            limits.maxAffinityKeys(),
            limits.maxDeclaredKeys(),
            limits.maxSetSize());
    this.idleMillis = idleTimeout.toMillis();
    this.requireConsent = requireConsent;
    this.reader = new VisitReader(limits);
    this.failures = new ThrottledLog(LOG, 60_000);
    List<Map<String, SignalSpec>> declared = new ArrayList<>();
    for (SignalExtractor x : extractors) {
      Map<String, SignalSpec> m = new HashMap<>();
      x.signals().forEach(s -> m.put(s.key(), s));
      declared.add(m);
    }
    this.extractorSignals = List.copyOf(declared);
  }

  Decision decide(Visit visit) {
    CompiledRuleSet compiled = rules.get();
    InputReport report = new InputReport();
    Decision decision;
    try {
      if (visit == null || !visit.isValid()) {
        report.flag(Decision.Flag.INVALID_VISIT, "default decision: the visit has no session id");
        decision = defaultDecision(compiled, report);
      } else if (visit.sessionId().length() > limits.maxSessionIdLength()) {
        report.truncated("session id longer than " + limits.maxSessionIdLength() + " characters");
        report.flag(Decision.Flag.INVALID_VISIT, "default decision: the session id is too long");
        decision = defaultDecision(compiled, report);
      } else {
        decision = personalize(compiled, visit, report);
      }
    } catch (RuntimeException | StackOverflowError e) {
      failures.failure("decision", e);
      InputReport failed = new InputReport();
      failed.flag(Decision.Flag.INTERNAL_ERROR, "default decision: the engine failed");
      decision = defaultDecision(compiled, failed);
      report = failed;
    }
    count(decision, report);
    notifyListeners(visit, decision);
    return decision;
  }

  private Decision personalize(CompiledRuleSet compiled, Visit visit, InputReport report) {
    Instant now = visit.timestamp().orElseGet(clock::instant);
    long nowMillis = VisitReader.millis(now);
    List<Reason> reasons = new ArrayList<>();

    Map<String, SignalSpec> specs = compiled.signals();
    Map<String, Object> declared = reader.declared(visit, specs, report);
    ConsentMode consent = consent(visit, declared, reasons);

    noteLongHeaders(visit, report);
    List<Signal> contextual = extract(visit, nowMillis, report);
    boolean bot = isBot(contextual);

    SignalFrame frame = compiled.newFrame();
    if (consent == ConsentMode.FULL) {
      Map<String, Object> profile = reader.profile(visit, specs, report);
      Activity activity = reader.activity(visit, nowMillis, bot ? Map.of() : declared, report);
      SessionData session = session(visit.sessionId(), activity, bot, report);
      if (!bot && visit.userId().isPresent()) {
        userSessions.link(visit.userId().get(), visit.sessionId());
      }
      if (!bot) {
        experiments.attribute(activity, session.exposures());
      }
      if (session.evicted() > 0) {
        report.truncated(
            "declared attributes beyond the session limit of " + limits.maxDeclaredKeys());
      }
      Map<String, Object> kept = bot ? declared : session.declared();
      kept.forEach(
          (k, v) -> compiled.add(frame, new Signal(k, SignalKind.EXPLICIT, v, "declared", 1)));
      SessionSignals.addTo(frame, compiled, session, nowMillis);
      profile.forEach(
          (k, v) -> {
            if (kept.containsKey(k)) {
              report.rejected("profile fact '" + k + "' has the key of a declared attribute");
            } else {
              compiled.add(frame, new Signal(k, SignalKind.IMPLICIT, v, "profile", 1));
            }
          });
    } else {
      forgetSession(visit.sessionId(), report);
      declared.forEach(
          (k, v) -> compiled.add(frame, new Signal(k, SignalKind.EXPLICIT, v, "declared", 1)));
    }
    for (Signal s : contextual) {
      compiled.add(frame, s);
    }

    Evaluation e = compiled.evaluate(frame, experiments.allocate(visit, report));
    List<Reason> leading = reasons;
    leading.addAll(report.reasons());
    return new Decision(
        compiled.version(),
        compiled.personaIds(),
        e.scores(),
        e.persona(),
        e.lifecycle(),
        e.stage(),
        frame.signals(),
        e.choices(),
        consent,
        () -> {
          List<Reason> all = new ArrayList<>(leading);
          all.addAll(e.explain());
          return all;
        },
        report.flags());
  }

  private static boolean isBot(List<Signal> contextual) {
    for (Signal s : contextual) {
      if (s.key().equals("device")) {
        return "bot".equals(s.value());
      }
    }
    return false;
  }

  private ConsentMode consent(Visit visit, Map<String, Object> declared, List<Reason> reasons) {
    String gpc = visit.header("sec-gpc");
    if (gpc != null && gpc.strip().equals("1")) {
      reasons.add(consentReason("Sec-GPC: 1 asks not to be tracked"));
      return ConsentMode.REQUEST_ONLY;
    }
    Object said = declared.get(BuiltInSignals.CONSENT);
    if ("denied".equals(said)) {
      reasons.add(consentReason("the shopper declared consent denied"));
      return ConsentMode.REQUEST_ONLY;
    }
    if (!requireConsent || "granted".equals(said) || grantedEarlier(visit.sessionId())) {
      return ConsentMode.FULL;
    }
    reasons.add(consentReason("consent is required and was not granted"));
    return ConsentMode.REQUEST_ONLY;
  }

  private boolean grantedEarlier(String sessionId) {
    SessionState s;
    try {
      s = store.get(sessionId);
    } catch (SessionStoreException e) {
      storeFailures.increment();
      failures.failure("session store", e);
      s = e.fallback();
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("session store", e);
      return false;
    }
    return s instanceof SessionData d && "granted".equals(d.declared().get(BuiltInSignals.CONSENT));
  }

  private static Reason consentReason(String why) {
    return new Reason(
        Reason.Kind.CONSENT,
        "",
        "consent: " + why + "; only this request's signals are used and nothing is stored",
        List.of(),
        Map.of());
  }

  /** Extractors read at most {@code maxHeaderLength} characters of a header; say so. */
  private void noteLongHeaders(Visit visit, InputReport report) {
    int max = limits.maxHeaderLength();
    for (String value : visit.headers().values()) {
      if (value.length() > max) {
        report.truncated("a header longer than " + max + " characters was read only that far");
      }
    }
  }

  private List<Signal> extract(Visit visit, long nowMillis, InputReport report) {
    ZonedDateTime local = Instant.ofEpochMilli(nowMillis).atZone(zone);
    List<Signal> out = new ArrayList<>(24);
    ExtractorSink sink = new ExtractorSink(null, Map.of(), out, report, limits.maxStringLength());
    for (int i = 0; i < extractors.size(); i++) {
      SignalExtractor x = extractors.get(i);
      int before = out.size();
      sink.next(x.name(), extractorSignals.get(i));
      try {
        x.extract(visit, local, sink);
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        out.subList(before, out.size()).clear();
        extractorFailures.increment();
        failures.failure("extractor '" + x.name() + "'", e);
        report.flag(
            Decision.Flag.EXTRACTOR_FAILED,
            "extractor '" + x.name() + "' failed; its signals are missing");
      }
    }
    return out;
  }

  private SessionData session(String id, Activity activity, boolean bot, InputReport report) {
    try {
      if (bot) {
        return sessionUpdate.apply(usable(store.get(id), activity.atMillis()), activity);
      }
      SessionState s =
          store.update(id, old -> sessionUpdate.apply(usable(old, activity.atMillis()), activity));
      if (s instanceof SessionData d) {
        return d;
      }
      throw new IllegalStateException("the session store returned a state the engine did not make");
    } catch (SessionStoreException e) {
      storeFailures.increment();
      failures.failure("session store", e);
      report.flag(
          Decision.Flag.STORE_DEGRADED,
          "the session store is degraded; its last known state is used and may not be saved");
      return sessionUpdate.apply(usable(e.fallback(), activity.atMillis()), activity);
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("session store", e);
      report.flag(
          Decision.Flag.STORE_FAILED,
          "the session store failed; only this request's behaviour is used");
      return sessionUpdate.apply(null, activity);
    }
  }

  /** Applies a change to a session's stored state; a store failure is counted and logged. */
  void remember(String sessionId, UnaryOperator<SessionState> change) {
    try {
      store.update(sessionId, change);
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("session store", e);
    }
  }

  private SessionData usable(SessionState old, long nowMillis) {
    if (old instanceof SessionData d && nowMillis - d.lastSeenMillis() <= idleMillis) {
      return d;
    }
    return null;
  }

  private void forgetSession(String id, InputReport report) {
    try {
      store.remove(id);
    } catch (RuntimeException e) {
      storeFailures.increment();
      failures.failure("session store", e);
      report.flag(Decision.Flag.STORE_FAILED, "the session store failed to drop the session");
    }
  }

  private Decision defaultDecision(CompiledRuleSet compiled, InputReport report) {
    List<Reason> reasons = List.copyOf(report.reasons());
    VariantChoice[] defaults = compiled.defaults();
    return new Decision(
        compiled.version(),
        compiled.personaIds(),
        new double[compiled.personaIds().length],
        null,
        null,
        null,
        List.of(),
        defaults,
        ConsentMode.REQUEST_ONLY,
        () -> {
          List<Reason> all = new ArrayList<>(reasons);
          for (VariantChoice c : defaults) {
            all.add(
                new Reason(
                    Reason.Kind.VARIANT,
                    c.placement(),
                    "placement " + c.placement() + ": default variant " + c.variant(),
                    List.of(),
                    Map.of()));
          }
          return all;
        },
        report.flags());
  }

  private void count(Decision d, InputReport report) {
    decisions.increment();
    if (d.isDefault()) {
      defaultDecisions.increment();
    }
    truncated.add(report.truncatedCount());
    rejected.add(report.rejectedCount());
    unknownEvents.add(report.unknownEventCount());
  }

  private void notifyListeners(Visit visit, Decision decision) {
    for (DecisionListener l : listeners) {
      try {
        l.onDecision(visit, decision);
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        listenerFailures.increment();
        failures.failure("listener " + l.getClass().getName(), e);
      }
    }
  }

  EngineStats stats() {
    return new EngineStats(
        decisions.sum(),
        defaultDecisions.sum(),
        truncated.sum(),
        rejected.sum(),
        unknownEvents.sum(),
        extractorFailures.sum(),
        storeFailures.sum(),
        listenerFailures.sum(),
        experiments.recorded(),
        experiments.attributed(),
        experiments.optimizer().storeFailures());
  }
}
