package dev.persona.redis.internal;

import dev.persona.redis.RedisUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one daemon thread per store that writes what waits in {@link PendingWrites}: it sleeps while
 * nothing waits, and otherwise writes session after session, each with {@link
 * RedisSessions#WRITE_TIMEOUT}; after a failure it waits, from {@link #MIN_BACKOFF} doubling to
 * {@link #MAX_BACKOFF}, and starts again. While nothing waits it checks, about once a second,
 * whether Redis lost its data. Thread-safe.
 */
final class SessionWriter {
  static final Duration MIN_BACKOFF = Duration.ofMillis(10);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /** Writes one session's waiting changes, until the deadline on {@link System#nanoTime()}. */
  interface Flush {
    void flush(String name, long deadlineNanos);

    /** Writes one link of a session to a user: a user's key and a session's key. */
    void link(byte[][] link, long deadlineNanos);

    /** Erases the sessions of a user's set as of a time, epoch millis. */
    void eraseUser(byte[] userKey, long erasedAt, long deadlineNanos);

    /** Runs about once a second while nothing waits: checks whether Redis lost its data. */
    void idle(long deadlineNanos);
  }

  private final PendingWrites pending;
  private final Flush flush;
  private final long writeTimeoutNanos;
  private volatile Thread thread;
  private volatile boolean closed;

  SessionWriter(PendingWrites pending, Flush flush, Duration writeTimeout) {
    this.pending = pending;
    this.flush = flush;
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  /** Makes the writer look at what waits soon; starts it if it is not running. */
  void wake() {
    Thread t = thread;
    if (t == null) {
      synchronized (this) {
        t = thread;
        if (t == null && !closed) {
          t = new Thread(this::run, "persona-redis-session-writer");
          t.setDaemon(true);
          thread = t;
          t.start();
          return;
        }
      }
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void run() {
    long backoff = 0;
    while (!closed) {
      if (backoff > 0) {
        LockSupport.parkNanos(backoff);
      } else if (pending.isEmpty()) {
        try {
          flush.idle(System.nanoTime() + writeTimeoutNanos);
        } catch (RuntimeException e) {
          // Redis away: the next change that has to wait will tell
        }
        if (pending.isEmpty() && !closed) {
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        continue;
      }
      backoff = round() ? 0 : nextBackoff(backoff);
    }
  }

  /** Writes every link and session that waits once; returns false at the first failure. */
  private boolean round() {
    try {
      flush.idle(System.nanoTime() + writeTimeoutNanos); // Redis may be back without its data
    } catch (RuntimeException e) {
      return false;
    }
    // Erasures first, then write-backs (changes wait for them, on every instance, only for a
    // while), then links, then the rest.
    for (PendingWrites.UserErasure u = pending.nextUserErasure();
        u != null;
        u = pending.nextUserErasure()) {
      try {
        flush.eraseUser(u.userKey(), u.erasedAt(), System.nanoTime() + writeTimeoutNanos);
      } catch (RuntimeException e) {
        pending.eraseUserAgain(u);
        return false;
      }
    }
    if (!writeSessions(pending.erasing()) || !writeSessions(pending.restoring())) {
      return false;
    }
    for (byte[][] link = pending.nextLink(); link != null; link = pending.nextLink()) {
      try {
        flush.link(link, System.nanoTime() + writeTimeoutNanos);
      } catch (RuntimeException e) {
        pending.linkAgain(link);
        return false;
      }
    }
    return writeSessions(pending.names());
  }

  /** Writes what waits for these sessions; returns false at the first failure of Redis. */
  private boolean writeSessions(List<String> names) {
    for (String name : names) {
      try {
        flush.flush(name, System.nanoTime() + writeTimeoutNanos);
      } catch (RedisUnavailableException e) {
        if (e.kind() != RedisUnavailableException.Kind.CONTENDED
            && e.kind() != RedisUnavailableException.Kind.RECOVERING) {
          return false;
        }
      } catch (RuntimeException e) {
        // A change that throws is a bug, not Redis's failure: it must not stop the others.
        pending.discard(name);
      }
    }
    return true;
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
