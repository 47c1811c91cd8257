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
 * for it, and are then counted as unmatched, as are outcomes without a decision id. An outcome
 * whose {@code key} came within the window before (the same outcome written twice: by two
 * instances, before and after a restart, or by a storefront and the engine) is counted once, as the
 * engine counted it. Memory holds one window of decisions and outcome keys, however long the logs.
 * Not thread-safe.
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
  private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();
  private long now = Long.MIN_VALUE;
  private long unmatched;
  private long repeated;

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
    for (Iterator<Long> it = keys.values().iterator(); it.hasNext(); ) {
      if (it.next() >= cutoff) {
        break;
      }
      it.remove();
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

  /**
   * Joins an outcome to its decision, or keeps it for a decision still to come; one whose key came
   * within the window before is counted as repeated, and joined to nothing.
   *
   * @return false for a repeated outcome
   */
  boolean outcome(LogRecords.LoggedOutcome o) {
    String key = o.key();
    if (key != null) {
      if (keys.containsKey(key)) {
        repeated++;
        return false;
      }
      keys.put(key, o.at());
    }
    String id = o.decision();
    if (id == null) {
      unmatched++;
      return true;
    }
    Waiting<P> w = pending.get(id);
    if (w != null) {
      join.accept(w.decision(), o);
    } else {
      early.computeIfAbsent(id, k -> new Early(o.at(), new ArrayList<>())).outcomes().add(o);
    }
    return true;
  }

  /** Closes every decision still waiting and counts the outcomes that found none. */
  void finish() {
    pending.values().forEach(w -> close.accept(w.decision()));
    pending.clear();
    early.values().forEach(e -> unmatched += e.outcomes().size());
    early.clear();
    keys.clear();
  }

  /** Returns how many outcomes were left out as written before, by their key. */
  long repeated() {
    return repeated;
  }

  /** Returns how many outcomes found no decision within the window. */
  long unmatched() {
    return unmatched;
  }
}
