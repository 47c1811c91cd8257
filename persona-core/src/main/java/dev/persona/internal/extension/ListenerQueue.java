package dev.persona.internal.extension;

import dev.persona.Decision;
import dev.persona.Visit;
import dev.persona.internal.report.KnownFailure;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.spi.DecisionListener;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tells one listener of decisions on its own daemon thread, in the order they were published,
 * through a bounded queue: the request thread only offers. A listener that stalls fills its own
 * queue; further decisions are dropped for it, counted and logged (at most once per interval), and
 * no other listener or request waits. The thread inherits no thread-local values from the thread
 * that built the engine. Thread-safe.
 */
public final class ListenerQueue {
  private static final Object STOP = new Object();

  private final DecisionListener listener;
  private final String component;
  private final String queueComponent;
  private final BlockingQueue<Object> queue;
  private final LongAdder failures;
  private final LongAdder dropped;
  private final ThrottledLog log;
  private final KnownFailure full;
  private final KnownFailure closedNotice;
  private final Thread thread;
  private volatile boolean closed;

  private ListenerQueue(
      DecisionListener listener,
      int number,
      int capacity,
      LongAdder failures,
      LongAdder dropped,
      ThrottledLog log) {
    this.listener = listener;
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
                + " decisions wait for the listener); decisions are dropped for the listener");
    this.closedNotice =
        new KnownFailure("is closed with the engine; decisions are dropped for the listener");
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
    ListenerQueue q = new ListenerQueue(listener, number, capacity, failures, dropped, log);
    q.thread.start();
    return q;
  }

  /** Queues a decision for the listener; never blocks. Once closed, drops it. */
  public void publish(Visit visit, Decision decision) {
    if (closed) {
      drop(closedNotice);
    } else if (!queue.offer(new Item(visit, decision))) {
      drop(full);
    }
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
        Item item = (Item) next;
        tell(item.visit, item.decision);
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

  private record Item(Visit visit, Decision decision) {}
}
