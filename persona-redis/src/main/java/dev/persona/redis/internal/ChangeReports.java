package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What Redis reported of writes to the session keys an instance holds ({@code CLIENT TRACKING}): a
 * copy read after the last report of its key is current. Reports are counted; a copy keeps the
 * count from before it was read, and is current while its key's last report is not later.
 *
 * <p>Redis 7 reports a script's writes to the client that ran it too, after the script's answer
 * ({@code NOLOOP} does not see through scripts). So each write of this instance, noted before it is
 * sent ({@link #expect}), makes the next report of that key, within {@link #OWN_REPORT_NANOS}, be
 * taken for its own; where Redis does not report them, the expectation lapses after that time. A
 * write that did not land withdraws its expectation ({@link #withdraw}); if a report was taken for
 * its own meanwhile, that one was another's, and counts then. Noting before sending, not when the
 * answer comes, leaves no race with the report: the thread that sent may hear its answer after
 * Lettuce's thread heard the report. A compare-and-set that lands had nothing written before it
 * since its copy was read (the token would differ), so no report of another's write comes between
 * sending it and its answer.
 *
 * <p>Only watched keys keep their reports, and a key may start being watched after a report of it
 * came and went: so every report counts, watched or not, before its key is looked up, and a key's
 * watch knows the count when it began. A copy whose count was taken before its key's watch began is
 * not known unchanged: a report heard in between was dropped. Watch a key before taking the count
 * for a copy about to be read ({@link #watch}, then {@link #now}). Thread-safe.
 */
final class ChangeReports {
  /** How long after this instance wrote a key a report of it may be its own write's. */
  static final long OWN_REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ConcurrentHashMap<String, Watch> watched = new ConcurrentHashMap<>();
  private final AtomicLong reports = new AtomicLong();

  /** The count of reports when the connection was last lost or made ({@link #reported}). */
  private volatile long sealMark;

  /** What is known of one watched key. Thread-safe. */
  private static final class Watch {
    /** The count of reports when the watch began; -1 until then. */
    private long since = -1;

    private long reportedAt;
    private long sealedAt;
    private int own;
    private long ownNanos;

    synchronized long reportedAt() {
      return reportedAt;
    }

    /** Returns whether every report of the key since the count {@code seen} was kept here. */
    synchronized boolean coveredSince(long seen) {
      return since >= 0 && since <= seen;
    }

    synchronized void begin(long count) {
      if (since < 0) {
        since = count;
      }
    }

    synchronized long sealedAt() {
      return sealedAt;
    }

    synchronized void seal() {
      sealedAt = reportedAt;
    }

    synchronized void expect() {
      own = System.nanoTime() - ownNanos < OWN_REPORT_NANOS ? own + 1 : 1;
      ownNanos = System.nanoTime();
    }

    synchronized void withdraw(AtomicLong reports) {
      if (own > 0 && System.nanoTime() - ownNanos < OWN_REPORT_NANOS) {
        own--;
      } else {
        own = 0;
        reportedAt = reports.incrementAndGet(); // the report taken for its own was another's
      }
    }

    /** Notes a report, counted {@code count}, unless it is taken for this instance's own write. */
    synchronized void reported(long count) {
      if (own > 0 && System.nanoTime() - ownNanos < OWN_REPORT_NANOS) {
        own--;
        return;
      }
      own = 0;
      reportedAt = Math.max(reportedAt, count); // reports of other keys may be noted out of order
    }
  }

  /**
   * Returns the count of reports now, to keep with a copy about to be read; its key is watched
   * first.
   */
  long now() {
    return reports.get();
  }

  /** Starts watching a key, if not yet. */
  void watch(String name) {
    watchOf(name);
  }

  /**
   * Returns the key's watch, begun if it was not: its count is taken once it is in the map, so that
   * a report that missed it was counted before (see {@link #reported}).
   */
  private Watch watchOf(String name) {
    Watch w = watched.computeIfAbsent(name, k -> new Watch());
    w.begin(reports.get());
    return w;
  }

  /** Stops watching a key. */
  void unwatch(String name) {
    watched.remove(name);
  }

  /** Returns how many keys are watched. */
  int watching() {
    return watched.size();
  }

  /** Stops watching every key but these. */
  void retain(Set<String> names) {
    watched.keySet().retainAll(names);
  }

  /**
   * Notes that this instance is about to write a key: its report, if Redis sends one, is not
   * another's. Call it before sending the write, and {@link #withdraw} if it did not land or its
   * answer did not come.
   */
  void expect(String name) {
    watchOf(name).expect();
  }

  /**
   * Withdraws what {@link #expect} noted: the write did not land (or whether it did is unknown, and
   * its report, if it comes, counts as another's, which only makes a copy look changed).
   */
  void withdraw(String name) {
    watchOf(name).withdraw(reports);
  }

  /**
   * Hears from Redis which keys were written; null (a flush, or a connection lost or made) seals
   * what was reported until then ({@link #unchangedUntilSealed}): the link's tracking epoch tells
   * copies apart; after a flush, copies are written back.
   */
  void reported(@Nullable List<byte[]> keys) {
    if (keys == null) {
      long mark = reports.incrementAndGet(); // after every copy read so far
      for (Watch w : watched.values()) {
        w.seal();
      }
      sealMark = mark;
      return;
    }
    for (byte[] k : keys) {
      // counted first, watched or not: a watch that begins after this count takes its report
      // for one it may have missed
      long count = reports.incrementAndGet();
      Watch w = watched.get(new String(k, StandardCharsets.US_ASCII));
      if (w != null) {
        w.reported(count);
      }
    }
  }

  /**
   * Returns whether no other client wrote the key since the count {@code seen} was taken and before
   * the connection was last lost or made, which came after that count: so whether a copy is the
   * newest Redis held when it lost its data, whatever was written on the Redis that came back.
   * False when the connection was not lost or made since.
   */
  boolean unchangedUntilSealed(String name, long seen) {
    if (sealMark <= seen) {
      return false;
    }
    Watch w = watched.get(name);
    return w == null || w.sealedAt() <= seen;
  }

  /**
   * Returns whether no other client wrote the key since the count {@code seen} was taken: false
   * when the key was not watched all that time, as a report of it may have come meanwhile.
   */
  boolean unchangedSince(String name, long seen) {
    Watch w = watched.get(name);
    return w != null && w.coveredSince(seen) && w.reportedAt() <= seen;
  }
}
