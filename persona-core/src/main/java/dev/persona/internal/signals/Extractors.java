package dev.persona.internal.signals;

import dev.persona.Decision;
import dev.persona.Visit;
import dev.persona.internal.context.BuiltInExtractor;
import dev.persona.internal.context.ZoneOffsets;
import dev.persona.internal.extension.TimedCalls;
import dev.persona.internal.report.Fatal;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.session.Activity;
import dev.persona.spi.SignalExtractor;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs an engine's extractors over a request: built-in ones with the time as epoch millis, custom
 * ones with a {@link ZonedDateTime} made only for them, on the request thread or, given {@link
 * TimedCalls}, on one of its threads with a time limit. An extractor that throws, times out or is
 * refused a thread loses its own signals, is counted and logged. Thread-safe.
 */
public final class Extractors {
  private final SignalExtractor[] extractors;
  private final boolean[] builtIn;
  private final ContextSignals table;
  private final ZoneId zone;
  private final ZoneOffsets offsets;
  private final int device;
  private final int trafficSource;
  private final int campaign;
  private final int referrerHost;
  private final ThrottledLog log;
  private final TimedCalls calls;
  private final int maxSignals;
  private final LongAdder failures = new LongAdder();
  private volatile SignalSlots slots;

  /**
   * @param extractors the extractors, in the order they run
   * @param zone the engine's time zone
   * @param log where failures are logged
   * @param calls runs custom extractors with a time limit, or null to run them on the request
   *     thread
   */
  public Extractors(
      List<SignalExtractor> extractors, ZoneId zone, ThrottledLog log, TimedCalls calls) {
    this.extractors = extractors.toArray(new SignalExtractor[0]);
    this.builtIn = new boolean[this.extractors.length];
    for (int i = 0; i < builtIn.length; i++) {
      builtIn[i] = this.extractors[i] instanceof BuiltInExtractor;
    }
    this.table = new ContextSignals(extractors);
    this.zone = zone;
    this.offsets = ZoneOffsets.of(zone);
    this.device = table.id("device");
    this.trafficSource = table.id("traffic_source");
    this.campaign = table.id("campaign");
    this.referrerHost = table.id("referrer_host");
    this.log = log;
    this.calls = calls;
    this.maxSignals = Math.max(256, 2 * table.size());
  }

  /** Returns the signals the extractors declare. */
  public ContextSignals table() {
    return table;
  }

  /** Returns how many times an extractor failed. */
  public long failures() {
    return failures.sum();
  }

  /** Runs every extractor over {@code visit} at {@code nowMillis}, into {@code sink}. */
  public void run(Visit visit, long nowMillis, ExtractorSink sink, InputReport report) {
    ZonedDateTime local = null;
    for (int i = 0; i < extractors.length; i++) {
      SignalExtractor x = extractors[i];
      sink.next(i);
      try {
        if (builtIn[i]) {
          ((BuiltInExtractor) x).extract(visit, nowMillis, offsets, sink);
        } else {
          if (local == null) {
            local = Instant.ofEpochMilli(nowMillis).atZone(zone);
          }
          if (calls != null) {
            RecordedCall.replay(calls.call(new RecordedCall(x, visit, local, maxSignals)), sink);
          } else {
            ExtractorSink.Call call = sink.call();
            try {
              x.extract(visit, local, call);
            } finally {
              call.close();
            }
          }
        }
      } catch (RuntimeException | Error e) {
        Fatal.rethrowIfFatal(e);
        sink.dropCurrent();
        failures.increment();
        log.failure("extractor '" + table.source(i) + "'", e);
        report.flag(
            Decision.Flag.EXTRACTOR_FAILED,
            "extractor '"
                + table.source(i)
                + (e instanceof TimedCalls.CallFailed f ? "' " + f.what() : "' failed")
                + "; its signals are missing");
      }
    }
  }

  /** Returns whether the extractors said the request comes from a bot. */
  public boolean isBot(ExtractorSink sink) {
    for (int i = 0; i < sink.count(); i++) {
      if (sink.id(i) == device) {
        return "bot".equals(sink.value(i));
      }
    }
    return false;
  }

  /**
   * Marks {@code activity} as a landing when the extractors said the request came from outside the
   * store: its {@code traffic_source}, {@code campaign} and {@code referrer_host}, as emitted (and
   * so bounded by the engine's string limit).
   */
  public void landing(ExtractorSink sink, Activity activity) {
    if (trafficSource < 0) {
      return;
    }
    Object source = sink.valueOf(trafficSource);
    Object name = sink.valueOf(campaign);
    Object host = sink.valueOf(referrerHost);
    if (source instanceof String s) {
      activity.setLanding(
          s, name instanceof String c ? c : null, host instanceof String h ? h : null);
    }
  }

  /** Returns where the extractors' and the session's signals go in {@code rules}' frames. */
  public SignalSlots slots(CompiledRuleSet rules) {
    SignalSlots s = slots;
    if (s == null || !s.isFor(rules)) {
      s = new SignalSlots(rules, table);
      slots = s;
    }
    return s;
  }
}
