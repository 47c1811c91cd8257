package dev.persona.internal.extension;

import dev.persona.Decision;
import dev.persona.Visit;
import dev.persona.internal.engine.ThrottledLog;
import dev.persona.spi.DecisionListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tells one listener of decisions on its own daemon thread, in order, through a bounded queue: the
 * request thread only enqueues. A listener that stalls fills its own queue; further decisions are
 * dropped for it and counted, and no other listener or request waits. Thread-safe.
 */
public final class ListenerQueue {
  private static final Object STOP = new Object();

  private final DecisionListener listener;
  private final BlockingQueue<Object> queue;
  private final LongAdder failures;
  private final LongAdder dropped;
  private final ThrottledLog log;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Starts the listener's thread.
   *
   * @param capacity decisions that may wait for the listener
   * @param failures counts the listener's exceptions
   * @param dropped counts decisions dropped because the queue was full
   */
  public ListenerQueue(
      DecisionListener listener,
      int capacity,
      LongAdder failures,
      LongAdder dropped,
      ThrottledLog log) {
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.failures = failures;
    this.dropped = dropped;
    this.log = log;
    this.thread = new Thread(this::run, "persona-listener-" + listener.getClass().getSimpleName());
    thread.setDaemon(true);
    thread.start();
  }

  /** Enqueues a decision for the listener; never blocks. */
  public void publish(Visit visit, Decision decision) {
    if (closed || !queue.offer(new Item(visit, decision))) {
      dropped.increment();
      log.failure(
          "listener " + listener.getClass().getName(),
          new IllegalStateException("listener is behind; decisions dropped for it"));
    }
  }

  /** Stops the thread after the decisions already queued, waiting at most {@code millis}. */
  public void close(long millis) {
    closed = true;
    if (!queue.offer(STOP)) {
      thread.interrupt();
    }
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }

  private void run() {
    while (true) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP) {
        return;
      }
      Item item = (Item) next;
      try {
        listener.onDecision(item.visit, item.decision);
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        failures.increment();
        log.failure("listener " + listener.getClass().getName(), e);
      }
    }
  }

  private record Item(Visit visit, Decision decision) {}
}
