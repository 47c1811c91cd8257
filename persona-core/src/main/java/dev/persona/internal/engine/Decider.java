package dev.persona.internal.engine;

import dev.persona.Decision;
import dev.persona.Reason;
import dev.persona.SignalSpec;
import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.internal.experiment.Allocation;
import dev.persona.internal.experiment.Experiments;
import dev.persona.internal.extension.Listeners;
import dev.persona.internal.report.Fatal;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.Evaluation;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Assignments;
import dev.persona.internal.session.Conversions;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.Timeline;
import dev.persona.internal.signals.ExtractorSink;
import dev.persona.internal.signals.Extractors;
import dev.persona.internal.signals.Predictor;
import dev.persona.internal.signals.RequestSignals;
import dev.persona.internal.signals.Scratch;
import dev.persona.internal.signals.SessionSignals;
import dev.persona.internal.signals.VisitReader;
import dev.persona.internal.vocabulary.VocabularyMatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The decision pipeline: checks the visit, asks the {@link ConsentPolicy} what may be used, runs
 * the extractors, applies the visit to its session, scores with the rule set and lets experiments
 * allocate, then makes the {@link Decision} and tells the listeners. Each step that calls code of
 * your own is guarded where it is called ({@link GuardedSessionStore}, {@link Extractors}, {@link
 * Listeners}); whatever else fails becomes a default decision. Thread-safe.
 */
final class Decider {
  private final Supplier<CompiledRuleSet> rules;
  private final Limits limits;
  private final Timeline time;
  private final long toleranceMillis;
  private final VisitReader reader;

  /** The engine's vocabulary, for rule sets without one of their own. */
  private final VocabularyMatcher vocabulary;

  private final ConsentPolicy consent;
  private final Extractors extractors;
  private final SessionMemory sessions;
  private final @Nullable Profiles profiles;
  private final Experiments experiments;
  private final Listeners listeners;
  private final Scratch.Pool scratch;
  private final EngineCounters counters;
  private final ThrottledLog failures;
  private final Predictor predictor;
  private volatile Predictor.@Nullable Slots predicted;

  Decider(
      Supplier<CompiledRuleSet> rules,
      Limits limits,
      VocabularyMatcher vocabulary,
      Timeline time,
      long toleranceMillis,
      ConsentPolicy consent,
      Extractors extractors,
      SessionMemory sessions,
      @Nullable Profiles profiles,
      Experiments experiments,
      Listeners listeners,
      EngineCounters counters,
      ThrottledLog failures,
      Predictor predictor) {
    this.rules = rules;
    this.limits = limits;
    this.time = time;
    this.toleranceMillis = toleranceMillis;
    this.reader = new VisitReader(limits);
    this.vocabulary = vocabulary;
    this.consent = consent;
    this.extractors = extractors;
    this.sessions = sessions;
    this.profiles = profiles;
    this.experiments = experiments;
    this.listeners = listeners;
    this.scratch = new Scratch.Pool(extractors.table(), limits.maxStringLength());
    this.counters = counters;
    this.failures = failures;
    this.predictor = predictor;
  }

  /** Returns the slots and predictor of the predicted signals for {@code compiled}. */
  private Predictor.Slots predicted(CompiledRuleSet compiled) {
    Predictor.Slots s = predicted;
    if (s == null || !s.isFor(compiled)) {
      s = new Predictor.Slots(compiled, predictor);
      predicted = s;
    }
    return s;
  }

  Decision decide(@Nullable Visit visit) {
    CompiledRuleSet compiled = rules.get();
    Scratch work = scratch.acquire();
    String id = DecisionIds.next();
    Decision decision;
    try {
      InputReport report = work.report;
      try {
        decision = decide(id, compiled, visit, work);
      } catch (RuntimeException | Error e) {
        Fatal.rethrowIfFatal(e);
        failures.failure("decision", e);
        report = new InputReport();
        report.flag(Decision.Flag.INTERNAL_ERROR, "default decision: the engine failed");
        decision = Decisions.fallback(id, compiled, report);
      }
      counters.count(decision, report);
    } finally {
      scratch.release(work);
    }
    listeners.publish(visit, decision);
    return decision;
  }

