package dev.persona.internal.extension;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.Visit;
import dev.persona.internal.report.KnownFailure;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.spi.DecisionListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Tells one listener of decisions and outcomes on its own daemon thread, in the order they were
 * published, through a queue bounded by count and by the estimated size of the visits it holds
 * ({@link #MAX_QUEUED_BYTES}): the request thread only offers. A listener that stalls fills its own
 * queue; further decisions are dropped for it, counted and logged (at most once per interval), and
 * no other listener or request waits. The thread inherits no thread-local values from the thread
 * that built the engine. Thread-safe.
 */
public final class ListenerQueue {
  /**
   * The most bytes of visits, {@linkplain #estimate estimated}, that may wait for one listener: 16
   * MiB. A visit alone may be larger, when nothing else waits.
   */
  public static final long MAX_QUEUED_BYTES = 16L << 20;

  /** What a queued decision costs besides its visit, roughly. */
  private static final long ITEM_BYTES = 512;

  private static final Object STOP = new Object();

  private final DecisionListener listener;
  private final String component;
  private final String queueComponent;
  private final BlockingQueue<Object> queue;
  private final LongAdder failures;
  private final LongAdder dropped;
  private final ThrottledLog log;
  private final KnownFailure full;
  private final KnownFailure fullBytes;
  private final long maxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final KnownFailure closedNotice;
  private final Thread thread;
  private volatile boolean closed;

  private ListenerQueue(
      DecisionListener listener,
      int number,
      int capacity,
      long maxBytes,
      LongAdder failures,
      LongAdder dropped,
      ThrottledLog log) {
    this.listener = listener;
    this.maxBytes = maxBytes;
    this.component = "listener " + listener.getClass().getName();
    this.queueComponent = component + " queue";
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.failures = failures;
    this.dropped = dropped;
    this.log = log;
    this.full =
        new KnownFailure(
            "is full ("
                + capacity
                + " decisions wait for the listener); decisions and outcomes are dropped for the"
                + " listener");
    this.fullBytes =
        new KnownFailure(
            "is full (the visits that wait for the listener hold more than "
                + (maxBytes >> 20)
                + " MiB); decisions and outcomes are dropped for the listener");
    this.closedNotice =
        new KnownFailure(
            "is closed with the engine; decisions and outcomes are dropped for the listener");
    this.thread = new Thread(null, this::run, "persona-listener-" + number, 0, false);
    thread.setDaemon(true);
  }

  /**
   * Starts a listener's thread.
   *
   * @param number the listener's place among the engine's listeners, for the thread's name
   * @param capacity decisions that may wait for the listener, positive
   * @param failures counts the listener's exceptions
   * @param dropped counts decisions not passed to the listener
   * @return the running queue
   */
  public static ListenerQueue start(
      DecisionListener listener,
      int number,
      int capacity,
      LongAdder failures,
      LongAdder dropped,
      ThrottledLog log) {
    return start(listener, number, capacity, MAX_QUEUED_BYTES, failures, dropped, log);
  }

  /**
   * Like {@link #start(DecisionListener, int, int, LongAdder, LongAdder, ThrottledLog)}, with
   * {@code maxBytes} of visits that may wait instead of {@link #MAX_QUEUED_BYTES}.
   */
  static ListenerQueue start(
      DecisionListener listener,
      int number,
      int capacity,
      long maxBytes,
      LongAdder failures,
      LongAdder dropped,
      ThrottledLog log) {
    ListenerQueue q =
        new ListenerQueue(listener, number, capacity, maxBytes, failures, dropped, log);
    q.thread.start();
    return q;
  }

  /** Queues a decision for the listener; never blocks. Once closed, drops it. */
  public void publish(Visit visit, Decision decision) {
    offer(new Item(visit, decision, estimate(visit)));
  }

  /** Queues an outcome the engine counted for the listener; never blocks. Once closed, drops it. */
  public void publish(Outcome outcome, Instant at) {
    offer(new OutcomeItem(outcome, at, estimate(outcome)));
  }

  private void offer(Queued item) {
    if (closed) {
      drop(closedNotice);
      return;
    }
    long bytes = item.bytes();
    long queued = queuedBytes.addAndGet(bytes);
    if (queued > maxBytes && queued != bytes) {
      queuedBytes.addAndGet(-bytes);
      drop(fullBytes);
    } else if (!queue.offer(item)) {
      queuedBytes.addAndGet(-bytes);
      drop(full);
    }
  }

  /** Returns roughly how many bytes a queued outcome holds: {@link #ITEM_BYTES} and its strings. */
  static long estimate(Outcome outcome) {
    String id = outcome.id();
    String decision = outcome.decisionId();
    return ITEM_BYTES
        + 2L
            * (outcome.sessionId().length()
                + outcome.placement().length()
                + outcome.variant().length()
                + (id == null ? 0 : id.length())
                + (decision == null ? 0 : decision.length()));
  }

  /**
   * Returns roughly how many bytes a queued decision holds with its visit: two per character of its
   * ids, headers, query parameters and string values, a little for each other value and event, and
   * {@link #ITEM_BYTES} for the decision. Cheap: reads sizes, not contents.
   */
  static long estimate(Visit visit) {
    if (visit == null) {
      return ITEM_BYTES;
    }
    try {
      long chars = length(visit.sessionId()) + length(visit.userId());
      for (Map.Entry<String, String> h : visit.headers().entrySet()) {
        chars += 16 + length(h.getKey()) + length(h.getValue());
      }
      for (Map.Entry<String, String> q : visit.query().entrySet()) {
        chars += 16 + length(q.getKey()) + length(q.getValue());
      }
      chars += values(visit.declared()) + values(visit.profile());
      for (Event e : visit.events()) {
        chars += 32 + length(e.type()) + values(e.attributes());
      }
      return ITEM_BYTES + 2 * chars;
    } catch (RuntimeException e) {
      return ITEM_BYTES + (1L << 16); // a visit of hostile values: taken as large
    }
  }

  private static long values(Map<String, Object> values) {
    long chars = 0;
    for (Map.Entry<String, Object> v : values.entrySet()) {
      Object value = v.getValue();
      chars +=
          16
              + length(v.getKey())
              + (value instanceof CharSequence s
                  ? s.length()
                  : value instanceof Collection<?> c ? 16L * c.size() : 16);
    }
    return chars;
  }

  private static long length(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  private void drop(KnownFailure why) {
    dropped.increment();
    log.failure(queueComponent, why);
  }

  /**
   * Refuses further decisions and lets the thread end after those already queued. Returns at once;
   * {@link #awaitStop} waits.
   */
  public void stop() {
    closed = true;
    queue.offer(STOP); // when full, the thread is busy and sees closed once the queue is empty
  }

  /**
   * Waits until the thread has told the listener of every queued decision, or until {@code
   * deadlineNanos} of {@link System#nanoTime()}; then interrupts a listener still busy, and drops
   * (and counts) the decisions it was not told of.
   */
  public void awaitStop(long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    ArrayList<Object> left = new ArrayList<>();
    queue.drainTo(left);
    for (Object o : left) {
      if (o != STOP) {
        dropped.increment();
      }
    }
  }

  private void run() {
    try {
      while (true) {
        Object next = queue.take();
        if (next == STOP) {
          return;
        }
        Queued item = (Queued) next;
        if (item instanceof Item d) {
          tell(d.visit, d.decision);
        } else {
          tell((OutcomeItem) item);
        }
        queuedBytes.addAndGet(-item.bytes());
        if (closed && queue.isEmpty()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closing: awaitStop counts what is left
    }
  }

  // The listener has this thread to itself: whatever it throws, even an Error, is counted and
  // logged, and the thread goes on to the next decision.
  private void tell(Visit visit, Decision decision) {
    try {
      listener.onDecision(visit, decision);
    } catch (RuntimeException | Error e) {
      failures.increment();
      log.failure(component, e);
    }
  }

  private void tell(OutcomeItem item) {
    try {
      listener.onOutcome(item.outcome, item.at);
    } catch (RuntimeException | Error e) {
      failures.increment();
      log.failure(component, e);
    }
  }

  /** What waits for the listener, with its estimated size. */
  private sealed interface Queued permits Item, OutcomeItem {
    long bytes();
  }

  private record Item(Visit visit, Decision decision, long bytes) implements Queued {}

  private record OutcomeItem(Outcome outcome, Instant at, long bytes) implements Queued {}
}
