package dev.persona.internal.extension;

import dev.persona.VariantStats;
import dev.persona.internal.report.KnownFailure;
import dev.persona.spi.StatsStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A custom stats store whose every call runs through {@link TimedCalls} with a time limit of its
 * own, so that a stalled store holds up {@code decide} and {@code recordOutcome} for at most the
 * limit. A call that takes longer is interrupted and left running; while it runs, further calls are
 * not made at all but fail at once, so that a request waits for a stalled store once, not once per
 * increment, and the store is called again as soon as it returns.
 *
 * <p>A snapshot that takes longer fails, as any failed snapshot. An increment that takes longer may
 * still be applied, once: it is never handed to the store again (and one with an id counts once
 * anyway). It throws {@link Pending}, which the engine counts as a timeout, not as a failure; if
 * the store then throws, the increment was not applied and {@link #lateFailures()} counts it, so
 * that failures keep counting the increments lost, as the {@link StatsStore} contract asks of a
 * throw. An increment refused a thread, not made because a call was overdue, or abandoned before it
 * started was not applied: it throws {@link TimedCalls.CallFailed}. Thread-safe if the store is.
 */
public final class TimedStatsStore implements StatsStore {
  private final StatsStore store;
  private final TimedCalls calls;
  private final long timeoutNanos;
  private final TimedCalls.CallFailed snapshotTimedOut;
  private final TimedCalls.CallFailed incrementTimedOut;
  private final TimedCalls.CallFailed overdue;
  private final Pending pending;
  private final AtomicInteger overdueCalls = new AtomicInteger();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder lateFailures = new LongAdder();

  /**
   * @param store the store
   * @param calls the pool the calls run on
   * @param timeout how long a call may take, positive
   */
  public TimedStatsStore(StatsStore store, TimedCalls calls, Duration timeout) {
    this.store = store;
    this.calls = calls;
    this.timeoutNanos = timeout.toNanos();
    this.snapshotTimedOut =
        TimedCalls.timedOut(timeout, "optimized placements use the snapshot read before");
    this.incrementTimedOut =
        TimedCalls.timedOut(timeout, "the increment may still be applied, once");
    this.overdue =
        new TimedCalls.CallFailed(
            "was not called: an earlier call has not returned within "
                + TimedCalls.millis(timeout)
                + " ms",
            "nothing was counted");
    this.pending = new Pending(incrementTimedOut.getMessage());
  }

  @Override
  public void add(VariantStats increment) {
    call(
        () -> {
          store.add(increment);
          return null;
        },
        true);
  }

  @Override
  public void add(String outcomeId, VariantStats increment) {
    call(
        () -> {
          store.add(outcomeId, increment);
          return null;
        },
        true);
  }

  @Override
  public List<VariantStats> snapshot() {
    return call(store::snapshot, false);
  }

  private <T> T call(Callable<T> body, boolean increment) {
    if (overdueCalls.get() > 0) {
      throw overdue;
    }
    Tracked<T> task = new Tracked<>(body, increment);
    try {
      return calls.call(task, timeoutNanos, increment ? incrementTimedOut : snapshotTimedOut);
    } catch (TimedCalls.CallFailed e) {
      switch (task.abandon()) {
        case Tracked.RUNNING:
          timeouts.increment();
          if (increment) {
            throw pending;
          }
          throw e;
        case Tracked.DONE:
          return task.result; // it returned just as the wait ended
        default:
          throw e; // never ran, or threw: not applied
      }
    }
  }

  @Override
  public boolean boundsCallTime() {
    return true;
  }

  /** Returns how many calls took longer than the limit: increments left running, and snapshots. */
  public long timeouts() {
    return timeouts.sum();
  }

  /** Returns how many increments left running after their time limit then threw. */
  public long lateFailures() {
    return lateFailures.sum();
  }

  @Override
  public String toString() {
    return "TimedStatsStore[" + store.getClass().getSimpleName() + "]";
  }

  /**
   * An increment that took longer than the limit and was left running; it may still be applied. Not
   * a failure of the store. One instance per store is thrown again and again.
   */
  public static final class Pending extends KnownFailure {
    private static final long serialVersionUID = 1L;

    Pending(String message) {
      super(message);
    }
  }

  /** One call, which knows whether it ran, returned or threw, also after its caller left. */
  private final class Tracked<T> implements Callable<T> {
    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int FAILED = 3;
    static final int ABANDONED = 4;

    private final Callable<T> body;
    private final boolean increment;
    private final AtomicInteger state = new AtomicInteger(NEW);
    volatile T result;

    Tracked(Callable<T> body, boolean increment) {
      this.body = body;
      this.increment = increment;
    }

    @Override
    public T call() throws Exception {
      if (!state.compareAndSet(NEW, RUNNING)) {
        return null; // abandoned before it started
      }
      T r;
      try {
        r = body.call();
      } catch (Exception | Error e) {
        if (!state.compareAndSet(RUNNING, FAILED)) {
          overdueCalls.decrementAndGet();
          if (increment) {
            lateFailures.increment(); // its caller had left: not applied after all
          }
        }
        throw e;
      }
      result = r;
      if (!state.compareAndSet(RUNNING, DONE)) {
        overdueCalls.decrementAndGet(); // landed late
      }
      return r;
    }

    /**
     * Called when the caller stops waiting: returns {@link #RUNNING} if the call is under way and
     * left to finish (counted as running past its limit until it does), {@link #DONE} or {@link
     * #FAILED} if it already finished, else {@link #NEW}: it never ran and never will.
     */
    int abandon() {
      if (state.compareAndSet(NEW, ABANDONED)) {
        return NEW;
      }
      overdueCalls.incrementAndGet();
      if (state.compareAndSet(RUNNING, ABANDONED)) {
        return RUNNING;
      }
      overdueCalls.decrementAndGet();
      return state.get();
    }
  }
}
