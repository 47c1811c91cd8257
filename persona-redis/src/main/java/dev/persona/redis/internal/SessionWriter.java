package dev.persona.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one daemon thread per store that writes what waits in {@link PendingWrites}: it sleeps while
 * nothing waits, and otherwise writes in rounds: the users' erasures, the sessions' erasures and
 * write-backs one by one, the links, then every session that waits, many at once ({@link
 * Flush#flushAll}), at most one round per {@link #ROUND_EVERY}; after a failure it waits, from
 * {@link #MIN_BACKOFF} doubling to {@link #MAX_BACKOFF}, and starts again. It checks whether Redis
 * lost its data about once a second ({@link #CHECK_EVERY}) and before the first round after a
 * failure, not before every round: under write-behind a round follows another as long as requests
 * come, a millisecond apart. {@link #wake()} costs a volatile read while the writer is busy or
 * already woken. Thread-safe.
 */
final class SessionWriter {
  static final Duration MIN_BACKOFF = Duration.ofMillis(10);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /**
   * The least time between the starts of two rounds: a session's changes made meanwhile are written
   * together, so that a hot session costs one write a millisecond rather than one a round trip, for
   * a millisecond more before other instances see them. A change that finds the writer idle is
   * written at once.
   */
  static final Duration ROUND_EVERY = Duration.ofMillis(1);

  /** The most time between two checks whether Redis lost its data, when no write failed. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /**
   * The most links sent at once, without waiting for each answer: after Redis lost its data every
   * instance queues the link of each session it holds, thousands, which one at a time kept the
   * changes queued meanwhile waiting for seconds.
   */
  static final int LINKS_AT_ONCE = 256;

  /** Writes what waits, until the deadline on {@link System#nanoTime()}. */
  interface Flush {
    /** Writes one session's waiting changes. */
    void flush(String name, long deadlineNanos);

    /**
     * Writes what waits for each of these sessions, several at once, each waiting at most {@link
     * RedisSessions#WRITE_TIMEOUT}; returns false if Redis failed or was away (a session that
     * cannot be written yet is no failure).
     */
    boolean flushEach(List<String> names);

    /**
     * Writes what waits for these sessions, the writes of many in flight at once, each batch
     * waiting at most {@link RedisSessions#WRITE_TIMEOUT}; returns false if Redis failed or was
     * away, after the writes in flight landed or timed out.
     */
    boolean flushAll(List<String> names);

    /**
     * Writes links of sessions to users (each a user's key, a session's key and the link's time),
     * sent at once; returns those not written (Redis failed, or did not answer in time).
     */
    List<byte[][]> links(List<byte[][]> links, long deadlineNanos);

    /**
     * Erases the sessions of each user's set as of the erasure's time, several users at once, each
     * waiting at most {@link RedisSessions#WRITE_TIMEOUT}; those not done are queued again ({@link
     * PendingWrites#eraseUserAgain}). Returns false if Redis failed.
     */
    boolean eraseUsers(List<PendingWrites.UserErasure> users);

    /**
     * Runs about once a second, and before the first round after a failure: checks whether Redis
     * lost its data.
     */
    void idle(long deadlineNanos);
  }

  private final PendingWrites pending;
  private final Flush flush;
  private final long writeTimeoutNanos;
  private volatile Thread thread;
  private volatile boolean closed;

  /**
   * Whether the writer is busy (it looks at what waits before it sleeps) or a wake is on its way:
   * then {@link #wake()} need not unpark it. Also true while it waits out a backoff, which wakes do
   * not cut short.
   */
  private volatile boolean awake;

  /** Set by {@link #retryNow()}: the backoff waited out now ends. */
  private volatile boolean retry;

  SessionWriter(PendingWrites pending, Flush flush, Duration writeTimeout) {
    this.pending = pending;
    this.flush = flush;
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  /**
   * Makes the writer look at what waits soon; starts it if it is not running. Call it after
   * queueing.
   */
  void wake() {
    if (awake) {
      return;
    }
    Thread t = thread;
    if (t == null) {
      synchronized (this) {
        t = thread;
        if (t == null && !closed) {
          t = new Thread(this::run, "persona-redis-session-writer");
          t.setDaemon(true);
          awake = true;
          thread = t;
          t.start();
          return;
        }
      }
    }
    if (t != null) {
      awake = true;
      LockSupport.unpark(t);
    }
  }

  /**
   * Ends the backoff the writer waits out after a failure, if any: Redis answers again (a new
   * connection), so what waits, erasures first, is written at once rather than up to {@link
   * #MAX_BACKOFF} later.
   */
  void retryNow() {
    retry = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void run() {
    long backoff = 0;
    long checkEvery = CHECK_EVERY.toNanos();
    long checked = System.nanoTime() - checkEvery;
    while (!closed) {
      awake = true;
      if (backoff > 0) {
        long until = System.nanoTime() + backoff;
        for (long left = backoff; left > 0 && !retry && !closed; left = until - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        retry = false;
      }
      long now = System.nanoTime();
      // after a failure Redis may be back without its data: find out before writing to it
      boolean check = backoff > 0 || now - checked >= checkEvery;
      if (pending.isEmpty()) {
        backoff = 0;
        if (check) {
          checked = now;
          try {
            flush.idle(now + writeTimeoutNanos);
          } catch (RuntimeException e) {
            // Redis away: the next change that has to wait will tell
          }
        }
        awake = false;
        // queued before awake was false: seen here; after: the queuer unparks
        if (pending.isEmpty() && !closed) {
          LockSupport.parkNanos(Math.max(1, checked + checkEvery - System.nanoTime()));
        }
        continue;
      }
      if (check) {
        checked = now;
        try {
          flush.idle(now + writeTimeoutNanos);
        } catch (RuntimeException e) {
          backoff = nextBackoff(backoff);
          continue;
        }
      }
      long started = System.nanoTime();
      backoff = round() ? 0 : nextBackoff(backoff);
      long left = started + ROUND_EVERY.toNanos() - System.nanoTime();
      if (backoff == 0 && left > 0 && !closed) {
        LockSupport.parkNanos(left); // awake: what is queued meanwhile waits for the next round
      }
    }
  }

  /** Writes every link and session that waits once; returns false at the first failure. */
  private boolean round() {
    // Erasures first, then write-backs (changes wait for them, on every instance, only for a
    // while), then links, then the rest.
    List<PendingWrites.UserErasure> users = new ArrayList<>();
    for (PendingWrites.UserErasure u = pending.nextUserErasure();
        u != null;
        u = pending.nextUserErasure()) {
      users.add(u);
    }
    if (!users.isEmpty() && !flush.eraseUsers(users)) {
      return false;
    }
    if (!writeSessions(pending.erasing()) || !writeSessions(pending.restoring())) {
      return false;
    }
    List<byte[][]> links = new ArrayList<>();
    for (byte[][] link = pending.nextLink(); link != null; link = pending.nextLink()) {
      links.add(link);
      if (links.size() == LINKS_AT_ONCE && !writeLinks(links)) {
        return false;
      }
    }
    if (!links.isEmpty() && !writeLinks(links)) {
      return false;
    }
    return flush.flushAll(pending.names());
  }

  /**
   * Writes these links at once and empties the list; those not written wait again. Returns false if
   * any was not written.
   */
  private boolean writeLinks(List<byte[][]> links) {
    List<byte[][]> failed;
    try {
      failed = flush.links(links, System.nanoTime() + writeTimeoutNanos);
    } catch (RuntimeException e) {
      failed = List.copyOf(links); // not links itself, which is emptied below
    }
    for (byte[][] link : links) {
      if (contains(failed, link)) {
        pending.linkAgain(link);
      } else {
        pending.linked(link);
      }
    }
    links.clear();
    return failed.isEmpty();
  }

  private static boolean contains(List<byte[][]> links, byte[][] link) {
    for (byte[][] l : links) {
      if (l == link) {
        return true;
      }
    }
    return false;
  }

  /** Writes what waits for these sessions, several at once; returns false if Redis failed. */
  private boolean writeSessions(List<String> names) {
    return names.isEmpty() || flush.flushEach(names);
  }

  private static long nextBackoff(long backoff) {
    return Math.min(MAX_BACKOFF.toNanos(), backoff == 0 ? MIN_BACKOFF.toNanos() : backoff * 2);
  }

  /**
   * Writes what waits for at most {@code timeout}, then stops the thread.
   *
   * @param timeout the most time spent
   */
  void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      closed = true;
    }
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (String name : pending.names()) {
      if (System.nanoTime() - deadline >= 0) {
        return;
      }
      try {
        flush.flush(name, deadline);
      } catch (RuntimeException e) {
        return;
      }
    }
  }
}
