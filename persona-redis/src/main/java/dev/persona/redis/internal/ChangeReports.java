package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What Redis reported of writes to the session keys an instance holds ({@code CLIENT TRACKING}): a
 * copy read after the last report of its key is current. Reports are counted; a copy keeps the
 * count from before it was read (or from when its write's answer came), and is current while its
 * key's last report is not later.
 *
 * <p>Every report counts, this instance's own writes' too: Redis 7 reports a script's writes to the
 * client that ran it ({@code NOLOOP} does not see through scripts), and nothing in a report tells
 * whose write it was. Reports cannot be told apart by their order either: Redis sends them after
 * the answers of the same event-loop cycle, so another instance's write that made this instance's
 * compare-and-set fail is reported after the failure's answer, maybe after the retry was sent; and
 * it reports a key once per cycle, however many clients wrote it then (this instance's write and
 * another's erasure right after it give one report). So a copy's own write is told by its version
 * token instead: when a key this instance wrote lately ({@link #expect}, within {@link
 * #CHECK_NANOS}) is reported, {@link #reported} names it, and the caller asks Redis, without
 * waiting, which token the key holds, taking the count of reports ({@link #now}) before sending;
 * the answer ({@link #verified}) says that Redis held that token after every report counted until
 * then. A copy of that token is current again as of that count: a later report still counts. Tokens
 * are random and never repeat, so a copy of the token Redis holds is the newest state. A check that
 * comes back with another token leaves the copy changed: the next read goes to Redis. One that
 * fails or is not sent leaves it changed too until it is sent again ({@link #checkFailed}): not a
 * freshness cost only, as a copy taken for changed is not written back should Redis lose its data.
 * A check that comes back before the write's copy is kept is not lost: what it found is kept by
 * token, for the copy kept next.
 *
 * <p>Only watched keys keep their reports, and a key may start being watched after a report of it
 * came and went: so every report counts, watched or not, before its key is looked up, and a key's
 * watch knows the count when it began. A copy whose count was taken before its key's watch began is
 * not known unchanged: a report heard in between was dropped. Watch a key before taking the count
 * for a copy about to be read ({@link #watch}, then {@link #now}). Thread-safe.
 */
final class ChangeReports {
  /**
   * How long after this instance last wrote a key (sent a write of it) its reports are checked;
   * later, a report leaves the copy changed without a check.
   */
  static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * How long a report may have come before the connection was lost for its check, in flight then,
   * to be taken for the report of the write the copy holds ({@link #unchangedUntilSealed}).
   */
  static final long UNSURE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ConcurrentHashMap<String, Watch> watched = new ConcurrentHashMap<>();
  private final AtomicLong reports = new AtomicLong();

  /** The count of reports when the connection was last lost or made ({@link #reported}). */
  private volatile long sealMark;

  /** The keys whose check failed or was not sent, to check again ({@link #toCheckAgain}). */
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  /**
   * What a check found: Redis held {@code token} after every report counted up to {@code at}.
   *
   * @param token the token Redis held; never changed
   * @param at the count of reports taken before the check was sent
   */
  // Never compared or hashed (tokens are compared with Arrays.equals); the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Verified(byte[] token, long at) {
    /** Returns the count a copy of {@code copyToken} counted {@code seen} is current as of. */
    long asOf(byte[] copyToken, long seen) {
      return at > seen && Arrays.equals(token, copyToken) ? at : seen;
    }
  }

  /** What is known of one watched key. Thread-safe. */
  private static final class Watch {
    /** The count of reports when the watch began; -1 until then. */
    private long since = -1;

    /** The count of the key's last report, and of the one before it. */
    private long reportedAt;

    private long previousAt;

    /** When the last report was heard, on {@link System#nanoTime()}. */
    private long reportedNanos;

    /** When this instance last sent a write of the key, on {@link System#nanoTime()}; 0: never. */
    private long wroteNanos;

    /** The count of the report whose check is in flight; -1 if none is. */
    private long checking = -1;

    /** The count of the last report of the key's erasure mark ({@link SessionKeys#erasureMark}). */
    private long markedAt;

    private @Nullable Verified verified;

    /** What was known when the connection was last lost or made. */
    private long sealedAt;

    private long sealedPrevious;
    private @Nullable Verified sealedVerified;
    private boolean sealedUnsure;

    synchronized void begin(long count) {
      if (since < 0) {
        since = count;
      }
    }

    synchronized void expect() {
      wroteNanos = System.nanoTime();
    }

    /**
     * Notes a report, counted {@code count}; returns whether to check it: this instance wrote the
     * key lately.
     */
    synchronized boolean reported(long count) {
      if (count > reportedAt) { // reports of other keys may be noted out of order
        previousAt = reportedAt;
        reportedAt = count;
        reportedNanos = System.nanoTime();
      }
      boolean check = wroteNanos != 0 && reportedNanos - wroteNanos < CHECK_NANOS;
      if (check) {
        checking = reportedAt;
      }
      return check;
    }

    synchronized void marked(long count) {
      markedAt = Math.max(markedAt, count);
    }

    synchronized void verified(byte[] token, long at) {
      if (verified == null || at > verified.at()) {
        verified = new Verified(token, at);
      }
      if (checking >= 0 && checking <= at) {
        checking = -1; // answered
      }
    }

    /**
     * Returns whether the check of the key's last report failed and is still worth sending again:
     * no check answered since, and the report came after the connection was last lost or made.
     */
    synchronized boolean checkAgain(long sealMark) {
      return checking >= 0 && checking == reportedAt && checking > sealMark;
    }

    synchronized void seal() {
      long now = System.nanoTime();
      // The last report's check was in flight when the connection was lost: kept from the first
      // seal after the report (a reconnect seals again, maybe long after) while still unanswered
      boolean unsure =
          checking >= 0
              && checking == reportedAt
              && (reportedAt != sealedAt ? now - reportedNanos < UNSURE_NANOS : sealedUnsure);
      sealedAt = reportedAt;
      sealedPrevious = previousAt;
      sealedVerified = verified;
      sealedUnsure = unsure;
    }

    /** See {@link ChangeReports#unchangedSince}. */
    synchronized boolean unchangedSince(long seen, byte[] token) {
      long asOf = verified == null ? seen : verified.asOf(token, seen);
      return since >= 0 && since <= asOf && reportedAt <= asOf;
    }

    /** See {@link ChangeReports#beingChecked}. */
    synchronized boolean beingChecked(long seen, byte[] token) {
      long asOf = verified == null ? seen : verified.asOf(token, seen);
      return since >= 0
          && since <= asOf
          && checking >= 0
          && checking == reportedAt
          && previousAt <= asOf
          && markedAt <= asOf
          && System.nanoTime() - reportedNanos < UNSURE_NANOS;
    }

    /** See {@link ChangeReports#unchangedUntilSealed}. */
    synchronized boolean unchangedUntilSealed(long seen, byte[] token, boolean written) {
      long asOf = sealedVerified == null ? seen : sealedVerified.asOf(token, seen);
      return sealedAt <= asOf || (written && sealedUnsure && sealedPrevious <= asOf);
    }
  }

  /**
   * Returns the count of reports now: to keep with a copy about to be read (its key is watched
   * first), or one whose write was just answered; or before sending a check.
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
   * Notes that this instance is about to write a key: reports of it within {@link #CHECK_NANOS} are
   * checked ({@link #reported}). Call it before sending the write.
   */
  void expect(String name) {
    watchOf(name).expect();
  }

  /**
   * Hears from Redis which keys were written, and returns those to check: the watched keys this
   * instance wrote lately, whose copies may hold the very state reported. The caller takes the
   * count ({@link #now}) after this returns, sends the checks without waiting and hands each answer
   * to {@link #verified}. Null (a flush, or a connection lost or made) seals what was reported
   * until then ({@link #unchangedUntilSealed}): the link's tracking epoch tells copies apart; after
   * a flush, copies are written back.
   *
   * @return the names of the keys to check, in the order given; empty if none
   */
  List<String> reported(@Nullable List<byte[]> keys) {
    if (keys == null) {
      long mark = reports.incrementAndGet(); // after every copy read so far
      for (Watch w : watched.values()) {
        w.seal();
      }
      sealMark = mark;
      return List.of();
    }
    List<String> check = null;
    for (byte[] k : keys) {
      // counted first, watched or not: a watch that begins after this count takes its report
      // for one it may have missed
      long count = reports.incrementAndGet();
      String name = new String(k, StandardCharsets.US_ASCII);
      String erased = SessionKeys.markedSession(name);
      if (erased != null) {
        // an erasure landed: never the report of a write of the copy, so no longer "being checked"
        Watch session = watched.get(erased);
        if (session != null) {
          session.marked(count);
        }
        continue;
      }
      Watch w = watched.get(name);
      if (w != null && w.reported(count)) {
        if (check == null) {
          check = new ArrayList<>(keys.size());
        }
        check.add(name);
      }
    }
    return check == null ? List.of() : check;
  }

  /**
   * Notes what a check found: Redis held {@code token} for the key after every report counted up to
   * {@code at}, the count taken before the check was sent. A copy of that token is unchanged as of
   * {@code at}.
   */
  void verified(String name, byte[] token, long at) {
    Watch w = watched.get(name);
    if (w != null) {
      w.verified(token, at);
    }
  }

  /**
   * Notes that the check of a key's report failed (a timeout under load, an error) or could not be
   * sent: until a check answers, the copy counts as changed, and so is not written back should
   * Redis lose its data, though it may be the only newest copy (every other instance's copy was
   * changed by this instance's write). The key is checked again ({@link #toCheckAgain}).
   */
  void checkFailed(String name) {
    if (watched.containsKey(name)) {
      failed.add(name);
    }
  }

  /**
   * Returns the keys to check again, and forgets them (a failure notes them again): those whose
   * check failed ({@link #checkFailed}) while no check answered since. Not those whose report came
   * before the connection was last lost or made: what Redis holds now cannot say whether the copy
   * was current then, and {@link #unchangedUntilSealed} decides those.
   */
  List<String> toCheckAgain() {
    if (failed.isEmpty()) {
      return List.of();
    }
    List<String> again = new ArrayList<>();
    long mark = sealMark;
    for (String name : List.copyOf(failed)) {
      failed.remove(name);
      Watch w = watched.get(name);
      if (w != null && w.checkAgain(mark)) {
        again.add(name);
      }
    }
    return again;
  }

  /**
   * Returns whether no other client wrote the key since the count {@code seen} was taken and before
   * the connection was last lost or made, which came after that count: so whether a copy of {@code
   * token} is the newest Redis held when it lost its data, whatever was written on the Redis that
   * came back. False when the connection was not lost or made since.
   *
   * <p>When the key's only report since was being checked as the connection was lost, within {@link
   * #UNSURE_NANOS} of the report, and the copy is one this instance wrote ({@code written}), whose
   * own write's report comes after the answer, the report is taken for that write's. That report
   * may also stand for another instance's erasure of the key in the same event-loop cycle of Redis,
   * right after this instance's write (Redis reports a key once per cycle): then a copy written
   * back brings erased state back. The other choice loses the session whenever Redis loses its data
   * within a check's round trip of the session's last write, as every other instance's copy was
   * changed by that write. A session written within microseconds of its erasure and of the loss is
   * far rarer than a session written within that round trip of the loss: this one is chosen (the
   * erasing instance, which knows what it erased, could close the other risk by writing its recent
   * erasures again after a loss).
   */
  boolean unchangedUntilSealed(String name, long seen, byte[] token, boolean written) {
    if (sealMark <= seen) {
      return false;
    }
    Watch w = watched.get(name);
    return w == null || w.unchangedUntilSealed(seen, token, written);
  }

  /**
   * Returns whether the key's only report since the count {@code seen} was taken (or since a check
   * found {@code token}) came within {@link #UNSURE_NANOS} and is being checked: most likely the
   * report of this instance's own write that the copy holds, but it may also stand for another
   * instance's erasure in the same event-loop cycle of Redis: not when a report of the session's
   * erasure mark came since, which every erasure sets, so a decision does not use an erased copy
   * while the check is in flight. Not enough for a copy to be known current; enough for a change
   * written behind.
   */
  boolean beingChecked(String name, long seen, byte[] token) {
    Watch w = watched.get(name);
    return w != null && w.beingChecked(seen, token);
  }

  /**
   * Returns whether no other client wrote the key since the count {@code seen} was taken, for a
   * copy of {@code token}: no report of it since, or none since a check found that token. False
   * when the key was not watched all that time, as a report of it may have come meanwhile.
   */
  boolean unchangedSince(String name, long seen, byte[] token) {
    Watch w = watched.get(name);
    return w != null && w.unchangedSince(seen, token);
  }
}
