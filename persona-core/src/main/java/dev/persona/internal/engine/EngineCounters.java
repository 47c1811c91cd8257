package dev.persona.internal.engine;

import dev.persona.Decision;
import dev.persona.EngineStats;
import dev.persona.internal.report.InputReport;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline's own counters: decisions, default decisions and the input each request had to
 * truncate or reject. Other counters live with what they count (the store, extractors, listeners,
 * experiments); {@link Engine#stats()} gathers them all. Thread-safe.
 */
final class EngineCounters {
  private final LongAdder decisions = new LongAdder();
  private final LongAdder defaultDecisions = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder unknownEvents = new LongAdder();

  /** Counts one decision and what its request reported. */
  void count(Decision d, InputReport report) {
    decisions.increment();
    if (d.isDefault()) {
      defaultDecisions.increment();
    }
    addIfAny(truncated, report.truncatedCount());
    addIfAny(rejected, report.rejectedCount());
    addIfAny(unknownEvents, report.unknownEventCount());
  }

  /** Counts input dropped outside a decision: an outcome whose id is too long. */
  void truncated() {
    truncated.increment();
  }

  /** Adding zero to a LongAdder still writes its shared base: threads would contend for nothing. */
  private static void addIfAny(LongAdder adder, int n) {
    if (n != 0) {
      adder.add(n);
    }
  }

  /** Returns a builder holding these counters, for the rest to be added. */
  EngineStats.Builder snapshot() {
    return EngineStats.builder()
        .decisions(decisions.sum())
        .defaultDecisions(defaultDecisions.sum())
        .truncatedInputs(truncated.sum())
        .rejectedInputs(rejected.sum())
        .unknownEvents(unknownEvents.sum());
  }
}
