package dev.persona.rules.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Joins logged outcomes to their decisions by decision id, in the log's time: a decision waits a
 * window for its outcomes and is then closed; outcomes that come before their decision wait as long
 * for it, and are then counted as unmatched, as are outcomes without a decision id. Memory holds
 * one window of decisions, however long the logs. Not thread-safe.
 *
 * @param <P> what a waiting decision holds
 */
final class OutcomeWindow<P> {
  private record Waiting<P>(long at, P decision) {}

  private record Early(long at, List<LogRecords.LoggedOutcome> outcomes) {}

  private final long window;
  private final BiConsumer<P, LogRecords.LoggedOutcome> join;
  private final Consumer<P> close;
  private final LinkedHashMap<String, Waiting<P>> pending = new LinkedHashMap<>();
  private final LinkedHashMap<String, Early> early = new LinkedHashMap<>();
  private long now = Long.MIN_VALUE;
  private long unmatched;

  /**
   * @param window how long, in the log's milliseconds, a decision waits for its outcomes
   * @param join adds an outcome to its waiting decision
   * @param close ends a decision whose window passed
   */
  OutcomeWindow(long window, BiConsumer<P, LogRecords.LoggedOutcome> join, Consumer<P> close) {
    this.window = window;
    this.join = join;
    this.close = close;
  }

  /** Moves the log's time on: decisions and early outcomes older than the window are done. */
  void advance(long at) {
    if (at <= now) {
      return;
    }
    now = at;
    long cutoff = at - window;
    for (Iterator<Waiting<P>> it = pending.values().iterator(); it.hasNext(); ) {
      Waiting<P> w = it.next();
      if (w.at() >= cutoff) {
        break;
      }
      it.remove();
      close.accept(w.decision());
    }
    for (Iterator<Early> it = early.values().iterator(); it.hasNext(); ) {
      Early e = it.next();
      if (e.at() >= cutoff) {
        break;
      }
      it.remove();
      unmatched += e.outcomes().size();
    }
  }

  /** Adds a decision made at {@code at}, joining the outcomes that came before it. */
  void decision(String id, long at, P decision) {
    Early before = early.remove(id);
    if (before != null) {
      for (LogRecords.LoggedOutcome o : before.outcomes()) {
        join.accept(decision, o);
      }
    }
    pending.put(id, new Waiting<>(at, decision));
  }

  /** Joins an outcome to its decision, or keeps it for a decision still to come. */
  void outcome(LogRecords.LoggedOutcome o) {
    String id = o.decision();
    if (id == null) {
      unmatched++;
      return;
    }
    Waiting<P> w = pending.get(id);
    if (w != null) {
      join.accept(w.decision(), o);
    } else {
      early.computeIfAbsent(id, k -> new Early(o.at(), new ArrayList<>())).outcomes().add(o);
    }
  }

  /** Closes every decision still waiting and counts the outcomes that found none. */
  void finish() {
    pending.values().forEach(w -> close.accept(w.decision()));
    pending.clear();
    early.values().forEach(e -> unmatched += e.outcomes().size());
    early.clear();
  }

  /** Returns how many outcomes found no decision within the window. */
  long unmatched() {
    return unmatched;
  }
}
