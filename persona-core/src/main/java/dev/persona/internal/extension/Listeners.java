package dev.persona.internal.extension;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.Visit;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.spi.DecisionListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's listeners, each behind its own {@link ListenerQueue}; without listeners, no thread
 * and nothing to do per decision. Thread-safe.
 */
public final class Listeners {
  private final ListenerQueue[] queues;
  private final LongAdder failures = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /**
   * Starts a thread per listener.
   *
   * @param capacity decisions that may wait for each listener, positive
   * @param log where failures and drops are logged
   */
  public Listeners(List<DecisionListener> listeners, int capacity, ThrottledLog log) {
    this.queues = new ListenerQueue[listeners.size()];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = ListenerQueue.start(listeners.get(i), i + 1, capacity, failures, dropped, log);
    }
  }

  /** Queues a decision for every listener; never blocks. */
  public void publish(Visit visit, Decision decision) {
    for (ListenerQueue q : queues) {
      q.publish(visit, decision);
    }
  }

  /** Queues an outcome the engine counted for every listener; never blocks. */
  public void publish(Outcome outcome, Instant at) {
    for (ListenerQueue q : queues) {
      q.publish(outcome, at);
    }
  }

  /** Returns how many times a listener threw. */
  public long failures() {
    return failures.sum();
  }

  /**
   * Returns how many decisions and outcomes were not passed to a listener: its queue was full, or
   * closed.
   */
  public long dropped() {
    return dropped.sum();
  }

  /**
   * Stops every listener's thread after the decisions already queued, waiting for them all together
   * at most {@code waitNanos}; what is still queued then is dropped and counted.
   */
  public void close(long waitNanos) {
    for (ListenerQueue q : queues) {
      q.stop();
    }
    long deadline = System.nanoTime() + waitNanos;
    for (ListenerQueue q : queues) {
      q.awaitStop(deadline);
    }
  }
}