  private Decision decide(
      String id, CompiledRuleSet compiled, @Nullable Visit visit, Scratch work) {
    InputReport report = work.report;
    if (visit != null) {
      // the input left out; an invalid visit's last problem, its missing id, is flagged below
      List<String> problems = visit.problems();
      for (int i = 0, n = problems.size() - (visit.isValid() ? 0 : 1); i < n; i++) {
        report.rejected(problems.get(i));
      }
    }
    if (visit == null || !visit.isValid()) {
      report.flag(Decision.Flag.INVALID_VISIT, "default decision: the visit has no session id");
      return Decisions.fallback(id, compiled, report);
    }
    if (visit.sessionId().length() > limits.maxSessionIdLength()) {
      report.truncated("session id longer than " + limits.maxSessionIdLength() + " characters");
      report.flag(Decision.Flag.INVALID_VISIT, "default decision: the session id is too long");
      return Decisions.fallback(id, compiled, report);
    }
    return personalize(id, compiled, visit, work);
  }

  private Decision personalize(String id, CompiledRuleSet compiled, Visit visit, Scratch work) {
    InputReport report = work.report;
    long wall = time.wallMillis();
    long now = now(visit, wall, report);
    Map<String, SignalSpec> specs = compiled.signals();
    Map<String, Object> declared = reader.declared(visit, specs, report);
    @Nullable String userId = visit.userId();
    if (userId != null && userId.length() > limits.maxUserIdLength()) {
      report.truncated(
          "user id longer than " + limits.maxUserIdLength() + " characters: decided as anonymous");
      userId = null;
    }
    @Nullable Reason limited = consent.limit(visit, declared, userId, now, report);

    work.noteLongHeaders(visit, limits.maxHeaderLength());
    ExtractorSink sink = work.sink;
    extractors.run(visit, now, sink, report);
    SignalFrame frame = work.frame(compiled);
    boolean bot = extractors.isBot(sink);
    Allocation allocation =
        experiments.allocate(
            visit, userId, report, compiled.hasExperiments(), bot, limited == null && !bot, wall);
    RequestSignals signals =
        limited == null
            ? remembered(
                compiled,
                visit,
                userId,
                declared,
                now,
                wall,
                frame,
                sink,
                allocation,
                bot,
                report,
                work.words())
            : requestOnly(compiled, visit, userId, declared, now, frame, sink, limited, report);
    if (signals == null) { // the session declared consent denied before
      limited = ConsentPolicy.DENIED_EARLIER;
      signals = requestSignals(compiled, declared, now, frame, sink);
      allocation = allocation.untracked(); // the store kept the denial, not the visit
    }
    sink.fill(frame, extractors.slots(compiled));
    SessionData session = signals.session();
    if (session != null && compiled.hasStickyExperiments()) {
      allocation = allocation.withAssigned(session.assignments());
    }

    Evaluation e = compiled.evaluate(frame, allocation, id);
    if (compiled.hasMeasuredPlacements()) {
      experiments.watch().chosen(e.choices(), wall, report);
    }
    return Decisions.personalized(id, compiled, e, signals, limited, report);
  }

