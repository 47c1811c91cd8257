package dev.persona;

import dev.persona.internal.engine.UserSessions;
import dev.persona.internal.experiment.Experiments;
import dev.persona.internal.extension.Listeners;
import dev.persona.internal.extension.TimedCalls;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.Evaluation;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.internal.signals.BuiltInSignals;
import dev.persona.internal.signals.ExtractorSink;
import dev.persona.internal.signals.Extractors;
import dev.persona.internal.signals.RequestSignals;
import dev.persona.internal.signals.Scratch;
import dev.persona.internal.signals.SessionSignals;
import dev.persona.internal.signals.SignalSlots;
import dev.persona.internal.signals.VisitReader;
import dev.persona.spi.DecisionListener;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.spi.SignalExtractor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The decision pipeline behind {@link PersonaEngine#decide}. Thread-safe. */
final class Decider {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.engine");

  private static final Reason GPC = consentReason("Sec-GPC: 1 asks not to be tracked");
  private static final Reason DENIED = consentReason("the shopper declared consent denied");
  private static final Reason NOT_GRANTED =
      consentReason("consent is required and was not granted");

  private final Supplier<CompiledRuleSet> rules;
  private final SessionStore store;
  private final UserSessions userSessions;
  private final Extractors extractors;
  private final Scratch.Pool scratch;
  private final Listeners listeners;
  private final TimedCalls calls;
  private final Clock clock;
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
  private final LongAdder storeFailures = new LongAdder();

  Decider(
      Supplier<CompiledRuleSet> rules,
      SessionStore store,
      UserSessions userSessions,
      List<SignalExtractor> extractors,
      TimedCalls calls,
      List<DecisionListener> listeners,
      int listenerQueueCapacity,
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
    this.calls = calls;
    this.clock = clock;
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
    this.extractors = new Extractors(extractors, zone, failures, calls);
    this.listeners = new Listeners(listeners, listenerQueueCapacity, failures);
    this.scratch = new Scratch.Pool(this.extractors.table(), limits.maxStringLength());
  }

  Decision decide(Visit visit) {
    CompiledRuleSet compiled = rules.get();
    Scratch work = scratch.acquire();
    Decision decision;
    try {
      InputReport report = work.report;
      try {
        if (visit != null && !visit.dropped.isEmpty()) {
          for (String what : visit.dropped) {
            report.rejected(what);
          }
        }
        if (visit == null || !visit.isValid()) {
          report.flag(Decision.Flag.INVALID_VISIT, "default decision: the visit has no session id");
          decision = defaultDecision(compiled, report);
        } else if (visit.sessionId().length() > limits.maxSessionIdLength()) {
          report.truncated("session id longer than " + limits.maxSessionIdLength() + " characters");
          report.flag(Decision.Flag.INVALID_VISIT, "default decision: the session id is too long");
          decision = defaultDecision(compiled, report);
        } else {
          decision = personalize(compiled, visit, work);
        }
      } catch (RuntimeException | StackOverflowError e) {
        failures.failure("decision", e);
        InputReport failed = new InputReport();
        failed.flag(Decision.Flag.INTERNAL_ERROR, "default decision: the engine failed");
        decision = defaultDecision(compiled, failed);
        report = failed;
      }
      count(decision, report);
    } finally {
      scratch.release(work);
    }
    listeners.publish(visit, decision);
    return decision;
  }

  private Decision personalize(CompiledRuleSet compiled, Visit visit, Scratch work) {
    InputReport report = work.report;
    long nowMillis = now(visit);

    Map<String, SignalSpec> specs = compiled.signals();
    Map<String, Object> declared = reader.declared(visit, specs, report);
    Reason limited = consent(visit, declared);
    ConsentMode consent = limited == null ? ConsentMode.FULL : ConsentMode.REQUEST_ONLY;

    work.noteLongHeaders(visit, limits.maxHeaderLength());
    ExtractorSink sink = work.sink;
    extractors.run(visit, nowMillis, sink, report);
    boolean bot = extractors.isBot(sink);

    SignalSlots slots = extractors.slots(compiled);
    SignalFrame frame = work.frame(compiled);
    Map<String, Object> kept;
    Map<String, Object> profile;
    SessionData session;
    if (consent == ConsentMode.FULL) {
      profile = reader.profile(visit, specs, report);
      Activity activity = reader.activity(visit, nowMillis, bot ? Map.of() : declared, report);
      session = session(visit.sessionId(), activity, bot, report);
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
      if (session.displaced() > 0) {
        report.truncated(
            "categories or brands beyond the session limit of "
                + limits.maxAffinityKeys()
                + " each: the lightest kept");
      }
      kept = bot ? declared : session.declared();
      put(frame, compiled, kept);
      SessionSignals.fill(frame, slots, session, nowMillis);
      if (!profile.isEmpty()) {
        for (Map.Entry<String, Object> p : profile.entrySet()) {
          if (kept.containsKey(p.getKey())) {
            report.rejected(
                "profile fact '" + p.getKey() + "' has the key of a declared attribute");
          } else {
            frame.putValue(compiled.slot(p.getKey()), p.getValue());
          }
        }
      }
    } else {
      forgetSession(visit.sessionId(), report);
      kept = declared;
      profile = Map.of();
      session = null;
      put(frame, compiled, kept);
    }
    sink.fill(frame, slots);

    Evaluation e =
        compiled.evaluate(frame, experiments.allocate(visit, report, compiled.hasExperiments()));
    RequestSignals signals =
        new RequestSignals(kept, session, nowMillis, profile, extractors.table(), sink.snapshot());
    List<Reason> leading = leading(limited, report.reasons());
    return new Decision(
        compiled.version(),
        compiled.personaIds(),
        e.scores(),
        e.persona(),
        e.lifecycle(),
        e.stage(),
        signals,
        e.choices(),
        consent,
        () -> {
          List<Reason> all = new ArrayList<>(leading);
          all.addAll(e.explain(signals.frame(compiled)));
          return all;
        },
        report.flags());
  }

  /** Returns the request's time: the visit's, else the clock's; clamped like the visit's. */
  private long now(Visit visit) {
    Optional<Instant> t = visit.timestamp();
    if (t.isPresent()) {
      return VisitReader.millis(t.get());
    }
    try {
      return VisitReader.millis(clock.millis());
    } catch (ArithmeticException e) {
      return VisitReader.millis(clock.instant());
    }
  }

  private static void put(SignalFrame frame, CompiledRuleSet compiled, Map<String, Object> values) {
    if (!values.isEmpty()) {
      for (Map.Entry<String, Object> v : values.entrySet()) {
        frame.putValue(compiled.slot(v.getKey()), v.getValue());
      }
    }
  }

  private static List<Reason> leading(Reason limited, List<Reason> input) {
    if (input.isEmpty()) {
      return limited == null ? List.of() : List.of(limited);
    }
    List<Reason> out = new ArrayList<>(input.size() + 1);
    if (limited != null) {
      out.add(limited);
    }
    out.addAll(input);
    return out;
  }

  /** Returns why only the request's signals may be used, or null when everything may. */
  private Reason consent(Visit visit, Map<String, Object> declared) {
    String gpc = visit.headers().get("sec-gpc");
    if (gpc != null && gpc.strip().equals("1")) {
      return GPC;
    }
    Object said = declared.get(BuiltInSignals.CONSENT);
    if ("denied".equals(said)) {
      return DENIED;
    }
    if (!requireConsent || "granted".equals(said) || grantedEarlier(visit.sessionId())) {
      return null;
    }
    return NOT_GRANTED;
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
          Decision.Flag.STORE_FAILED, failed(e) + "; only this request's behaviour is used");
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
      report.flag(Decision.Flag.STORE_FAILED, failed(e) + "; the session was not dropped");
    }
  }

  /** Says how a store call failed: it threw, or it timed out or was refused a thread. */
  private static String failed(RuntimeException e) {
    return e instanceof TimedCalls.CallFailed f
        ? "the session store " + f.what()
        : "the session store failed";
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
        List::of,
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
    addIfAny(truncated, report.truncatedCount());
    addIfAny(rejected, report.rejectedCount());
    addIfAny(unknownEvents, report.unknownEventCount());
  }

  /** Adding zero to a LongAdder still writes its shared base: threads would contend for nothing. */
  private static void addIfAny(LongAdder adder, int n) {
    if (n != 0) {
      adder.add(n);
    }
  }

  /** Stops the listeners' threads, waiting at most {@code waitNanos}, and the extension pool. */
  void close(long waitNanos) {
    listeners.close(waitNanos);
    if (calls != null) {
      calls.close();
    }
  }

  EngineStats stats() {
    return new EngineStats(
        decisions.sum(),
        defaultDecisions.sum(),
        truncated.sum(),
        rejected.sum(),
        unknownEvents.sum(),
        extractors.failures(),
        storeFailures.sum(),
        listeners.failures(),
        experiments.recorded(),
        experiments.attributed(),
        experiments.optimizer().storeFailures(),
        listeners.dropped());
  }
}
