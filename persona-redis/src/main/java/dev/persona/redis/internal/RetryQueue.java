package dev.persona.redis.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that could not be done now and is tried again later: a bounded queue per instance, drained
 * in order by one daemon thread with backoff. What it promises:
 *
 * <ul>
 *   <li>{@link #offer} never blocks: it queues the item, or refuses it when {@code capacity} items
 *       wait or the queue is closed (then the item is dropped: counted, and logged as below).
 *   <li>One daemon thread, started by the first offer, tries the oldest item. When the attempt is
 *       done, the next item is tried at once; when it is not (it returned false or threw), the
 *       thread waits, first {@code minBackoff}, doubling up to {@code maxBackoff} and back to
 *       {@code minBackoff} after the next success, and tries the oldest item again. Attempts never
 *       overlap one another; they do overlap the work of the threads that offer.
 *   <li>An item that has waited {@code giveUpAfter} since it was offered is given up before its
 *       next attempt: dropped.
 *   <li>An attempt that failed may still have taken effect (a timeout), and an item may be tried
 *       several times: items must be idempotent. Attempts must bound their own time; the thread
 *       never interrupts them.
 *   <li>{@link #close(Duration)} refuses new items, goes on trying the queued ones until none is
 *       left or its deadline has passed, drops what is left, and stops the thread.
 *   <li>Every dropped item is counted ({@link #dropped()}), and drops are logged at WARN on the
 *       logger {@code dev.persona.redis} at most once a minute, with their number and reasons and
 *       nothing of the items.
 * </ul>
 *
 * <p>Thread-safe.
 *
 * @param <T> the items
 */
public final class RetryQueue<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.redis");
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /**
   * Tries one item once. Thread-safe as far as the queue is concerned: the queue calls it from one
   * thread at a time.
   *
   * @param <T> the items
   */
  @FunctionalInterface
  public interface Attempt<T> {
    /**
     * Tries the item once, in bounded time.
     *
     * @param item the item
     * @return true when it is done (or needs no more tries), false to try it again later; an
     *     exception counts as false
     */
    boolean tryOnce(T item);
  }

  private final String component;
  private final int capacity;
  private final long minBackoffNanos;
  private final long maxBackoffNanos;
  private final long giveUpNanos;
  private final Attempt<T> attempt;
  private final LongSupplier ticker;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final Condition closing = lock.newCondition();
  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private Thread thread;
  private boolean closed;
  private long closeDeadline;

  private final LongAdder queued = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder done = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder givenUp = new LongAdder();
  private final LongAdder abandoned = new LongAdder();
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong reported = new AtomicLong();

  /**
   * Creates a queue; its thread starts with the first offer.
   *
   * @param component what the items are for, named in the thread and the log, such as {@code "Redis
   *     stats store"}; no request data
   * @param capacity the most items waiting; 0 refuses every item
   * @param minBackoff the first wait after a failed attempt, positive
   * @param maxBackoff the longest wait, at least {@code minBackoff}
   * @param giveUpAfter how long an item may wait before it is dropped, positive
   * @param attempt tries one item
   */
  public RetryQueue(
      String component,
      int capacity,
      Duration minBackoff,
      Duration maxBackoff,
      Duration giveUpAfter,
      Attempt<T> attempt) {
    this(component, capacity, minBackoff, maxBackoff, giveUpAfter, attempt, System::nanoTime);
  }

  /** Creates a queue that reads the time from {@code ticker}, in nanoseconds; for tests. */
  RetryQueue(
      String component,
      int capacity,
      Duration minBackoff,
      Duration maxBackoff,
      Duration giveUpAfter,
      Attempt<T> attempt,
      LongSupplier ticker) {
    if (capacity < 0
        || minBackoff.isNegative()
        || minBackoff.isZero()
        || maxBackoff.compareTo(minBackoff) < 0
        || giveUpAfter.isNegative()
        || giveUpAfter.isZero()) {
      throw new IllegalArgumentException("a retry queue needs capacity >= 0 and positive times");
    }
    this.component = component;
    this.capacity = capacity;
    this.minBackoffNanos = minBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.giveUpNanos = giveUpAfter.toNanos();
    this.attempt = attempt;
    this.ticker = ticker;
  }

  /**
   * Queues an item to be tried later; never blocks.
   *
   * @param item the item, idempotent
   * @return false if it was refused and dropped: the queue is full or closed
   */
  public boolean offer(T item) {
    lock.lock();
    try {
      if (closed || queue.size() >= capacity) {
        refused.increment();
      } else {
        queue.addLast(new Entry<>(item, ticker.getAsLong()));
        queued.increment();
        if (thread == null || !thread.isAlive()) {
          thread = new Thread(this::drain, "persona-retry (" + component + ")");
          thread.setDaemon(true);
          thread.start();
        }
        waiting.signal();
        return true;
      }
    } finally {
      lock.unlock();
    }
    dropped("refused: " + capacity + " waiting or closed");
    return false;
  }

  private void drain() {
    long backoff = minBackoffNanos;
    while (true) {
      Entry<T> head;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          waiting.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        long now = ticker.getAsLong();
        if (closed && now - closeDeadline >= 0) {
          abandon();
          return;
        }
        head = queue.peekFirst();
        if (now - head.offeredAt >= giveUpNanos) {
          queue.pollFirst();
          givenUp.increment();
          head = null;
        }
      } finally {
        lock.unlock();
      }
      if (head == null) {
        dropped("given up after " + Duration.ofNanos(giveUpNanos).toMillis() + " ms");
        continue;
      }
      boolean ok;
      try {
        ok = attempt.tryOnce(head.item);
      } catch (RuntimeException e) {
        ok = false;
      }
      attempts.increment();
      lock.lock();
      try {
        if (ok) {
          queue.pollFirst(); // still the head: only this thread takes items
          done.increment();
          backoff = minBackoffNanos;
        } else {
          long wait = closed ? Math.min(backoff, closeDeadline - ticker.getAsLong()) : backoff;
          if (wait > 0) {
            var unused = closing.awaitNanos(wait);
          }
          backoff = Math.min(2 * backoff, maxBackoffNanos);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abandon();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Drops every queued item; the lock is held. */
  private void abandon() {
    int left = queue.size();
    queue.clear();
    if (left > 0) {
      abandoned.add(left);
      dropped("left at close");
    }
  }

  private void dropped(String reason) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_NANOS)
        && lastLogged.compareAndSet(last, now)) {
      long all = dropped();
      long since = all - reported.getAndSet(all);
      LOG.warn(
          "{}: dropped {} queued retries since the last report (the latest: {}); {} in all",
          component,
          since,
          reason,
          all);
    }
  }

  /**
   * Returns how many items wait.
   *
   * @return the count
   */
  public int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many items were queued.
   *
   * @return the count
   */
  public long queued() {
    return queued.sum();
  }

  /**
   * Returns how many attempts the thread made.
   *
   * @return the count
   */
  public long attempts() {
    return attempts.sum();
  }

  /**
   * Returns how many queued items an attempt finished.
   *
   * @return the count
   */
  public long done() {
    return done.sum();
  }

  /**
   * Returns how many items were dropped: refused because the queue was full or closed, given up
   * after waiting too long, or left at close.
   *
   * @return the count
   */
  public long dropped() {
    return refused.sum() + givenUp.sum() + abandoned.sum();
  }

  /**
   * Returns how many items were refused because the queue was full or closed.
   *
   * @return the count
   */
  public long refused() {
    return refused.sum();
  }

  /**
   * Returns how many items were given up after waiting too long.
   *
   * @return the count
   */
  public long givenUp() {
    return givenUp.sum();
  }

  /**
   * Refuses new items, tries the queued ones for at most {@code wait}, drops what is left and stops
   * the thread; the second call does nothing.
   *
   * @param wait the most to spend on the queued items
   */
  public void close(Duration wait) {
    Thread t;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeDeadline = ticker.getAsLong() + wait.toNanos();
      waiting.signalAll();
      closing.signalAll();
      t = thread;
      if (t == null || !t.isAlive()) {
        abandon();
        return;
      }
    } finally {
      lock.unlock();
    }
    try {
      // the thread stops by the deadline, after the attempt under way (which bounds its time)
      t.join(wait.toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes, trying the queued items for at most one second. */
  @Override
  public void close() {
    close(Duration.ofSeconds(1));
  }

  @Override
  public String toString() {
    return "RetryQueue[" + component + ", " + size() + " of " + capacity + "]";
  }

  private record Entry<T>(T item, long offeredAt) {}
}
