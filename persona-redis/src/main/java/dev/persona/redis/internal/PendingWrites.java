package dev.persona.redis.internal;

import dev.persona.spi.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What this instance still has to write to Redis: per session key, an erasure and the changes made
 * since, in order. Bounded in changes over all sessions; a change that had to wait beyond the bound
 * is dropped and counted. A change written behind ({@link #addBehind}) waits only below a lower
 * limit, and otherwise is not queued (its caller writes it at once). A write of what waits for a
 * session holds the session ({@link #hold}), so that no two writes of this instance carry the same
 * change. Thread-safe: a session's entry is read and changed only inside the map's atomic {@code
 * compute} of its key.
 */
final class PendingWrites {
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicInteger changes = new AtomicInteger();
  private final int maxChanges;
  private final LongAdder dropped = new LongAdder();

  /**
   * Links of sessions to users not yet written: each a user's key, a session's key and when the
   * link was made (epoch microseconds, ASCII).
   */
  private final ConcurrentLinkedQueue<byte[][]> links = new ConcurrentLinkedQueue<>();

  private final AtomicInteger linkCount = new AtomicInteger();

  /**
   * The links still queued, by session name: a request writes its session's links before its change
   * ({@link #linksOf}), so that a user erasure made meanwhile on another instance, which did not
   * find the session in the user's set, erases it first. The writer skips those written so.
   */
  private final ConcurrentHashMap<String, Set<byte[][]>> linksBySession = new ConcurrentHashMap<>();

  /** The sessions a write of this instance holds now, by name. */
  private final ConcurrentHashMap<String, Hold> held = new ConcurrentHashMap<>();

  /** Erasures of users whose sessions could not be read yet. Not bounded: each is a request. */
  private final ConcurrentLinkedQueue<UserErasure> userErasures = new ConcurrentLinkedQueue<>();

  /** A user's set to erase the sessions of, as of a time in epoch microseconds. */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  record UserErasure(byte[] userKey, long erasedAt) {}

  PendingWrites(int maxChanges) {
    this.maxChanges = maxChanges;
  }

  /** What one session waits for. */
  static final class Entry {
    final String name;
    final byte[] key;
    volatile @Nullable String sessionId;

    /**
     * When the session was erased, epoch microseconds, if the erasure is not written yet; else 0.
     */
    volatile long erasedAt;

    /** Whether this instance's copy is to be written back: Redis lost its data. */
    boolean restore;

    /**
     * Whether an erasure landed that may have wiped changes this instance wrote lately, which are
     * then written again.
     */
    boolean check;

    /**
     * Whether a change of the session waits because a write failed or timed out (not only because
     * it is written behind): its changes then count as written late.
     */
    boolean late;

    final List<UnaryOperator<@Nullable SessionState>> changes;

    Entry(String name, byte[] key, @Nullable String sessionId) {
      this(name, key, sessionId, 2);
    }

    Entry(String name, byte[] key, @Nullable String sessionId, int capacity) {
      this.name = name;
      this.key = key;
      this.sessionId = sessionId;
      this.changes = new ArrayList<>(capacity);
    }
  }

  /**
   * A copy of what a session waits for, to write; {@code late} if a write of the session failed
   * since its entry was made.
   */
  record Snapshot(
      long erasedAt,
      boolean restore,
      boolean check,
      boolean late,
      List<UnaryOperator<@Nullable SessionState>> changes) {
    static final Snapshot NONE = new Snapshot(0, false, false, false, List.of());

    boolean isEmpty() {
      return erasedAt == 0 && !restore && !check && changes.isEmpty();
    }
  }

  /**
   * A write of a session in progress on this instance, from its {@link #snapshot} of what waits to
   * {@link #written}: one at a time per session. Two writes of the same waiting change would each
   * apply it, the second on a state that may already hold it, where only the change's id (which a
   * state remembers for its latest 32 changes) keeps it from counting twice.
   */
  static final class Hold {
    private final String name;
    private final CountDownLatch released = new CountDownLatch(1);

    /** The thread that took the hold; it releases it too. */
    private final Thread owner = Thread.currentThread();

    private Hold(String name) {
      this.name = name;
    }
  }

  /** Holds the session for a write, unless another write of it holds it: then null. */
  @Nullable Hold tryHold(String name) {
    Hold mine = new Hold(name);
    return held.putIfAbsent(name, mine) == null ? mine : null;
  }

  /**
   * Holds the session for a write, waiting until the deadline for another write of it to end.
   *
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @return the hold, or null if the deadline passed first
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  @Nullable Hold hold(String name, long deadlineNanos) throws InterruptedException {
    Hold mine = new Hold(name);
    for (; ; ) {
      Hold other = held.putIfAbsent(name, mine);
      if (other == null) {
        return mine;
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || !other.released.await(left, TimeUnit.NANOSECONDS)) {
        return null;
      }
    }
  }

  /**
   * Returns whether this thread holds the session: a write of it in progress on this thread (such
   * as a write-back, which links the session first) may erase it without waiting for itself.
   */
  boolean heldHere(String name) {
    Hold h = held.get(name);
    return h != null && h.owner == Thread.currentThread();
  }

  /** Ends a hold; does nothing for null, or for a hold ended before. */
  void release(@Nullable Hold hold) {
    if (hold != null) {
      held.remove(hold.name, hold);
      hold.released.countDown();
    }
  }

  /** Returns whether anything waits. */
  boolean isEmpty() {
    return entries.isEmpty() && links.isEmpty() && userErasures.isEmpty();
  }

  /** Returns whether a link waits, queued or being written. */
  boolean linksWait() {
    return !linksBySession.isEmpty();
  }

  /** Queues the erasure of a user's sessions. */
  void eraseUser(byte[] userKey, long erasedAt) {
    userErasures.add(new UserErasure(userKey, erasedAt));
  }

  /** Returns the next user erasure waiting, or null; it is no longer queued. */
  @Nullable UserErasure nextUserErasure() {
    return userErasures.poll();
  }

  /** Queues a user erasure again after a failed try. */
  void eraseUserAgain(UserErasure u) {
    userErasures.add(u);
  }

  /**
   * Queues a link of a session to a user; beyond the bound of changes it is dropped and counted.
   */
  void link(byte[] userKey, byte[] sessionKey, long linkedAt) {
    if (linkCount.incrementAndGet() > maxChanges) {
      linkCount.decrementAndGet();
      dropped.increment();
      return;
    }
    byte[][] l = {userKey, sessionKey, Long.toString(linkedAt).getBytes(StandardCharsets.US_ASCII)};
    waits(l);
    links.add(l);
  }

  /**
   * Returns the next link waiting, or null; it is no longer queued, but still waits for its
   * session's requests ({@link #linksOf}) until written ({@link #linked}).
   */
  byte @Nullable [][] nextLink() {
    for (byte[][] l = links.poll(); l != null; l = links.poll()) {
      linkCount.decrementAndGet();
      if (waiting(l)) {
        return l;
      }
      // written by a request of its session since
    }
    return null;
  }

  /** Queues a link again after a failed write, unless a request of its session wrote it since. */
  void linkAgain(byte[][] link) {
    if (waiting(link)) {
      linkCount.incrementAndGet();
      links.add(link);
    }
  }

  /**
   * Returns the links of a session that wait, queued or being written by the background writer, as
   * a copy; empty if none. Each written is to be told ({@link #linked}).
   */
  List<byte[][]> linksOf(String name) {
    Set<byte[][]> l = linksBySession.get(name);
    return l == null ? List.of() : List.copyOf(l);
  }

  /** Notes that a queued link was written: it no longer waits. */
  void linked(byte[][] link) {
    linksBySession.computeIfPresent(
        sessionOf(link), (name, l) -> l.remove(link) && l.isEmpty() ? null : l);
  }

  private boolean waiting(byte[][] link) {
    Set<byte[][]> l = linksBySession.get(sessionOf(link));
    return l != null && l.contains(link);
  }

  private void waits(byte[][] link) {
    linksBySession.compute(
        sessionOf(link),
        (name, l) -> {
          // identity: a link's arrays are never compared by content
          Set<byte[][]> out = l != null ? l : ConcurrentHashMap.newKeySet(1);
          out.add(link);
          return out;
        });
  }

  private static String sessionOf(byte[][] link) {
    return new String(link[1], StandardCharsets.US_ASCII);
  }

  /** Returns the names of the sessions whose copy is to be written back, as a copy. */
  List<String> restoring() {
    return names(e -> e.restore);
  }

  /** Returns the names of the sessions whose erasure waits, as a copy. */
  List<String> erasing() {
    return names(e -> e.erasedAt != 0);
  }

  private List<String> names(Predicate<Entry> which) {
    List<String> out = new ArrayList<>();
    entries.forEach(
        (name, e) -> {
          if (which.test(e)) {
            out.add(name);
          }
        });
    return out;
  }

  /** Returns the names of the sessions that wait, as a copy. */
  List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  @Nullable Entry entry(String name) {
    return entries.get(name);
  }

  /** Returns a copy of what the session waits for; {@link Snapshot#NONE} if nothing. */
  Snapshot snapshot(String name) {
    Snapshot[] out = {Snapshot.NONE};
    entries.computeIfPresent(
        name,
        (n, e) -> {
          out[0] = new Snapshot(e.erasedAt, e.restore, e.check, e.late, List.copyOf(e.changes));
          return e;
        });
    return out[0];
  }

  /** Changes the session's entry, made if there is none; removes it when nothing waits after. */
  private void change(String name, byte[] key, @Nullable String sessionId, Consumer<Entry> how) {
    entries.compute(
        name,
        (n, e) -> {
          Entry entry = e != null ? e : new Entry(n, key, sessionId);
          if (sessionId != null) {
            entry.sessionId = sessionId; // an entry made by a check or an erasure may lack it
          }
          how.accept(entry);
          return waits(entry) ? entry : null;
        });
  }

  /** Changes the session's entry if there is one; removes it when nothing waits after. */
  private void changeIfPresent(String name, Consumer<Entry> how) {
    entries.computeIfPresent(
        name,
        (n, e) -> {
          how.accept(e);
          return waits(e) ? e : null;
        });
  }

  private static boolean waits(Entry e) {
    return e.erasedAt != 0 || e.restore || e.check || !e.changes.isEmpty();
  }

  /**
   * Queues a change that could not be written (Redis failed or was too slow).
   *
   * @return false if the bound is reached: the change is dropped and counted
   */
  boolean add(String name, byte[] key, String sessionId, UnaryOperator<@Nullable SessionState> c) {
    if (changes.incrementAndGet() > maxChanges) {
      changes.decrementAndGet();
      dropped.increment();
      return false;
    }
    change(
        name,
        key,
        sessionId,
        e -> {
          e.sessionId = sessionId;
          e.late = true;
          e.changes.add(c);
        });
    return true;
  }

  /**
   * Queues a change to be written in the background, unless {@code limit} changes or more wait, or
   * the session's erasure or write-back waits: then nothing is queued or counted, and the caller
   * writes the change itself. Called inside the near cache's atomic change of the session's copy,
   * so that the copy and the queue take a session's changes in the same order.
   *
   * @return whether the change was queued
   */
  boolean addBehind(
      String name,
      byte[] key,
      String sessionId,
      UnaryOperator<@Nullable SessionState> c,
      int limit) {
    if (changes.get() >= limit) {
      return false;
    }
    boolean[] added = {false};
    entries.compute(
        name,
        (n, e) -> {
          if (e != null && (e.erasedAt != 0 || e.restore)) {
            return e;
          }
          // a session written behind takes a change per request until the writer comes by
          Entry entry = e != null ? e : new Entry(n, key, sessionId, 8);
          entry.sessionId = sessionId;
          entry.changes.add(c);
          changes.incrementAndGet();
          added[0] = true;
          return entry;
        });
    return added[0];
  }

  /** Notes that a write of the session failed: what waits for it now counts as written late. */
  void failed(String name) {
    changeIfPresent(name, e -> e.late = true);
  }

  /**
   * Queues an erasure at {@code erasedAt}. The changes that wait stay: those made before the
   * erasure are dropped when it is written, and those made after it (an erasure that waited, such
   * as a user's, may come after them) are written on the tombstone.
   */
  void erase(String name, byte[] key, @Nullable String sessionId, long erasedAt) {
    change(name, key, sessionId, e -> e.erasedAt = Math.max(e.erasedAt, erasedAt));
  }

  /** Drops what was written: the erasure, if it is the one written, and the changes written. */
  void written(String name, Snapshot done) {
    changeIfPresent(
        name,
        e -> {
          if (done.erasedAt != 0 && e.erasedAt == done.erasedAt) {
            e.erasedAt = 0;
          }
          if (done.restore) {
            e.restore = false;
          }
          if (done.check) {
            e.check = false;
          }
          int removed = removeFirst(e.changes, done.changes);
          if (removed < 0) {
            removed = 0;
            for (UnaryOperator<@Nullable SessionState> c : done.changes) {
              for (int i = 0; i < e.changes.size(); i++) {
                if (e.changes.get(i) == c) {
                  e.changes.remove(i);
                  removed++;
                  break;
                }
              }
            }
          }
          changes.addAndGet(-removed);
        });
  }

  /**
   * Removes {@code done} from the start of {@code waiting} when it is there, the very objects in
   * order, as when a session's changes were written while more were queued after them; returns how
   * many were removed, or -1 if {@code done} is not where it starts.
   */
  private static int removeFirst(
      List<UnaryOperator<@Nullable SessionState>> waiting,
      List<UnaryOperator<@Nullable SessionState>> done) {
    int n = done.size();
    if (n > waiting.size()) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      if (waiting.get(i) != done.get(i)) {
        return -1;
      }
    }
    waiting.subList(0, n).clear();
    return n;
  }

  /** Asks for the changes this instance wrote lately to be checked against an erasure. */
  void check(String name, byte[] key) {
    change(name, key, null, e -> e.check = true);
  }

  /** Asks for this instance's copy of a session to be written back, as Redis lost its data. */
  void restore(String name, byte[] key, @Nullable String sessionId) {
    change(name, key, sessionId, e -> e.restore = true);
  }

  /** Drops the changes that wait for a session, counting them; an erasure still waits. */
  void discard(String name) {
    changeIfPresent(
        name,
        e -> {
          changes.addAndGet(-e.changes.size());
          dropped.add(e.changes.size());
          e.changes.clear();
          e.restore = false;
          e.check = false;
        });
  }

  /** Returns the changes waiting. */
  int changes() {
    return changes.get();
  }

  /** Returns the sessions and users whose erasure waits. */
  int erasures() {
    int n = userErasures.size();
    for (Entry e : entries.values()) {
      n += e.erasedAt != 0 ? 1 : 0;
    }
    return n;
  }

  /** Returns the changes dropped at the bound. */
  long dropped() {
    return dropped.sum();
  }
}