  /**
   * Puts every kind of signal in the frame, applying the visit to its session, with the arms it
   * gives in sticky experiments unless it is a bot's; returns null, having put none, when the
   * session declared consent denied before.
   */
  private @Nullable RequestSignals remembered(
      CompiledRuleSet compiled,
      Visit visit,
      @Nullable String userId,
      Map<String, Object> declared,
      long now,
      long wall,
      SignalFrame frame,
      ExtractorSink sink,
      Allocation allocation,
      boolean bot,
      InputReport report,
      char[] buffer) {
    Map<String, SignalSpec> specs = compiled.signals();
    Map<String, Object> profile = reader.profile(visit, specs, report);
    VocabularyMatcher words = compiled.vocabulary();
    Activity activity =
        reader.activity(
            visit,
            now,
            bot ? Map.of() : declared,
            report,
            words == null ? vocabulary : words,
            buffer);
    boolean signedIn = userId != null && !bot && profiles != null;
    if (!bot) {
      extractors.landing(sink, activity);
      if (signedIn) {
        activity.setUser(Profiles.key(userId));
      }
    }
    Conversions conversions = bot ? null : experiments.conversions(visit, activity, report);
    Assignments assigned = bot ? null : compiled.assign(allocation, activity.atMillis());
    SessionData session =
        sessions.visit(
            visit.sessionId(), userId, activity, conversions, assigned, bot, wall, report);
    if (session.consentDenied()) {
      if (signedIn) { // the most private of the two: the profile takes the session's denial
        profiles.deny(userId, now, report);
      }
      return null; // the store kept the denial only, not the visit's behaviour
    }
    SessionData user = signedIn ? profiles.visit(userId, session, activity, report) : null;
    if (user != null && user.consentDenied()) {
      // the signed-in shopper denied consent before: the most private choice holds here too
      sessions.deny(visit.sessionId(), now, report);
      return null;
    }
    if (session.clockAheadMillis() > 0) {
      report.flag(
          Decision.Flag.CLOCK_AHEAD,
          "the session's latest visit was "
              + session.clockAheadMillis()
              + " ms ahead of this visit: its clock was brought back");
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
    Map<String, Object> kept = bot ? declared : user != null ? user.declared() : session.declared();
    put(frame, compiled, kept);
    SessionSignals.fill(frame, extractors.slots(compiled), session, user, profile, now);
    if (!profile.isEmpty()) { // without an iterator for the usual visit, which gives none
      for (Map.Entry<String, Object> p : profile.entrySet()) {
        if (kept.containsKey(p.getKey())) {
          report.rejected("profile fact '" + p.getKey() + "' has the key of a declared attribute");
        } else {
          frame.putValue(compiled.slot(p.getKey()), p.getValue());
        }
      }
    }
    Predictor.Slots predictedSlots = predicted(compiled);
    predictedSlots.predictor().fill(frame, predictedSlots, profile);
    return new RequestSignals(
        kept,
        session,
        user,
        now,
        profile,
        predictedSlots.predictor(),
        extractors.table(),
        sink.snapshot());
  }

  /**
   * Puts only the request's own signals in the frame, and drops what the session stored; a denial
   * of consent, declared now, before in the session or, signed in, in the profile, is kept instead,
   * and a signed-in shopper's session's denial replaces their profile too (the most private of the
   * two, as at a sign-in). Nothing else is written to the profile.
   */
  private RequestSignals requestOnly(
      CompiledRuleSet compiled,
      Visit visit,
      @Nullable String userId,
      Map<String, Object> declared,
      long now,
      SignalFrame frame,
      ExtractorSink sink,
      Reason limited,
      InputReport report) {
    if (limited.equals(ConsentPolicy.DENIED) || limited.equals(ConsentPolicy.DENIED_EARLIER)) {
      sessions.deny(visit.sessionId(), now, report);
      if (userId != null && profiles != null) {
        profiles.deny(userId, now, report);
      }
    } else if (limited.equals(ConsentPolicy.DENIED_BY_USER)) {
      sessions.deny(visit.sessionId(), now, report); // the profile holds the denial already
    } else {
      sessions.drop(visit.sessionId(), now, report);
    }
    return requestSignals(compiled, declared, now, frame, sink);
  }

  private RequestSignals requestSignals(
      CompiledRuleSet compiled,
      Map<String, Object> declared,
      long now,
      SignalFrame frame,
      ExtractorSink sink) {
    put(frame, compiled, declared);
    return new RequestSignals(
        declared, null, null, now, Map.of(), predictor, extractors.table(), sink.snapshot());
  }

  /**
   * Returns the request's time: the visit's, unless it is ahead of the clock by more than the
   * tolerance (then flagged), else the clock's; clamped so that time arithmetic cannot overflow.
   */
  private long now(Visit visit, long clockMillis, InputReport report) {
    Instant t = visit.timestamp();
    if (t == null) {
      return clockMillis;
    }
    long visitMillis = VisitReader.millis(t);
    if (visitMillis - clockMillis > toleranceMillis) {
      report.flag(
          Decision.Flag.CLOCK_AHEAD,
          "the visit's timestamp was "
              + (visitMillis - clockMillis)
              + " ms ahead of the engine's clock: taken as now");
      return clockMillis;
    }
    return visitMillis;
  }

  private static void put(SignalFrame frame, CompiledRuleSet compiled, Map<String, Object> values) {
    if (!values.isEmpty()) {
      for (Map.Entry<String, Object> v : values.entrySet()) {
        frame.putValue(compiled.slot(v.getKey()), v.getValue());
      }
    }
  }
}
