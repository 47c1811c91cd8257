package dev.persona.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.persona.redis.RedisUnavailableException;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Sessions on Redis behind a Caffeine near cache; the logic of {@code RedisSessionStore}.
 *
 * <p>The near cache holds, per session id, the key, the version token and state Redis last
 * confirmed, and the local state: the confirmed one with the changes still to be written applied.
 * An update applies the changes waiting for the session and its own to the confirmed state and
 * sends the result with a compare-and-set ({@link SessionScript}); when another instance wrote in
 * between, the script answers the current state and the changes are applied again to it, so no
 * update is lost and a stale copy costs one more round trip, never a wrong result. With
 * write-behind, a change to a copy known current is applied to the copy and queued instead, in one
 * atomic step per session, and the background writer writes it. This instance writes what waits for
 * a session one write at a time ({@link PendingWrites#hold}), so that no change is written twice; a
 * request that writes through decides with the copy its write leaves, which also holds the changes
 * written behind meanwhile.
 *
 * <p>When Redis fails or does not answer within the timeout (all attempts together), the change
 * waits in {@link PendingWrites} and is applied to the local state, and a {@link
 * SessionStoreException} carries the local state as it was before this request. A background thread
 * ({@link SessionWriter}) writes what waits, with backoff, until written; the engine's changes are
 * idempotent and commutative, so a change written late, or twice after a timeout whose write did
 * land, counts once. An erasure writes a tombstone ({@link SessionScript#ERASE}); one that fails
 * waits like a change, and meanwhile the session's local state is gone and no change made before
 * the erasure is written. Thread-safe.
 */
public final class RedisSessions implements AutoCloseable {
  /** The scripts to load when connecting. */
  public static final List<Script> SCRIPTS =
      List.of(
          SessionScript.CAS,
          SessionScript.CAS_MANY,
          SessionScript.ERASE,
          SessionScript.LINK,
          SessionScript.RESTORE,
          SessionScript.MARK_ERASED,
          SessionScript.TOKENS);

  /** The most sessions a user's index in Redis keeps. */
  static final int MAX_SESSIONS_PER_USER = 1_024;

  /** How long the background writer waits for Redis per call. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long an erasure waits for Redis, at least: an erasure that waits in the queue lets other
   * instances go on with the erased state meanwhile, so it is worth more than a decision's time.
   */
  public static final Duration ERASE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long, after writing them, this instance keeps the changes it wrote of a session: an erasure
   * made earlier on an instance that could not write it at once (Redis slow or down), landing
   * later, wipes them, and they are written again (those made after the erasure).
   */
  static final Duration RETAIN = Duration.ofSeconds(30);

  /** The most changes kept per session, well within the change ids a state remembers. */
  static final int RETAINED_PER_SESSION = 32;

  /** The most sessions whose changes are kept. */
  static final int RETAINED_SESSIONS = 10_000;

  /**
   * The part of {@code maxPendingChanges} that changes written behind may fill: beyond it, a change
   * is written before the decision returns, so that the background write cannot fall ever further
   * behind, and the rest of the bound stays for changes that wait because Redis failed.
   */
  static final int BEHIND_SHARE = 10;

  /** The most sessions the background writer writes at once one by one ({@link #flushEach}). */
  static final int FLUSHERS = 8;

  /** The most compare-and-sets the background writer has in flight at once. */
  static final int BATCH = 256;

  /**
   * The most sessions one script of the background writer writes ({@link SessionScript#CAS_MANY},
   * on a single server): a few hundred microseconds of Redis's time at most.
   */
  static final int PER_SCRIPT = 64;

  private static final int MAX_ATTEMPTS = 100;

  /** How long changes to a session wait after the first write-back of it, in ms, as ASCII. */
  private static final byte[] HOLD_MILLIS =
      Long.toString(DataLoss.SETTLE.toMillis()).getBytes(StandardCharsets.US_ASCII);

  /**
   * How long a state written on no key soon after Redis lost its data stays provisional (a copy
   * written back replaces it), in ms, as ASCII: as long as changes wait for such copies.
   */
  private static final byte[] PROVISIONAL_MILLIS =
      Long.toString(DataLoss.RESTORE_WAIT.toMillis()).getBytes(StandardCharsets.US_ASCII);

  private static final byte[] EMPTY = new byte[0];

  /** The field of a session key that holds its version token ({@link SessionScript}). */
  private static final byte[] TOKEN_FIELD = {'t'};

  /** The flag of a weak write-back ({@link SessionScript#RESTORE}), and of a normal one. */
  private static final byte[] WEAK = {'1'};

  private static final byte[] STRONG = {'0'};

  private final RedisLink link;
  private final SessionKeys keys;
  private final Cache<String, Near> near;
  private final byte[] ttlMillis;
  private final long ttlNanos;
  private final long timeoutNanos;
  private final long maxStalenessNanos;
  private final Stamps stamps;
  private final FailureLog log;
  private final PendingWrites pending;
  private final SessionWriter writer;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder unreadable = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder restored = new LongAdder();
  private final LongAdder behind = new LongAdder();
  private final LongAdder rewritten = new LongAdder();
  private final boolean writeBehind;

  /** The most changes waiting below which a change is written behind. */
  private final int behindLimit;

  /** Finds that Redis lost its data, and says when changes wait for copies written back. */
  private final DataLoss loss;

  /** What Redis reported of other instances' writes to the sessions held here. */
  private final ChangeReports reports = new ChangeReports();

  /** The changes this instance wrote lately, by session key name; see {@link #RETAIN}. */
  private final Cache<String, Retained> retained =
      Caffeine.newBuilder()
          .maximumSize(RETAINED_SESSIONS)
          .expireAfterWrite(RETAIN)
          .executor(Runnable::run)
          .build();

  /**
   * The changes this instance wrote within {@link DataLoss#RESTORE_WAIT} of finding that Redis lost
   * its data, by session key name: a copy written back may replace the provisional state they were
   * written on, and they are written again on it ({@link SessionScript#CAS}). Only those: a change
   * written before the loss is the copies' to bring back, or not (an erasure since).
   */
  private final Cache<String, Retained> sinceLoss =
      Caffeine.newBuilder()
          .maximumSize(RETAINED_SESSIONS)
          .expireAfterWrite(DataLoss.RESTORE_WAIT.plus(RETAIN))
          .executor(Runnable::run)
          .build();

  /**
   * Links this instance made of sessions it held no copy of, by session id, for the copy the same
   * request makes next (the engine links a session before it updates it): so that the copy knows
   * when it was linked, and a later request does not link it again with a later time, which a
   * write-back after Redis lost its data would carry, so that a user erasure made in between would
   * not erase the written-back copy.
   */
  private final Cache<String, Linked> linkedFirst =
      Caffeine.newBuilder()
          .maximumSize(RETAINED_SESSIONS)
          .expireAfterWrite(Duration.ofMinutes(1))
          .executor(Runnable::run)
          .build();

  /**
   * The erasures this instance wrote within {@link #RETAIN}, by session key name: Redis may lose
   * one with its data (killed, restarted without persistence) before it reported it to every
   * instance, and an instance that did not hear of it writes its copy of the erased session back.
   * So after a loss they are written again, before anything else; a copy made after one still
   * replaces it ({@link SessionScript#RESTORE}). Key names and times only.
   */
  private final Cache<String, Erased> erasedLately =
      Caffeine.newBuilder()
          .maximumSize(RETAINED_SESSIONS)
          .expireAfterWrite(RETAIN)
          .executor(Runnable::run)
          .build();

  /**
   * Changes of visits a denial of consent held back, which a grant written later by another
   * instance lets in: applied again with the session's next writes, and when another instance
   * writes it.
   */
  private final HeldBack heldBack = new HeldBack(RETAIN, RETAINED_PER_SESSION, RETAINED_SESSIONS);

  /**
   * The threads the background writer writes sessions on, at most {@link #FLUSHERS}, when each
   * needs a write of its own ({@link #flushEach}); they end when idle.
   */
  private final ThreadPoolExecutor flushers = flushers();

  /** What this instance's writes whose answer never came sent; see {@link UnansweredWrites}. */
  private final UnansweredWrites unanswered;

  /** Where a test holds a thread to force an interleaving; none in production. */
  private volatile Probe probe = point -> {};

  /**
   * A point in the code that a test may hold a thread at ({@link #probe(Probe)}), to force an
   * interleaving of a request and the background writer.
   */
  interface Probe {
    /**
     * Called at {@code point}: {@code "round"}, the background writer is about to write many
     * sessions' changes; {@code "send"}, it is about to send some; {@code "land"}, it sent them and
     * is about to wait for the answers; {@code "written"}, a request's write landed and its copy is
     * about to be kept; {@code "waits"}, a request waits for another write of its session on this
     * instance; {@code "idle"}, the background writer is about to check whether Redis lost its
     * data; {@code "answer"}, a compare-and-set wrote and its answer is about to be taken (a test
     * may throw there, as if the answer came too late); {@code "read"}, a read ({@code get}) was
     * answered and its copy is about to be kept; {@code "cas"}, a write ({@code write}) is about to
     * send a compare-and-set; {@code "check"}, on the client's thread, a report of keys this
     * instance wrote lately came and their tokens are about to be asked for (a test may throw
     * there, as if the check's answer never came); {@code "checked"}, on the client's thread, a
     * check's answer was noted; {@code "report"}, on the client's thread, a change report came (a
     * test may throw there, as if Redis died before sending it); {@code "link"}, a link to a user
     * is about to be written (a test may throw there, as if Redis failed).
     */
    void at(String point);
  }

  private static ThreadPoolExecutor flushers() {
    AtomicInteger made = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            FLUSHERS,
            FLUSHERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "persona-redis-session-flusher-" + made.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Sets the probe; for tests. */
  void probe(Probe p) {
    this.probe = p;
  }

  /**
   * Creates the sessions and starts the background writer.
   *
   * @param link the connection
   * @param keys the session keys
   * @param ttl the idle expiry of a key
   * @param timeout the most one operation waits for Redis
   * @param nearCacheSize the most sessions kept locally; 0 for none
   * @param maxStaleness how old a local copy {@code get} may answer with
   * @param maxPendingChanges the most changes waiting to be written
   * @param clock the clock changes, erasures and links are dated with ({@link Stamps})
   * @param writeBehind whether a change to a copy known current is written in the background
   */
  public RedisSessions(
      RedisLink link,
      SessionKeys keys,
      Duration ttl,
      Duration timeout,
      long nearCacheSize,
      Duration maxStaleness,
      int maxPendingChanges,
      Clock clock,
      boolean writeBehind) {
    this.link = link;
    this.writeBehind = writeBehind;
    this.keys = keys;
    this.ttlMillis = ascii(Long.toString(ttl.toMillis()));
    this.ttlNanos = ttl.toNanos();
    this.timeoutNanos = timeout.toNanos();
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.stamps = new Stamps(clock);
    this.log = new FailureLog("Redis session store", 60_000);
    this.pending = new PendingWrites(maxPendingChanges);
    this.behindLimit = Math.max(1, maxPendingChanges / BEHIND_SHARE);
    this.unanswered = new UnansweredWrites(ttl, RETAINED_SESSIONS);
    this.near =
        Caffeine.newBuilder()
            .maximumSize(nearCacheSize)
            .expireAfterAccess(ttl.toNanos(), TimeUnit.NANOSECONDS)
            .executor(Runnable::run)
            .<String, Near>removalListener(
                (id, n, cause) -> {
                  if (n != null && cause != RemovalCause.REPLACED) {
                    reports.unwatch(n.name);
                  }
                })
            .build();
    link.track(keys.sessionPrefix(), this::reported);
    this.writer =
        new SessionWriter(
            pending,
            new SessionWriter.Flush() {
              @Override
              public void flush(String name, long deadlineNanos) {
                flushWaiting(name, deadlineNanos);
              }

              @Override
              public boolean flushEach(List<String> names) {
                return RedisSessions.this.flushEach(names, new boolean[1]);
              }

              @Override
              public boolean flushAll(List<String> names) {
                return RedisSessions.this.flushAll(names);
              }

              @Override
              public List<byte[][]> links(List<byte[][]> links, long deadlineNanos) {
                return writeLinks(links, deadlineNanos);
              }

              @Override
              public boolean eraseUsers(List<PendingWrites.UserErasure> users) {
                // a session linked later, such as one written back, is erased by its link
                return RedisSessions.this.eraseUsers(users);
              }

              @Override
              public void idle(long deadlineNanos) {
                probe.at("idle");
                forgetWatches();
                loss.check(deadlineNanos);
                checkAgain();
              }
            },
            WRITE_TIMEOUT);
    this.loss = new DataLoss(link, keys.canary(), this::writeBack);
    link.onConnected(writer::retryNow); // erasures that wait are written as soon as it can be
    writer.wake();
  }

  /**
   * Returns a session's state, from the near cache when the copy is {@linkplain #presumedCurrent
   * presumed current}; while Redis does not report changes of it, when Redis confirmed it at most
   * {@code maxStaleness} ago. Never a copy whose key Redis reported written by another instance
   * since, however young: that may be an erasure.
   *
   * @param sessionId the session id
   * @return the state, or null
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data
   */
  public @Nullable SessionState get(String sessionId) {
    long now = System.nanoTime();
    Near n = near.getIfPresent(sessionId);
    if (n != null
        && n.confirmed
        && (presumedCurrent(n) || (!reporting(n) && now - n.confirmedNanos <= maxStalenessNanos))) {
      hits.increment();
      return n.local;
    }
    misses.increment();
    byte[] key = n != null ? n.key : keys.of(sessionId);
    String name = name(key);
    Current c;
    // watched before the count is taken: a report of a write that lands after the read, heard
    // before the copy is kept, is not dropped, and the copy is not taken for current
    reports.watch(name);
    long seen = reports.now();
    long epoch = link.trackingEpoch();
    try {
      c = current(link.eval(SessionScript.CAS, key, now + timeoutNanos, SessionScript.READ));
    } catch (RedisUnavailableException e) {
      throw degraded(e, n, now);
    }
    probe.at("read");
    log.success();
    PendingWrites.Snapshot waiting = pending.snapshot(name);
    if (waiting.erasedAt() != 0) {
      // erased here, not yet in Redis: what Redis holds is what was erased
      return applyAll(null, waiting, waiting.erasedAt());
    }
    SessionState local = applyAll(c.state, waiting, c.erasedAt);
    Near read =
        new Near(name, key, c.token, c.state, local, c.unreadable, true, System.nanoTime(), 0);
    read.seen = seen;
    read.epoch = epoch;
    read.erasedAt = c.erasedAt;
    keep(sessionId, read);
    if (c.unreadable) {
      throw unreadable();
    }
    return local;
  }

  /**
   * Applies a change atomically, with the changes waiting for the session, trying again on
   * conflicts until the timeout; when Redis fails, keeps the change to write later.
   *
   * @param sessionId the session id
   * @param engineChange the engine's change, dated on arrival ({@link DatedChange})
   * @return the new state, or null if removed
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data,
   *     which the change then replaced
   */
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> engineChange) {
    UnaryOperator<@Nullable SessionState> change = new DatedChange(engineChange, stamps.next());
    if (writeBehind) {
      SessionState next = writeBehind(sessionId, change);
      if (next != null) {
        return next;
      }
    }
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    Near n = near.getIfPresent(sessionId);
    if (n != null) {
      hits.increment();
    } else {
      misses.increment();
    }
    byte[] key = n != null ? n.key : keys.of(sessionId);
    String name = n != null ? n.name : name(key);
    PendingWrites.Hold hold = null;
    Written w;
    Near kept;
    try {
      PendingWrites.Snapshot waiting;
      try {
        if (loss.settling()) {
          throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
        }
        hold = hold(name, deadline);
        linkFirst(name, deadline);
        n = near.getIfPresent(sessionId); // a write of it that ended meanwhile left a newer copy
        waiting = pending.snapshot(name);
        w = write(key, n, waiting, change, deadline);
      } catch (RedisUnavailableException e) {
        if (!pending.add(name, key, sessionId, change)) {
          log.lost(
              "session changes dropped: the "
                  + "changes waiting for Redis reached the store's maxPendingChanges");
        }
        writer.wake();
        throw degraded(e, keepLocally(sessionId, name, key, change), start);
      }
      pending.written(name, waiting);
      if (waiting.late()) {
        retried.add(waiting.changes().size());
      }
      probe.at("written");
      kept = remember(sessionId, name, key, w, true, null, waiting);
    } finally {
      pending.release(hold);
    }
    if (w.unreadable) {
      throw unreadable();
    }
    // The copy's state: with the changes written behind while this one was written, whose requests
    // decided without it, so this one comes after them. Unless the change was made before an
    // erasure: then the request decides with its own behaviour only.
    return kept != null && w.view == w.state ? kept.local : w.view;
  }

  /**
   * Writes the session's links that wait in this instance's queue, before its change: a {@code
   * forgetUser} made meanwhile on another instance did not find the session in the user's set, so
   * the link erases it as of that erasure, and the change lands after it instead of on the erased
   * state. Without it, the session's decisions used the erased state until the queued link landed.
   *
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline: the links
   *     still wait
   */
  private void linkFirst(String name, long deadline) {
    for (byte[][] l : pending.linksOf(name)) {
      writeLink(l[0], l[1], Long.parseLong(new String(l[2], StandardCharsets.US_ASCII)), deadline);
      pending.linked(l);
    }
  }

  /**
   * Holds the session for a request's write, waiting until the deadline for a write of it in
   * progress on this instance (the background writer's or another request's) to end: so that no
   * change that waits is written by both, and each write builds on the one before.
   *
   * @throws RedisUnavailableException if the deadline passed first, or the thread was interrupted
   */
  private PendingWrites.Hold hold(String name, long deadline) {
    PendingWrites.Hold hold = pending.tryHold(name);
    if (hold != null) {
      return hold;
    }
    probe.at("waits");
    try {
      hold = pending.hold(name, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisUnavailableException(RedisUnavailableException.Kind.INTERRUPTED, e);
    }
    if (hold == null) {
      throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, null);
    }
    return hold;
  }

  /**
   * Applies the change to a copy known current and returns at once: the copy takes the change and
   * the queue holds it, in one atomic step per session, so that requests of one session running in
   * parallel keep each other's changes. The background writer writes it. Nothing else happens on
   * the request thread: no encoding, no command.
   *
   * @return the new state, or null if the change is not written behind (the copy is not known
   *     current, an erasure or write-back of the session waits, Redis is settling after it lost its
   *     data, or {@link #behindLimit} changes wait): then the caller writes it
   */
  private @Nullable SessionState writeBehind(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    if (loss.settling() || pending.changes() >= behindLimit) {
      return null;
    }
    Behind b = new Behind(change);
    near.asMap().computeIfPresent(sessionId, b);
    if (b.next == null) {
      return null;
    }
    hits.increment();
    behind.increment();
    writer.wake();
    return b.next;
  }

  /** Applies one change written behind to a session's copy, inside the near cache's compute. */
  private final class Behind implements BiFunction<String, Near, Near> {
    private final UnaryOperator<@Nullable SessionState> change;
    @Nullable SessionState next;

    Behind(UnaryOperator<@Nullable SessionState> change) {
      this.change = change;
    }

    @Override
    public Near apply(String sessionId, Near old) {
      if (!old.confirmed
          || old.unreadable
          || !presumedCurrent(old)
          || !pending.linksOf(old.name).isEmpty()) {
        return old; // a link that waits is written first, by the caller (linkFirst)
      }
      if (!DatedChange.after(change, old.erasedAt)) {
        return old; // made before the erasure the copy shows: the write says what it sees
      }
      SessionState applied = change.apply(old.local);
      if (applied == null
          || !pending.addBehind(old.name, old.key, sessionId, change, behindLimit)) {
        return old;
      }
      next = applied;
      return old.behind(applied, change);
    }
  }

  /**
   * Keeps what Redis confirmed, with what still waits applied, as the local state, in one atomic
   * step per session: a change written behind meanwhile is neither lost from the copy nor applied
   * twice. A copy from a write of this instance that Redis took later stays.
   *
   * @param insert whether to keep a copy when none is held; the background writer does not, so that
   *     a session erased (or evicted) meanwhile does not come back, except where {@code w} was
   *     written on the newest erasure this instance wrote of it ({@link #afterErasure}): then what
   *     it wrote is the newest state, which no other instance holds
   * @param builtOn the token of the copy whose confirmed state {@code w} is with exactly {@code
   *     sent}'s changes applied, or null: then, when the copy still is that state with {@code sent}
   *     and what still waits applied, its local state is kept as it is, without applying anything
   * @return the copy kept, whose local state holds what {@code w} wrote and what waits, or null if
   *     none is (no session id, no copy to replace, or the session was erased here since)
   */
  private @Nullable Near remember(
      @Nullable String sessionId,
      String name,
      byte[] key,
      Written w,
      boolean insert,
      byte @Nullable [] builtOn,
      PendingWrites.Snapshot sent) {
    if (sessionId == null) {
      return null;
    }
    Near[] kept = {null};
    boolean[] lostAfter = {false};
    BiFunction<String, @Nullable Near, @Nullable Near> keep =
        (id, old) -> {
          if (old != null && old.wroteNanos != 0 && old.sentNanos - w.sentNanos > 0) {
            kept[0] = old;
            return old; // a later write of this instance, built on this one, was kept
          }
          PendingWrites.Snapshot still = pending.snapshot(name);
          if (still.erasedAt() != 0) {
            return old; // erased here since: the erasure's write decides
          }
          if (old != null
              && old.confirmedState != null
              && w.state == null
              && w.erasedAt != 0
              && old.erasedAt >= w.erasedAt) {
            // an erasure written again that this copy was made after, found neither there nor
            // later on the key: Redis lost its data. The copy holds what came after the erasure,
            // and is written back over it, not replaced by it
            kept[0] = old;
            lostAfter[0] = true;
            return old;
          }
          SessionState local =
              builtOn != null
                      && old != null
                      && old.exact
                      && old.token == builtOn
                      && Applied.same(old.onTop, sent.changes(), still.changes())
                  ? old.local
                  : applyAll(w.state, still, w.erasedAt);
          long now = System.nanoTime();
          Near next = new Near(name, key, w.token, w.state, local, false, true, now, now);
          next.seen = w.seen;
          next.epoch = w.epoch;
          next.erasedAt = w.erasedAt;
          next.sentNanos = w.sentNanos;
          next.exact = true;
          next.onTop = Applied.of(still.changes());
          if (old != null) {
            next.linkedNanos = old.linkedNanos;
            next.linkedAt = old.linkedAt;
            next.userKey = old.userKey;
          } else {
            linkedFirst(id, next);
          }
          kept[0] = next;
          return next;
        };
    reports.watch(name);
    if (insert || afterErasure(name, w)) {
      near.asMap().compute(sessionId, keep);
    } else {
      near.asMap().computeIfPresent(sessionId, keep);
    }
    if (lostAfter[0]) {
      loss.found();
      pending.restore(name, key, sessionId);
      writer.wake();
    }
    return kept[0];
  }

  /**
   * Returns whether {@code w} wrote a state on the newest erasure of the session this instance
   * wrote: changes made after an erasure that dropped the copy (such as a user's, heard after the
   * shopper went on), which only this instance holds and must be able to write back should Redis
   * lose its data. Not a write from before an erasure written since, whose state is gone.
   */
  private boolean afterErasure(String name, Written w) {
    Erased erased = erasedLately.getIfPresent(name);
    return w.state != null && w.erasedAt != 0 && erased != null && erased.at() <= w.erasedAt;
  }

  /**
   * Writes what waits for the session, then {@code change} if given, to the state Redis holds.
   *
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  private Written write(
      byte[] key,
      @Nullable Near n,
      PendingWrites.Snapshot waiting,
      @Nullable UnaryOperator<@Nullable SessionState> change,
      long deadline) {
    return write(key, n, waiting, change, deadline, null, -1);
  }

  /**
   * Writes as {@link #write(byte[], Near, PendingWrites.Snapshot, UnaryOperator, long)} does; when
   * {@code conflict} is given, it is the answer to a compare-and-set already sent on {@code n}'s
   * token, which did not write: the changes are applied again to the state it holds; {@code
   * conflictHeard} is the count of change reports when that answer came.
   */
  private Written write(
      byte[] key,
      @Nullable Near n,
      PendingWrites.Snapshot waiting,
      @Nullable UnaryOperator<@Nullable SessionState> change,
      long deadline,
      @Nullable List<Object> conflict,
      long conflictHeard) {
    Current base =
        n != null && n.confirmed
            ? new Current(n.token, n.confirmedState, n.unreadable, n.erasedAt)
            : new Current(SessionScript.NONE, null, false, 0);
    boolean unreadableBefore = base.unreadable;
    long epoch = link.trackingEpoch();
    if (waiting.erasedAt() != 0) {
      byte[] token = newToken();
      byte[] erasedAt = ascii(Long.toString(waiting.erasedAt()));
      probe.at("erase");
      List<Object> erased =
          link.eval(
              SessionScript.ERASE,
              new byte[][] {key, SessionKeys.erasureMark(key)},
              deadline,
              loss.restoring()
                  ? new byte[][] {token, erasedAt, ttlMillis, PROVISIONAL_MILLIS}
                  : new byte[][] {token, erasedAt, ttlMillis});
      boolean already = erased.size() == 1 && Long.valueOf(2).equals(erased.get(0));
      erasedLately
          .asMap()
          .merge(
              name(key),
              new Erased(key, waiting.erasedAt()),
              (was, now) -> was.at() >= now.at() ? was : now);
      base =
          already
              // erased at that time or later already: what the key holds came after; read it
              ? new Current(SessionScript.READ, null, false, waiting.erasedAt())
              : new Current(token, null, false, waiting.erasedAt());
      if (!already && change == null && !writesAfter(name(key), waiting)) {
        // nothing to write on the tombstone: writing it again would look, to an instance that
        // wrote its changes again on it meanwhile, like another's write, and keep that instance
        // from writing back its copy should Redis lose its data
        log.success();
        return new Written(
            token, null, null, waiting.erasedAt(), false, reports.now(), epoch, System.nanoTime());
      }
    }
    if (base.token.length == 0
        && conflict == null
        && (change != null || !waiting.changes().isEmpty())) {
      awaitCanary(deadline);
    }
    String name = name(key);
    // the count of reports before the command whose answer base is was sent; -1 if base is not
    // such an answer (a copy held, or one a caller answered)
    long baseSeen = -1;
    long sentSeen = -1;
    // the count of reports when the answer base is came, or -1 if base is not such an answer: a
    // report of the key counted after it is of a write since
    long baseHeard = conflict != null ? conflictHeard : -1;
    long heard = -1;
    for (int attempt = 1; ; attempt++) {
      List<Object> answer = attempt == 1 ? conflict : null;
      if (answer == null) {
        SessionState next = applyAll(base.state, waiting.changes(), base.erasedAt);
        Retained again = retained.getIfPresent(name);
        if (again != null && base.erasedAt > again.erasedAt) {
          // an erasure landed after changes this instance wrote: those made after it count again
          for (UnaryOperator<@Nullable SessionState> c : again.changes) {
            if (DatedChange.after(c, base.erasedAt)) {
              next = c.apply(next);
            }
          }
        }
        Retained lately = base.restored ? sinceLoss.getIfPresent(name) : null;
        if (lately != null) {
          // a copy written back since Redis lost its data: it may have replaced a provisional
          // state that held changes this instance wrote since; they count again (once if there)
          for (UnaryOperator<@Nullable SessionState> c : lately.changes) {
            next = applyChecked(c, next, Math.max(base.erasedAt, lately.erasedAt));
          }
        }
        List<DatedChange> held = heldBack.of(name);
        if (held != null) {
          // visits a denial held back: a grant made before them, written since, lets them in
          for (DatedChange c : held) {
            next = applyChecked(c, next, base.erasedAt);
          }
        }
        if (change == null && baseSeen >= 0 && next == base.state && base.state != null) {
          // every change was there already, or made before the erasure the key shows: writing
          // the same state again would look, to the instance that wrote it, like another's write,
          // and keep it from writing its copy back should Redis lose its data. Changes there
          // already came with a write of this instance whose answer was lost: kept as written,
          // so that an erasure made before them, landing later, has them written again
          log.success();
          retain(name, key, waiting.changes(), base.erasedAt);
          unanswered.answered(name);
          kept(name, key, base.state, waiting, again, lately, held, null, base.erasedAt);
          return new Written(
              base.token,
              next,
              next,
              base.erasedAt,
              base.unreadable,
              baseSeen,
              epoch,
              System.nanoTime());
        }
        SessionState view = next;
        if (change != null) {
          boolean counted = DatedChange.after(change, base.erasedAt);
          next = counted ? change.apply(next) : next;
          // a request made before an erasure still decides with its own behaviour, not stored.
          // Told by the change's date, not by the state coming back unchanged: a change applied
          // again, or a visit to a denial of consent, returns the very state it was given
          view = counted ? next : change.apply(null);
        }
        byte[] token = newToken();
        byte[] bytes = next == null ? EMPTY : next.toBytes();
        long sentNanos = System.nanoTime();
        // whether the state built on is what Redis held when this is sent, as far as this
        // instance knows: then, should the answer not come, what it sent may be the newest state.
        // On a key taken for empty, unless a report says another client wrote it since: this
        // write, which expects no key, then cannot land
        boolean fresh =
            base.token.length == 0
                ? !writtenSinceEmpty(name, baseSeen < 0 ? n : null, baseHeard)
                : (baseHeard >= 0
                    ? reports.unchangedSince(name, baseHeard, base.token)
                    : baseSeen < 0 && n != null && current(n));
        sentSeen = reports.now();
        reports.expect(name); // its report, which comes after the answer, is checked
        probe.at("cas");
        // the count when the answer came, taken on the client's thread: a report heard after it,
        // before this thread goes on, may be of a write after this one
        long[] answeredSeen = {-1};
        try {
          answer =
              link.await(
                  link.evalAsync(
                      SessionScript.CAS,
                      new byte[][] {key, SessionKeys.writeBackHold(key)},
                      a -> answeredSeen[0] = reports.now(),
                      base.token.length == 0 && loss.restoring()
                          // on a key taken for empty soon after Redis lost its data: the session
                          // may be one another instance is about to write back, whose copy must
                          // not be kept out
                          ? new byte[][] {base.token, token, bytes, ttlMillis, PROVISIONAL_MILLIS}
                          : new byte[][] {base.token, token, bytes, ttlMillis}),
                  deadline);
          if (written(answer)) {
            probe.at("answer");
          }
        } catch (RuntimeException e) {
          if (fresh) {
            unanswered.unanswered(name, key, next);
          }
          throw e;
        }
        if (!written(answer)) {
          // the count when the conflict's answer came: a report of the key counted later is of a
          // write since that answer
          heard = answeredSeen[0];
        } else {
          log.success();
          unanswered.answered(name);
          retain(name, key, waiting.changes(), base.erasedAt);
          if (change != null) {
            retain(name, key, List.of(change), base.erasedAt);
          }
          kept(name, key, next, waiting, again, lately, held, change, base.erasedAt);
          return new Written(
              token,
              next,
              view,
              base.erasedAt,
              unreadableBefore || base.unreadable,
              answeredSeen[0],
              epoch,
              sentNanos);
        }
      }
      conflicts.increment();
      if (attempt == MAX_ATTEMPTS) {
        throw new RedisUnavailableException(RedisUnavailableException.Kind.CONTENDED, null);
      }
      Current now = current(answer);
      if (answer.size() > 5 && answer.get(5) instanceof Long) {
        // Copies are being written back (Redis lost its data): this instance's too, if it holds
        // one; changes wait until they could all land.
        loss.found();
        if (writeBackNow(key, name, n, deadline)) {
          restored.increment();
        }
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
      if (attempt == 1 && answer.size() > 6 && answer.get(6) instanceof Long && restorable(n)) {
        // A provisional state: written on the key after Redis lost its data by an instance that
        // held no copy, which this instance's copy replaces (the key is as good as gone); changes
        // wait for the copies, as when the key is found gone. Applied to the provisional state
        // instead, they would keep the copy out: the session's history lost. The provisional
        // state's writers write their changes again on the copy (SessionScript.CAS: replaced).
        // When the copy is not written (the key was erased since, or a newer copy came), the
        // change lands on what the key holds, instead of waiting again at every attempt
        loss.found();
        if (writeBackNow(key, name, n, deadline)) {
          restored.increment();
          throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
        }
      }
      if (attempt == 1
          && answer.size() > 4
          && answer.get(4) instanceof byte[]
          && canWriteBack(name, n)) {
        // Another instance wrote back its copy (Redis lost its data) and no change landed since:
        // this instance's copy, if newer, replaces it before the change is applied
        if (writeBackNow(key, name, n, deadline)) {
          restored.increment();
          conflicts.increment();
          now = current(link.eval(SessionScript.CAS, key, deadline, SessionScript.READ));
          heard = reports.now();
        }
      }
      if (now.token.length == 0 && attempt == 1 && lost(n)) {
        // The key is gone though this instance saw it within its TTL: Redis lost it (a restart
        // without persistence). Write back the state it last wrote, if it wrote last, unless
        // another instance wrote back a newer one; and write back the others too. Meanwhile
        // nothing is written on it: an instance that has not reconnected yet may hold an erasure
        // of it, which lands first. When a loss found since this copy was seen explains the
        // key's absence, and this instance has no copy to write back, the change waits for the
        // instance that wrote last to write back its copy, but not longer than the sweeps take:
        // then it lands on the empty key.
        boolean news = loss.unexplained(seen(n));
        boolean restoredNow = writeBackNow(key, name, n, deadline);
        if (restoredNow) {
          restored.increment();
        }
        if (news) {
          loss.found();
        }
        if (news || restoredNow || loss.restoring()) {
          throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
        }
      }
      base = now;
      baseSeen = sentSeen;
      baseHeard = attempt == 1 && conflict != null && heard < 0 ? conflictHeard : heard;
    }
  }

  /**
   * Tells the changes a write applied that {@code stored}, which it wrote (or found written), holds
   * them: those waiting, those written again ({@code again}, if it applied, and {@code lately}),
   * and the request's; none made before the erasure the state shows ({@link DatedChange#kept}).
   * Those {@code stored} held back for a denial of consent are held back ({@link HeldBack}), and
   * those held back before ({@code held}) are let go unless it holds them back still.
   */
  private void kept(
      String name,
      byte[] key,
      @Nullable SessionState stored,
      PendingWrites.Snapshot waiting,
      @Nullable Retained again,
      @Nullable Retained lately,
      @Nullable List<DatedChange> held,
      @Nullable UnaryOperator<@Nullable SessionState> change,
      long erasedAt) {
    List<DatedChange> back = DatedChange.kept(waiting.changes(), erasedAt, stored, null);
    if (again != null && erasedAt > again.erasedAt) {
      back = DatedChange.kept(again.changes, erasedAt, stored, back);
    }
    if (lately != null) {
      back = DatedChange.kept(lately.changes, Math.max(erasedAt, lately.erasedAt), stored, back);
    }
    if (held != null) {
      back = DatedChange.kept(held, erasedAt, stored, back);
    }
    if (change != null) {
      back = DatedChange.kept(List.of(change), erasedAt, stored, back);
    }
    heldBack.update(name, key, held, back);
  }

  /**
   * Before a change is written on a key this instance takes for empty: after a reconnect, reads the
   * canary first, and throws while changes wait for copies to be written back. If Redis lost its
   * data meanwhile, the copies other instances hold, and erasures made while it was away, must land
   * first, and nothing tells that the key was lost but the canary.
   *
   * @throws RedisUnavailableException ({@code RECOVERING}) while the change must wait
   */
  private void awaitCanary(long deadline) {
    if (!loss.checkedSinceReconnect()) {
      loss.check(deadline);
    }
    if (loss.settling()) {
      throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
    }
  }

  /**
   * Returns whether a report says that a key this instance takes for empty was written since it
   * found it so: as of {@code heard}, the count when the answer that showed it empty came, or else
   * as of the read of {@code copy}, the copy the write is built on. Without either (no copy),
   * nothing is known.
   */
  private boolean writtenSinceEmpty(String name, @Nullable Near copy, long heard) {
    long since = heard >= 0 ? heard : copy != null && copy.confirmed ? copy.seen : -1;
    return since >= 0 && !reports.unchangedSince(name, since, SessionScript.NONE);
  }

  /** Stops watching keys of sessions no longer held here (erased ones, for instance). */
  private void forgetWatches() {
    if (reports.watching() <= near.estimatedSize()) {
      return;
    }
    Set<String> held = new HashSet<>();
    for (Near n : near.asMap().values()) {
      held.add(n.name);
    }
    reports.retain(held);
  }

  /** Returns whether no other instance changed the session since this copy was read. */
  private boolean unchanged(Near n) {
    // no report of any key counted since: none of this one (the quick answer of a quiet instance)
    return reports.now() == n.seen || reports.unchangedSince(n.name, n.seen, n.token);
  }

  /**
   * Returns whether this copy is known to be current: Redis reports changes on this connection, did
   * since the copy was read, and reported none of the session.
   */
  private boolean current(Near n) {
    return n.confirmed && reporting(n) && unchanged(n);
  }

  /**
   * Returns whether Redis reports changes of the copy's key: it did on this connection since the
   * copy was read. Then only a report tells whether the copy is current, whatever its age.
   */
  private boolean reporting(Near n) {
    return link.tracking() && n.epoch == link.trackingEpoch();
  }

  /**
   * Returns whether a change may be written behind on this copy, or a read answered with it: it is
   * known current, or the only report of its key since is being checked, which is most likely the
   * report of this instance's own write that made the copy (a check takes a round trip after every
   * write), and no report of the session's erasure mark came since: another instance's erasure
   * right after that write is reported with the mark, so the copy is not used while its report is
   * being checked.
   */
  private boolean presumedCurrent(Near n) {
    return n.confirmed
        && reporting(n)
        && (unchanged(n) || reports.beingChecked(n.name, n.seen, n.token));
  }

  /** Gives a copy made for a session the link this instance made before it held one, if any. */
  private void linkedFirst(String sessionId, Near made) {
    Linked l = linkedFirst.asMap().remove(sessionId);
    if (l != null) {
      made.linkedNanos = l.nanos();
      made.linkedAt = l.at();
      made.userKey = l.userKey();
    }
  }

  /** Keeps a copy, and watches its key for reports of changes. */
  private void keep(String sessionId, Near n) {
    reports.watch(n.name);
    near.put(sessionId, n);
  }

  /**
   * Returns whether this instance's copy may be written back after Redis lost its data: it wrote or
   * read the session within the TTL, and Redis reported no other instance's write or erasure of it
   * since (the instance that wrote last holds the newest copy, and so does one that read it since;
   * an erased one must not come back), or none until the connection was lost: what was written
   * since, on the Redis that came back, {@link SessionScript#RESTORE} weighs (it replaces only a
   * provisional state or an older copy, never an erasure or a change on a copy). A copy read is
   * written back too: the instance that wrote last may no longer hold its copy (evicted, or the
   * instance stopped), or may take the report of its own write, whose answer it never had, for
   * another's. Reports of this instance's own writes count as any other until a check found the
   * copy's token; for a copy this instance wrote, one whose check was still in flight when the
   * connection was lost is taken for the copy's own (see {@link ChangeReports#unchangedUntilSealed}
   * for why), never for a copy it read.
   */
  private boolean restorable(@Nullable Near n) {
    return n != null
        && n.confirmed
        && n.confirmedState != null
        && System.nanoTime() - seen(n) < ttlNanos
        && (unchanged(n)
            || reports.unchangedUntilSealed(n.name, n.seen, n.token, n.wroteNanos != 0));
  }

  /**
   * Returns whether a key found gone was lost by Redis: this instance confirmed a state of it
   * within its TTL (an erasure leaves a tombstone; only expiry removes a key otherwise).
   */
  private boolean lost(@Nullable Near n) {
    return n != null
        && n.confirmed
        && n.token.length > 0
        && n.token != SessionScript.READ
        && System.nanoTime() - seen(n) < ttlNanos;
  }

  /** Returns when this instance last confirmed or wrote the copy's state, on nanoTime. */
  private static long seen(Near n) {
    return Math.max(n.confirmedNanos, n.wroteNanos);
  }

  /**
   * Writes back this instance's copy, unless a newer one was; returns whether it was written. A
   * copy linked to a user is linked again first: Redis lost the user's set too, so a {@code
   * forgetUser} made meanwhile could not find the session, but left its mark, and the link then
   * erases the session instead of letting the copy come back.
   */
  private boolean restore(
      byte[] key, @Nullable Near n, SessionState copy, boolean weak, long deadline) {
    byte[] userKey = n == null ? null : n.userKey;
    if (userKey != null && !writeLink(userKey, key, linkTime(n), deadline)) {
      return false;
    }
    List<Object> answer =
        link.eval(
            SessionScript.RESTORE,
            new byte[][] {key, SessionKeys.writeBackHold(key)},
            deadline,
            newToken(),
            copy.toBytes(),
            ttlMillis,
            ascii(Long.toString(copy.visits())),
            HOLD_MILLIS,
            weak ? WEAK : STRONG,
            ascii(Long.toString(weak || n == null ? 0 : n.erasedAt)));
    return written(answer);
  }

  /**
   * Returns whether this instance holds something to write back of the session: a copy ({@link
   * #restorable}), or else what a write of it sent whose answer never came ({@link
   * UnansweredWrites}).
   */
  private boolean canWriteBack(String name, @Nullable Near n) {
    return restorable(n) || unanswered.of(name) != null;
  }

  /**
   * Writes back the copy when it is {@link #restorable}, else, weakly, what a write of the session
   * sent whose answer never came, if any; returns whether it was written.
   */
  private boolean writeBackNow(byte[] key, String name, @Nullable Near n, long deadline) {
    if (restorable(n)) {
      return restore(key, n, n.confirmedState, false, deadline);
    }
    UnansweredWrites.Sent sent = unanswered.of(name);
    return sent != null && restore(key, n, sent.state(), true, deadline);
  }

  /**
   * Queues the write-back of every session this instance wrote or read within the TTL whose copy is
   * {@link #restorable}, and of what its writes sent whose answers never came while their changes
   * still wait ({@link UnansweredWrites}), and the links to users of every session it holds: Redis
   * lost its data, users' sets too, so a {@code forgetUser} finds none of their sessions until the
   * links are back (each erases its session if the user was erased since; a copy written back is
   * linked first, and the next visit with the user id links its session again before its change).
   */
  private void writeBack() {
    Map<String, Long> restoredAfter = new HashMap<>();
    for (Near n : near.asMap().values()) {
      if (restorable(n)) {
        restoredAfter.merge(n.name, n.erasedAt, Math::max);
      }
    }
    erasedLately
        .asMap()
        .forEach(
            (name, erased) -> {
              // first: a copy written back by an instance that did not hear of it would bring the
              // erased state back; not where this instance writes back a copy made after it, which
              // outranks any copy from before (SessionScript.RESTORE)
              if (restoredAfter.getOrDefault(name, 0L) < erased.at()) {
                pending.erase(name, erased.key(), null, erased.at());
              }
            });
    for (Map.Entry<String, Near> e : near.asMap().entrySet()) {
      Near n = e.getValue();
      byte[] userKey = n.userKey;
      if (userKey != null) {
        pending.link(userKey, n.key, linkTime(n));
        n.linkedNanos = 0;
      }
      if (restorable(n)) {
        pending.restore(n.name, n.key, e.getKey());
      }
    }
    unanswered.forEach(
        (name, sent) -> {
          // only while the write's changes wait: once written again, its state is a copy's; once
          // dropped, kept for nothing but a state an erasure since may have wiped
          if (pending.snapshot(name).changes().isEmpty()) {
            unanswered.answered(name);
          } else {
            pending.restore(name, sent.key(), null);
          }
        });
    writer.wake();
  }

  /**
   * Returns the time a link of this copy's session to its user is as of: when this instance first
   * linked it, or just after the user erasure the copy was written on, whichever is later. So a
   * user erasure made since erases the session, and one before does not erase it again.
   */
  private static long linkTime(Near n) {
    return Math.max(n.linkedAt, n.erasedAt + 1);
  }

  /**
   * Writes what waits for one session; called by the background writer. Nothing while a request
   * writes the session: it writes what waits with its change.
   */
  private void flushWaiting(String name, long deadlineNanos) {
    PendingWrites.Hold hold = pending.tryHold(name);
    if (hold == null) {
      return;
    }
    try {
      flushHeld(name, deadlineNanos);
    } finally {
      pending.release(hold);
    }
  }

  /** Writes what waits for one session, which this thread holds ({@link PendingWrites#hold}). */
  private void flushHeld(String name, long deadlineNanos) {
    PendingWrites.Entry e = pending.entry(name);
    if (e == null) {
      return;
    }
    String sessionId = e.sessionId;
    PendingWrites.Snapshot waiting = pending.snapshot(name);
    if (waiting.isEmpty()) {
      pending.written(name, waiting);
      return;
    }
    Near n = sessionId == null ? null : near.getIfPresent(sessionId);
    if (waiting.check()) {
      recheck(sessionId, name, e.key, deadlineNanos);
    }
    if (loss.settling() && waiting.erasedAt() == 0) {
      if (waiting.restore() && writeBackNow(e.key, name, n, deadlineNanos)) {
        restored.increment();
      }
      pending.written(
          name,
          new PendingWrites.Snapshot(0, waiting.restore(), waiting.check(), false, List.of()));
      if (!waiting.changes().isEmpty()) {
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
      return;
    }
    if (waiting.erasedAt() == 0 && waiting.changes().isEmpty()) {
      // only a write-back (or a check, done): without a CAS after it, which would keep a newer
      // copy from replacing it
      if (waiting.restore() && writeBackNow(e.key, name, n, deadlineNanos)) {
        restored.increment();
      }
      pending.written(name, waiting);
      return;
    }
    Written w;
    try {
      w = write(e.key, n, waiting, null, deadlineNanos);
    } catch (RedisUnavailableException failed) {
      if (!stalled(failed, new boolean[1])) {
        pending.failed(name);
      }
      throw failed;
    }
    landed(sessionId, name, e.key, waiting, w, null);
  }

  /** Drops what a write wrote from the queue and keeps the copy it confirmed. */
  private void landed(
      @Nullable String sessionId,
      String name,
      byte[] key,
      PendingWrites.Snapshot waiting,
      Written w,
      byte @Nullable [] builtOn) {
    pending.written(name, waiting);
    if (waiting.late()) {
      retried.add(waiting.changes().size());
    }
    remember(sessionId, name, key, w, false, builtOn, waiting);
  }

  /**
   * Writes what waits for these sessions; called by the background writer. A session whose changes
   * alone wait, on a copy Redis confirmed, gets one compare-and-set with all of them, sent without
   * waiting: on a single server those of up to {@link #PER_SCRIPT} sessions in one script ({@link
   * SessionScript#CAS_MANY}), on a cluster one each; up to {@link #BATCH} sessions are in flight
   * before their answers are awaited. So one command per round carries what the requests of many
   * sessions changed meanwhile. When a copy's local state is its confirmed state with exactly these
   * changes applied (the changes written behind), that is what is written: the changes are not
   * applied again. A conflict is written as {@link #write} does, from the state it answered;
   * anything else (an erasure, a write-back, a re-check, no confirmed copy) as {@link
   * #flushWaiting} does, several at once ({@link #flushEach}), once the batches landed.
   *
   * @return false if Redis failed or was away, once the writes in flight landed or timed out; or if
   *     a session's changes could not be written yet (they wait for copies to be written back, or
   *     lost to other writers too often), so that the writer waits a little before the next
   */
  private boolean flushAll(List<String> names) {
    probe.at("round");
    boolean[] stalled = {false};
    boolean ok = true;
    List<InFlight> prepared = new ArrayList<>();
    List<InFlight> flying = new ArrayList<>();
    List<InFlight> batch = new ArrayList<>();
    List<String> slow = new ArrayList<>();
    try {
      for (String name : names) {
        if (!ok) {
          break;
        }
        try {
          InFlight f = prepare(name, slow);
          if (f != null) {
            prepared.add(f);
            batch.add(f);
          }
        } catch (RedisUnavailableException e) {
          ok = stalled(e, stalled);
        } catch (RuntimeException e) {
          // A change that throws is a bug, not Redis's failure: it must not stop the others.
          pending.discard(name);
        }
        if (batch.size() == PER_SCRIPT) {
          send(batch);
          flying.addAll(batch);
          batch.clear();
        }
        if (flying.size() >= BATCH) {
          ok &= land(flying, stalled);
          flying.clear();
        }
      }
      if (ok && !batch.isEmpty()) {
        send(batch);
        flying.addAll(batch);
      }
      ok &= land(flying, stalled);
      if (ok) {
        ok = flushEach(slow, stalled);
      }
      return ok && !stalled[0];
    } finally {
      // each landed one is released already; those not sent are written in a later round
      prepared.forEach(f -> pending.release(f.hold));
    }
  }

  /**
   * Returns true if the failure only means that the session cannot be written yet (it waits for
   * copies to be written back, or lost to other writers too often), noting that in {@code stalled};
   * false if Redis failed.
   */
  private static boolean stalled(RedisUnavailableException e, boolean[] stalled) {
    if (waits(e)) {
      stalled[0] = true;
      return true;
    }
    return false;
  }

  /** Returns whether the failure only means that the session cannot be written yet. */
  private static boolean waits(RedisUnavailableException e) {
    return e.kind() == RedisUnavailableException.Kind.CONTENDED
        || e.kind() == RedisUnavailableException.Kind.RECOVERING;
  }

  /**
   * Prepares the compare-and-set of one session's waiting changes, or, when what waits is more than
   * changes on a confirmed copy, adds the session to {@code slow}, to be written at once ({@link
   * #flushEach}). The compare-and-set holds the session until it landed ({@link
   * PendingWrites#hold}); a session that a request writes now is left for a later round.
   *
   * @return what to send, or null if nothing is to be sent
   */
  private @Nullable InFlight prepare(String name, List<String> slow) {
    PendingWrites.Entry e = pending.entry(name);
    if (e == null) {
      return null;
    }
    PendingWrites.Hold hold = pending.tryHold(name);
    if (hold == null) {
      return null;
    }
    InFlight f = null;
    try {
      f = prepare(name, e, hold, slow);
      return f;
    } finally {
      if (f == null) {
        pending.release(hold);
      }
    }
  }

  /** Prepares as {@link #prepare(String, List)} does, with the session held. */
  private @Nullable InFlight prepare(
      String name, PendingWrites.Entry e, PendingWrites.Hold hold, List<String> slow) {
    String sessionId = e.sessionId;
    Near n = sessionId == null ? null : near.getIfPresent(sessionId);
    PendingWrites.Snapshot waiting = pending.snapshot(name);
    if (n == null
        || !n.confirmed
        || n.unreadable
        || n.token.length == 0 // a write on no key may be provisional: see write()
        || waiting.erasedAt() != 0
        || waiting.restore()
        || waiting.check()
        || waiting.changes().isEmpty()
        || loss.settling()
        || rewrites(name, n.erasedAt)
        || heldBack.holds(name)) { // applied again by write()
      slow.add(name); // written at once, as flushWaiting does
      return null;
    }
    SessionState next =
        n.exact && Applied.same(n.onTop, waiting.changes(), List.of())
            ? n.local // what the requests saw: no need to apply the changes again
            : applyAll(n.confirmedState, waiting.changes(), n.erasedAt);
    InFlight f =
        new InFlight(
            sessionId, name, e.key, n, waiting, next, next == null ? EMPTY : next.toBytes(), hold);
    f.fresh = current(n); // see write()
    return f;
  }

  /**
   * Writes what waits for each of these sessions as {@link #flushWaiting} does, up to {@link
   * #FLUSHERS} at once on the flushers' threads: after an outage thousands of sessions wait with
   * erasures, write-backs or copies Redis never confirmed, and one at a time, a few milliseconds
   * each on a busy machine, they kept what was queued after them (a withdrawal of consent, say)
   * waiting for many seconds. Once Redis failed for one, those not begun are left for a later
   * round.
   *
   * @return false if Redis failed or was away; a session that could not be written yet (it waits
   *     for copies to be written back, or lost to other writers too often) is noted in {@code
   *     stalled}
   */
  private boolean flushEach(List<String> names, boolean[] stalled) {
    if (names.isEmpty()) {
      return true;
    }
    AtomicBoolean failed = new AtomicBoolean();
    AtomicBoolean waits = new AtomicBoolean();
    List<Runnable> tasks = new ArrayList<>(names.size());
    for (String name : names) {
      tasks.add(
          () -> {
            if (failed.get()) {
              return;
            }
            try {
              flushWaiting(name, System.nanoTime() + WRITE_TIMEOUT.toNanos());
            } catch (RedisUnavailableException e) {
              if (waits(e)) {
                waits.set(true);
              } else {
                failed.set(true); // what waits for it is noted late already
              }
            } catch (RuntimeException e) {
              pending.discard(name); // a change that throws is a bug: it must not stop the others
            }
          });
    }
    boolean done = onFlushers(tasks);
    if (waits.get()) {
      stalled[0] = true;
    }
    return done && !failed.get();
  }

  /**
   * Erases the sessions of users whose erasure waited, up to {@link #FLUSHERS} users at once on the
   * flushers' threads, as {@link #flushEach} writes sessions; those not done wait again.
   *
   * @return false if Redis failed or was away
   */
  private boolean eraseUsers(List<PendingWrites.UserErasure> users) {
    AtomicBoolean failed = new AtomicBoolean();
    List<Runnable> tasks = new ArrayList<>(users.size());
    for (PendingWrites.UserErasure u : users) {
      tasks.add(
          () -> {
            if (failed.get()) {
              pending.eraseUserAgain(u);
              return;
            }
            try {
              eraseUser(u.userKey(), u.erasedAt(), System.nanoTime() + WRITE_TIMEOUT.toNanos());
            } catch (RuntimeException e) {
              pending.eraseUserAgain(u);
              failed.set(true);
            }
          });
    }
    return onFlushers(tasks) && !failed.get();
  }

  /**
   * Runs these tasks on the flushers (on this thread once they are shut down) and waits for them;
   * false if one ended with an {@link Error} or this thread was interrupted.
   */
  private boolean onFlushers(List<Runnable> tasks) {
    List<Future<?>> running = new ArrayList<>(tasks.size());
    for (Runnable t : tasks) {
      try {
        running.add(flushers.submit(t));
      } catch (RejectedExecutionException e) {
        t.run(); // closing
      }
    }
    boolean ok = true;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        ok = false; // an Error: as if Redis failed; what waits stays
      }
    }
    return ok;
  }

  /** Sends the compare-and-sets of a batch without waiting; each session's answer goes to it. */
  private void send(List<InFlight> sending) {
    probe.at("send");
    List<InFlight> batch = List.copyOf(sending); // the caller reuses its list
    long epoch = link.trackingEpoch();
    long sentNanos = System.nanoTime();
    if (batch.size() == 1 || link.cluster()) {
      for (InFlight f : batch) {
        f.sent(epoch, sentNanos, -1);
        reports.expect(f.name); // its report, which comes after the answer, is checked
        f.answer =
            link.evalAsync(
                SessionScript.CAS,
                new byte[][] {f.key, SessionKeys.writeBackHold(f.key)},
                a -> f.seen = reports.now(),
                f.base.token,
                f.token,
                f.bytes,
                ttlMillis);
      }
      return;
    }
    byte[][] keys = new byte[2 * batch.size()][];
    byte[][] args = new byte[1 + 3 * batch.size()][];
    args[0] = ttlMillis;
    for (int i = 0; i < batch.size(); i++) {
      InFlight f = batch.get(i);
      f.sent(epoch, sentNanos, i);
      reports.expect(f.name);
      keys[2 * i] = f.key;
      keys[2 * i + 1] = SessionKeys.writeBackHold(f.key);
      args[3 * i + 1] = f.base.token;
      args[3 * i + 2] = f.token;
      args[3 * i + 3] = f.bytes;
    }
    CompletableFuture<List<Object>> answer =
        link.evalAsync(
            SessionScript.CAS_MANY,
            keys,
            all -> {
              long seen = reports.now();
              for (InFlight f : batch) {
                f.seen = seen;
              }
            },
            args);
    for (InFlight f : batch) {
      f.answer = answer;
    }
  }

  /** Returns the answer for one key of {@link SessionScript#CAS_MANY}; empty if there is none. */
  @SuppressWarnings("unchecked") // the script answers a list of lists, each a CAS answer
  private static List<Object> answer(List<Object> all, int index) {
    return index < all.size() && all.get(index) instanceof List<?> one
        ? (List<Object>) one
        : List.of();
  }

  /**
   * Waits for the answers of compare-and-sets in flight and lands them; a conflict is written at
   * once from the state it answered.
   *
   * @return false if Redis failed or did not answer in time
   */
  private boolean land(List<InFlight> flying, boolean[] stalled) {
    probe.at("land");
    boolean ok = true;
    long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
    for (InFlight f : flying) {
      try {
        List<Object> answer;
        try {
          List<Object> all = link.await(Objects.requireNonNull(f.answer), deadline);
          answer = f.index < 0 ? all : answer(all, f.index);
        } catch (RuntimeException e) {
          if (f.fresh) {
            unanswered.unanswered(f.name, f.key, f.next);
          }
          throw e;
        }
        if (written(answer)) {
          log.success();
          unanswered.answered(f.name);
          retain(f.name, f.key, f.waiting.changes(), f.base.erasedAt);
          heldBack.update(
              f.name,
              f.key,
              null,
              DatedChange.kept(f.waiting.changes(), f.base.erasedAt, f.next, null));
          Written w =
              new Written(
                  f.token, f.next, f.next, f.base.erasedAt, false, f.seen, f.epoch, f.sentNanos);
          landed(f.sessionId, f.name, f.key, f.waiting, w, f.base.token);
        } else {
          Written w =
              write(
                  f.key,
                  f.base,
                  f.waiting,
                  null,
                  System.nanoTime() + WRITE_TIMEOUT.toNanos(),
                  answer,
                  f.seen);
          landed(f.sessionId, f.name, f.key, f.waiting, w, null);
        }
      } catch (RedisUnavailableException e) {
        if (!stalled(e, stalled)) {
          pending.failed(f.name);
          ok = false;
        }
      } catch (RuntimeException e) {
        pending.discard(f.name); // a change that throws is a bug: it must not stop the others
      } finally {
        pending.release(f.hold);
      }
    }
    return ok;
  }

  /**
   * Returns whether, after an erasure that waits, there is something to write on its tombstone:
   * changes that wait, or changes this instance wrote lately made after it.
   */
  private boolean writesAfter(String name, PendingWrites.Snapshot waiting) {
    if (!waiting.changes().isEmpty()) {
      return true;
    }
    Retained again = retained.getIfPresent(name);
    return again != null && anyAfter(again.changes, waiting.erasedAt());
  }

  /** Returns whether any of {@code changes} was made after an erasure at {@code erasedAt}. */
  private static boolean anyAfter(
      List<UnaryOperator<@Nullable SessionState>> changes, long erasedAt) {
    for (UnaryOperator<@Nullable SessionState> c : changes) {
      if (DatedChange.after(c, erasedAt)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether changes this instance wrote lately are to be written again on this copy. */
  private boolean rewrites(String name, long erasedAt) {
    Retained again = retained.getIfPresent(name);
    return again != null && erasedAt > again.erasedAt;
  }

  /** A compare-and-set the background writer sends, and what it needs when the answer comes. */
  // Never compared or hashed; the arrays are never changed.
  private static final class InFlight {
    final @Nullable String sessionId;
    final String name;
    final byte[] key;
    final Near base;
    final PendingWrites.Snapshot waiting;
    final @Nullable SessionState next;
    final byte[] bytes;
    final byte[] token = newToken();

    /** The session, held from when the compare-and-set was prepared until it landed. */
    final PendingWrites.Hold hold;

    /** Set when sent, before the answer can come. */
    long epoch;

    long sentNanos;

    /** Which answer of the script's is this session's; -1 if the script was for it alone. */
    int index;

    /** Whether the copy written on was known current when prepared; see {@link #write}. */
    boolean fresh;

    @Nullable CompletableFuture<List<Object>> answer;

    /** The count of change reports when the answer came; set before the answer completes. */
    volatile long seen;

    InFlight(
        @Nullable String sessionId,
        String name,
        byte[] key,
        Near base,
        PendingWrites.Snapshot waiting,
        @Nullable SessionState next,
        byte[] bytes,
        PendingWrites.Hold hold) {
      this.sessionId = sessionId;
      this.name = name;
      this.key = key;
      this.base = base;
      this.waiting = waiting;
      this.next = next;
      this.bytes = bytes;
      this.hold = hold;
    }

    void sent(long epoch, long sentNanos, int index) {
      this.epoch = epoch;
      this.sentNanos = sentNanos;
      this.index = index;
    }
  }

  /**
   * Writes again the changes this instance wrote lately of a session when an erasure that landed
   * since wiped them: those made after the erasure; and the visits a denial held back when what the
   * key holds now lets them in (a grant made before them, written by another instance). Nothing is
   * written otherwise.
   */
  private void recheck(@Nullable String sessionId, String name, byte[] key, long deadlineNanos) {
    Retained r = retained.getIfPresent(name);
    Retained lately = sinceLoss.getIfPresent(name);
    List<DatedChange> held = heldBack.of(name);
    if (r == null && lately == null && held == null) {
      return;
    }
    Current c = current(link.eval(SessionScript.CAS, key, deadlineNanos, SessionScript.READ));
    // only when some were made after it: writing the same state again would look, to the instance
    // that wrote last, like another's write, and keep it from writing its copy back; or on a copy
    // written back, which may have replaced a provisional state holding them
    boolean erased = r != null && c.erasedAt > r.erasedAt && anyAfter(r.changes, c.erasedAt);
    if (erased || (lately != null && c.restored) || (held != null && letsIn(held, c))) {
      Written w = write(key, null, PendingWrites.Snapshot.NONE, null, deadlineNanos);
      if (erased || lately != null) {
        rewritten.increment();
      }
      // this instance wrote last: its copy (if it holds one) is that state, and is the one to
      // write back should Redis lose it
      String copy = sessionId != null ? sessionId : heldAs(name);
      if (copy != null) {
        remember(copy, name, key, w, false, null, PendingWrites.Snapshot.NONE);
      }
    } else if (held != null) {
      // still held back (the key shows the denial), or out for good (the grant came after them)
      heldBack.update(name, key, held, DatedChange.stillHeld(held, c.erasedAt, c.state));
    }
  }

  /** Returns whether a change held back applies to what the key holds: a grant lets it in. */
  private static boolean letsIn(List<DatedChange> held, Current c) {
    SessionState s = c.state;
    for (DatedChange d : held) {
      s = applyChecked(d, s, c.erasedAt);
    }
    return s != c.state;
  }

  /** Returns the session id of the copy held of the session key {@code name}, if any. */
  private @Nullable String heldAs(String name) {
    for (Map.Entry<String, Near> e : near.asMap().entrySet()) {
      if (e.getValue().name.equals(name)) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * Applies the change to the local state and keeps it, for the next requests while Redis is away.
   *
   * @return the local copy as it was before the change, or null
   */
  private @Nullable Near keepLocally(
      String sessionId, String name, byte[] key, UnaryOperator<@Nullable SessionState> change) {
    Near[] before = new Near[1];
    reports.watch(name);
    near.asMap()
        .compute(
            sessionId,
            (id, old) -> {
              before[0] = old;
              SessionState base = old == null || old.unreadable ? null : old.local;
              SessionState next = change.apply(base);
              if (old != null) {
                return old.withLocal(next);
              }
              Near made = new Near(name, key, SessionScript.READ, null, next, false, false, 0, 0);
              linkedFirst(id, made);
              return made;
            });
    return before[0];
  }

  /**
   * Erases a session: writes a tombstone, and drops its local state and the changes waiting. When
   * Redis fails, the erasure waits in the queue, is written before anything else of the session,
   * and until then no state of the session is used here.
   *
   * @param sessionId the session id
   */
  public void remove(String sessionId) {
    Near n = near.asMap().remove(sessionId);
    byte[] key = n != null ? n.key : keys.of(sessionId);
    erase(name(key), key, sessionId, stamps.next());
  }

  /**
   * Erases the sessions of a user, as linked by {@link #linkUser} on any instance. When Redis
   * fails, the erasure of the user waits in the queue and is done when Redis answers: the sessions
   * linked then are erased as of now.
   *
   * @param userId the user id
   * @return how many sessions the index held; 0 when the erasure waits
   */
  public int removeUser(String userId) {
    byte[] userKey = keys.user(userId);
    long erasedAt = stamps.next();
    try {
      return eraseUser(userKey, erasedAt, eraseDeadline());
    } catch (RedisUnavailableException e) {
      pending.eraseUser(userKey, erasedAt);
      writer.wake();
      log.failure(e);
      return 0;
    }
  }

  /**
   * Erases the sessions in a user's set as of {@code erasedAt}, then takes them out of the set.
   *
   * @return how many sessions the set held
   * @throws RedisUnavailableException if the set could not be read or emptied
   */
  private int eraseUser(byte[] userKey, long erasedAt, long deadline) {
    // first the mark: a link made before the erasure that lands after it erases its session
    link.eval(
        SessionScript.MARK_ERASED,
        keys.userErasureMark(userKey),
        deadline,
        ascii(Long.toString(erasedAt)),
        ttlMillis);
    Set<byte[]> members = link.await(() -> link.commands().smembers(userKey), deadline);
    List<String> names = new ArrayList<>(members.size());
    for (byte[] m : members) {
      names.add(new String(m, StandardCharsets.US_ASCII));
    }
    for (Map.Entry<String, Near> e : near.asMap().entrySet()) {
      if (names.contains(e.getValue().name)) {
        near.asMap().remove(e.getKey(), e.getValue());
      }
    }
    for (String name : names) {
      erase(name, name.getBytes(StandardCharsets.US_ASCII), null, erasedAt);
    }
    if (!members.isEmpty()) {
      byte[][] taken = members.toArray(new byte[0][]);
      link.await(() -> link.commands().srem(userKey, taken), deadline);
    }
    return names.size();
  }

  /**
   * Adds a session to a user's index in Redis, so that {@link #removeUser} on any instance finds
   * it; at most once per quarter of the TTL per session that this instance holds. Waits for Redis
   * as long as an erasure does ({@link #ERASE_TIMEOUT}), not only the command timeout: a link that
   * waits in the queue cannot be found by a {@code removeUser} on another instance, which then
   * leaves the session in use there until this instance hears of the erasure.
   *
   * @param userId the user id
   * @param sessionId the session id
   * @throws SessionStoreException if Redis failed; the link waits in the queue
   */
  public void linkUser(String userId, String sessionId) {
    Near n = near.getIfPresent(sessionId);
    long now = System.nanoTime();
    if (n != null && n.linkedNanos != 0 && now - n.linkedNanos < ttlNanos / 4) {
      return;
    }
    byte[] key = n != null ? n.key : keys.of(sessionId);
    byte[] userKey = keys.user(userId);
    long linkedAt =
        n != null && n.linkedAt != 0 && Arrays.equals(n.userKey, userKey)
            ? linkTime(n) // linked again (Redis lost the user's set): as of the first time
            : stamps.next();
    if (n != null) {
      n.linkedNanos = now;
      n.linkedAt = linkedAt;
      n.userKey = userKey;
    } else {
      linkedFirst.put(sessionId, new Linked(now, linkedAt, userKey));
    }
    try {
      writeLink(userKey, key, linkedAt, eraseDeadline());
    } catch (RedisUnavailableException e) {
      pending.link(userKey, key, linkedAt);
      writer.wake();
      throw degraded(e, null, now);
    }
  }

  /**
   * Adds a session to a user's set; when the user was erased since the link was made, erases the
   * session as of then instead.
   *
   * @return false if the session was erased instead
   */
  private boolean writeLink(byte[] userKey, byte[] sessionKey, long linkedAt, long deadlineNanos) {
    probe.at("link");
    return linked(sessionKey, link.await(sendLink(userKey, sessionKey, linkedAt), deadlineNanos));
  }

  /**
   * Writes links of the background writer's queue as {@link #writeLink} does each, sent at once
   * without waiting for each answer (on a cluster too: each to its slot's master); returns those
   * not written: a link that failed, or was not sent, or not answered by the deadline.
   */
  private List<byte[][]> writeLinks(List<byte[][]> links, long deadlineNanos) {
    List<CompletableFuture<List<Object>>> answers = new ArrayList<>(links.size());
    try {
      for (byte[][] l : links) {
        probe.at("link");
        answers.add(
            sendLink(l[0], l[1], Long.parseLong(new String(l[2], StandardCharsets.US_ASCII))));
      }
    } catch (RuntimeException e) {
      // the rest are not sent
    }
    List<byte[][]> failed = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      byte[][] l = links.get(i);
      try {
        if (i >= answers.size()) {
          failed.add(l);
        } else {
          linked(l[1], link.await(answers.get(i), deadlineNanos));
        }
      } catch (RuntimeException e) {
        failed.add(l);
      }
    }
    return failed;
  }

  private CompletableFuture<List<Object>> sendLink(
      byte[] userKey, byte[] sessionKey, long linkedAt) {
    return link.evalAsync(
        SessionScript.LINK,
        new byte[][] {userKey, keys.userErasureMark(userKey)},
        null,
        sessionKey,
        ttlMillis,
        ascii(Integer.toString(MAX_SESSIONS_PER_USER)),
        ascii(Long.toString(linkedAt)));
  }

  /**
   * Takes a link's answer: when the user was erased since the link was made, erases the session as
   * of then.
   *
   * @return false if the session was erased instead
   */
  private boolean linked(byte[] sessionKey, List<Object> answer) {
    if (answer.size() > 1
        && Long.valueOf(2).equals(answer.get(0))
        && answer.get(1) instanceof byte[] erased) {
      erase(
          name(sessionKey),
          sessionKey,
          null,
          Long.parseLong(new String(erased, StandardCharsets.US_ASCII)));
      return false;
    }
    return true;
  }

  /**
   * Erases a session as of {@code erasedAt}: at once when Redis answers in time, else through the
   * queue. The erasure is queued first, then written holding the session ({@link
   * PendingWrites#hold}) like a request's change, so that the background writer does not write it
   * too, and a write of the session in progress here lands before it: when the session stays held
   * past the erase deadline, the erasure is left to the writer. A write of the session in progress
   * on this thread (a write-back links its session first, and the link may erase it) holds it
   * already.
   */
  private void erase(String name, byte[] key, @Nullable String sessionId, long erasedAt) {
    unanswered.answered(name); // what a write sent before is erased
    pending.erase(name, key, sessionId, erasedAt);
    long deadline = eraseDeadline();
    PendingWrites.Hold hold = null;
    try {
      if (!pending.heldHere(name)) {
        hold = hold(name, deadline);
      }
      PendingWrites.Snapshot waiting = pending.snapshot(name);
      if (waiting.erasedAt() == 0) {
        return; // written meanwhile by the write that held the session
      }
      Written w = write(key, null, waiting, null, deadline);
      pending.written(name, waiting);
      // What was written is the newest state, this instance's to write back should Redis lose its
      // data: a copy held here takes it. A link that lands after its user's erasure erases its
      // session with the changes queued since (the copy still held): other instances' copies are
      // changed by that write, so the session was lost with Redis's data
      String held = sessionId != null ? sessionId : heldAs(name);
      if (held != null) {
        remember(held, name, key, w, false, null, waiting);
      }
    } catch (RedisUnavailableException e) {
      writer.wake();
      log.failure(e);
    } finally {
      pending.release(hold);
    }
  }

  private long eraseDeadline() {
    return System.nanoTime() + Math.max(timeoutNanos, ERASE_TIMEOUT.toNanos());
  }

  /**
   * Applies what waits to {@code state}: nothing made before an erasure at {@code erasedAt} (0 for
   * none) counts.
   */
  private static @Nullable SessionState applyAll(
      @Nullable SessionState state, PendingWrites.Snapshot waiting, long erasedAt) {
    return applyAll(state, waiting.changes(), erasedAt);
  }

  private static @Nullable SessionState applyAll(
      @Nullable SessionState state,
      List<UnaryOperator<@Nullable SessionState>> changes,
      long erasedAt) {
    SessionState s = state;
    for (UnaryOperator<@Nullable SessionState> c : changes) {
      s = applyChecked(c, s, erasedAt);
    }
    return s;
  }

  /**
   * Keeps changes this instance wrote of a session, the latest {@link #RETAINED_PER_SESSION}, and
   * the latest erasure the state they were written on showed.
   */
  private void retain(
      String name, byte[] key, List<UnaryOperator<@Nullable SessionState>> changes, long erasedAt) {
    if (loss.restoring()) {
      keep(sinceLoss, name, key, changes, erasedAt);
    }
    keep(retained, name, key, changes, erasedAt);
  }

  /** Adds changes to those a cache keeps of a session, at most {@link #RETAINED_PER_SESSION}. */
  private static void keep(
      Cache<String, Retained> cache,
      String name,
      byte[] key,
      List<UnaryOperator<@Nullable SessionState>> changes,
      long erasedAt) {
    cache
        .asMap()
        .compute(
            name,
            (k, old) -> {
              List<UnaryOperator<@Nullable SessionState>> kept =
                  new ArrayList<>(old == null ? List.of() : old.changes);
              for (UnaryOperator<@Nullable SessionState> c : changes) {
                if (!kept.contains(c)) {
                  kept.add(c);
                }
              }
              int extra = kept.size() - RETAINED_PER_SESSION;
              List<UnaryOperator<@Nullable SessionState>> last =
                  extra > 0 ? kept.subList(extra, kept.size()) : kept;
              return new Retained(
                  key, List.copyOf(last), Math.max(erasedAt, old == null ? 0 : old.erasedAt));
            });
  }

  /**
   * Hears Redis's reports: of writes, for the copies held here; of erasures, for the changes this
   * instance wrote lately, which an erasure made earlier may have wiped: the writer checks.
   */
  void reported(@Nullable List<byte[]> changed) {
    try {
      probe.at("report");
    } catch (RuntimeException dropped) {
      return; // a test's: as if Redis died before it sent the report
    }
    List<String> check = reports.reported(changed);
    if (!check.isEmpty()) {
      check(check);
    }
    if (changed == null) {
      // the connection was lost (or Redis flushed): a report of an erasure may be missed, so
      // the sessions this instance wrote lately are checked once Redis answers
      retained.asMap().forEach((name, r) -> pending.check(name, r.key));
      heldBack.forEach(pending::check); // and a grant's report may be missed
      if (!retained.asMap().isEmpty() || heldBack.sessions() > 0) {
        writer.wake();
      }
      return;
    }
    for (byte[] k : changed) {
      String name = name(k);
      byte[] erasedUser = keys.erasedUser(name);
      if (erasedUser != null) {
        userErased(erasedUser, k);
        continue;
      }
      if (heldBack.holds(name)) {
        // another instance wrote a session whose visits a denial held back here: the write may be
        // a grant that lets them in; the writer checks
        pending.check(name, k);
        writer.wake();
      }
      String held = SessionKeys.heldSession(name);
      if (held != null && sinceLoss.getIfPresent(held) != null) {
        // a copy written back: it may have replaced a provisional state with changes this
        // instance wrote; the writer checks, once the hold is over
        pending.check(held, held.getBytes(StandardCharsets.US_ASCII));
        writer.wake();
        continue;
      }
      String marked = SessionKeys.markedSession(name);
      if (marked != null) {
        // also when no changes are kept yet: a write of this instance may have landed before the
        // erasure, its changes kept once its answer is heard, after this report; the writer
        // checks later (nothing if it kept none)
        pending.check(marked, marked.getBytes(StandardCharsets.US_ASCII));
        writer.wake();
      }
    }
  }

  /**
   * Asks Redis, without waiting, which tokens these keys hold, which this instance wrote lately and
   * which were reported: a copy of the token found is current as of the count taken before sending
   * ({@link ChangeReports}). On the client's thread: the keys of one report in one script ({@link
   * SessionScript#TOKENS}) on a single server, else one {@code HGET} of the token field per key,
   * sent at once; nothing waits for the answers. A check that fails (a timeout under load, no
   * connection) or is not sent leaves the copies changed until the background writer checks them
   * again ({@link #checkAgain}): otherwise the copy of the instance that wrote last, the only one
   * not changed by that write, would not be written back should Redis lose its data, and the
   * session would be lost.
   */
  // Fire and forget: the answers only note what a check found.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void check(List<String> names) {
    long at = reports.now(); // before sending: a report counted later still counts
    try {
      probe.at("check");
      if (names.size() > 1 && !link.cluster()) {
        // one script for the batch of a report: one command instead of one per key
        byte[][] checked = new byte[names.size()][];
        for (int i = 0; i < checked.length; i++) {
          checked[i] = ascii(names.get(i));
        }
        link.evalAsync(SessionScript.TOKENS, checked, null)
            .whenComplete(
                (tokens, e) -> {
                  if (e != null) {
                    names.forEach(reports::checkFailed);
                  } else {
                    for (int i = 0; i < names.size() && i < tokens.size(); i++) {
                      if (tokens.get(i) instanceof byte[] token) {
                        reports.verified(names.get(i), token, at);
                      }
                    }
                  }
                  probe.at("checked");
                });
        return;
      }
      for (String name : names) {
        link.commands()
            .hget(ascii(name), TOKEN_FIELD)
            .whenComplete(
                (token, e) -> {
                  if (e != null) {
                    reports.checkFailed(name);
                  } else {
                    // no token: no key, which is what a copy of no key holds
                    reports.verified(name, token == null ? SessionScript.NONE : token, at);
                  }
                  probe.at("checked");
                });
      }
    } catch (RuntimeException e) {
      // not sent: the copies stay changed until checked again
      names.forEach(reports::checkFailed);
    }
  }

  /**
   * Sends again the checks that failed or were not sent ({@link ChangeReports#toCheckAgain}), at
   * most {@link #PER_SCRIPT} keys per command (one that fails now is sent again next time); called
   * by the background writer about once a second, once Redis answered it.
   */
  private void checkAgain() {
    List<String> again = reports.toCheckAgain();
    for (int from = 0; from < again.size(); from += PER_SCRIPT) {
      check(again.subList(from, Math.min(again.size(), from + PER_SCRIPT)));
    }
  }

  /**
   * Hears that a user was erased, on any instance: the sessions held here that this instance linked
   * to the user before the erasure are erased as of its time (the mark's value), also those whose
   * links wait in this instance's queue and so were not in the user's set when the erasing instance
   * read it. Without this, such a session would be used until its link landed and erased it. On the
   * client's thread: the mark is read without waiting, and the erasures are queued for the writer,
   * which writes them first; meanwhile no read or change of this instance uses the erased state.
   */
  // Fire and forget: the answer only queues erasures.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void userErased(byte[] userKey, byte[] mark) {
    boolean held = false;
    for (Near n : near.asMap().values()) {
      held |= Arrays.equals(n.userKey, userKey);
    }
    for (Linked l : linkedFirst.asMap().values()) {
      held |= Arrays.equals(l.userKey(), userKey);
    }
    if (!held) {
      return;
    }
    try {
      link.commands()
          .get(mark)
          .whenComplete(
              (value, e) -> {
                if (e != null || value == null) {
                  return; // expired, or not read: the links, once written, erase the sessions
                }
                long erasedAt;
                try {
                  erasedAt = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
                } catch (NumberFormatException notOurs) {
                  return;
                }
                boolean queued = false;
                for (Map.Entry<String, Near> h : near.asMap().entrySet()) {
                  Near n = h.getValue();
                  // as the link script decides: a link made at or before the erasure is erased
                  if (Arrays.equals(n.userKey, userKey)
                      && linkTime(n) <= erasedAt
                      && near.asMap().remove(h.getKey(), n)) {
                    pending.erase(n.name, n.key, h.getKey(), erasedAt);
                    queued = true;
                  }
                }
                for (Map.Entry<String, Linked> f : linkedFirst.asMap().entrySet()) {
                  // linked before this instance held a copy: the next read would take Redis's
                  Linked l = f.getValue();
                  if (Arrays.equals(l.userKey(), userKey)
                      && l.at() <= erasedAt
                      && linkedFirst.asMap().remove(f.getKey(), l)) {
                    byte[] key = keys.of(f.getKey());
                    pending.erase(name(key), key, f.getKey(), erasedAt);
                    queued = true;
                  }
                }
                if (queued) {
                  writer.wake();
                }
              });
    } catch (RuntimeException e) {
      // not sent: the links, once written, erase the sessions
    }
  }

  private static @Nullable SessionState applyChecked(
      UnaryOperator<@Nullable SessionState> change, @Nullable SessionState s, long erasedAt) {
    if (!DatedChange.after(change, erasedAt)) {
      return s; // made before the erasure: it is what was erased
    }
    return change.apply(s);
  }

  /**
   * Returns the failure to throw, with the local copy to decide with when it is safe to use: when
   * this instance has heard every report Redis sent before the request began, and none of the
   * session since the copy was read. Otherwise another instance may have erased the session, and
   * the request decides with its own behaviour only.
   *
   * @param startNanos when the request began, on {@link System#nanoTime()}
   */
  private SessionStoreException degraded(
      RedisUnavailableException e, @Nullable Near local, long startNanos) {
    if (e.kind() == RedisUnavailableException.Kind.TIMEOUT) {
      timeouts.increment();
    }
    log.failure(e);
    SessionState fallback = null;
    if (local != null
        && !local.unreadable
        && link.answeredSince(local.key, startNanos)
        && current(local)) {
      fallback = local.local;
    }
    return new SessionStoreException("Redis session store: " + e.getMessage(), e, fallback);
  }

  private SessionStoreException unreadable() {
    unreadable.increment();
    return new SessionStoreException(
        "Redis session store: the key held data that is not a session state; treated as empty",
        null,
        null);
  }

  private static boolean written(List<Object> answer) {
    return !answer.isEmpty() && answer.get(0) instanceof Long n && n == 1L;
  }

  private static Current current(List<Object> answer) {
    byte[] token =
        answer.size() > 1 && answer.get(1) instanceof byte[] b ? b : SessionScript.UNREADABLE;
    long erasedAt = 0;
    if (answer.size() > 3 && answer.get(3) instanceof byte[] e) {
      try {
        erasedAt = Long.parseLong(new String(e, StandardCharsets.US_ASCII));
      } catch (NumberFormatException ignored) {
        erasedAt = Long.MAX_VALUE; // not ours to read: nothing older counts
      }
    }
    if (token.length == 0) {
      return new Current(token, null, false, erasedAt);
    }
    if (!Arrays.equals(token, SessionScript.UNREADABLE)) {
      if (!(answer.size() > 2 && answer.get(2) instanceof byte[] data)) {
        return new Current(token, null, false, erasedAt); // a tombstone
      }
      try {
        // a copy written back, or one that replaced a provisional state within its time: writes
        // since removed the first mark, not the second (SessionScript.CAS)
        boolean restored =
            (answer.size() > 4 && answer.get(4) instanceof byte[])
                || (answer.size() > 7 && answer.get(7) instanceof Long);
        return new Current(token, SessionState.fromBytes(data), false, erasedAt, restored);
      } catch (RuntimeException e) {
        // Not a state this engine reads: garbage, a foreign value or a newer format.
      }
    }
    return new Current(token, null, true, erasedAt);
  }

  /** Returns a random version token: 16 hex digits, never one of the script's marks. */
  private static byte[] newToken() {
    return ascii(Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String name(byte[] key) {
    return new String(key, StandardCharsets.US_ASCII);
  }

  /**
   * Returns counters: near-cache hits, misses, conflicts, timeouts, failures, unreadable, changes
   * waiting, erasures waiting, changes written late, changes dropped, sessions restored, changes
   * written behind.
   */
  public long[] counters() {
    return new long[] {
      hits.sum(),
      misses.sum(),
      conflicts.sum(),
      timeouts.sum(),
      log.failures(),
      unreadable.sum(),
      pending.changes(),
      pending.erasures(),
      retried.sum(),
      pending.dropped(),
      restored.sum(),
      behind.sum(),
      loss.losses()
    };
  }

  /**
   * Returns whether nothing waits in this instance's queue, nor is being written from it. For
   * tests.
   */
  boolean nothingWaits() {
    return pending.isEmpty() && !pending.linksWait();
  }

  /**
   * Returns how many sessions have visits a denial held back here ({@link HeldBack}). For tests.
   */
  long heldBackSessions() {
    return heldBack.sessions();
  }

  /** Returns whether this instance holds a copy of the session. For tests. */
  boolean holdsCopy(String sessionId) {
    return near.getIfPresent(sessionId) != null;
  }

  /**
   * Returns whether this instance would find now that Redis lost its data: it read the canaries
   * since its connection last changed. For tests, which wait for it before they kill Redis.
   */
  boolean watchesForLoss() {
    return loss.watching();
  }

  /**
   * Returns the Redis key of a session.
   *
   * @param sessionId the session id
   * @return the key
   */
  public String key(String sessionId) {
    return new String(keys.of(sessionId), StandardCharsets.UTF_8);
  }

  /** Writes what waits, for at most two seconds, then stops the writer and the connection. */
  @Override
  public void close() {
    writer.close(Duration.ofSeconds(2));
    flushers.shutdown();
    link.close();
  }

  /**
   * What a write wrote: the token and state, when the session was erased (or 0); and the state the
   * request sees, which is the state written unless the request's change was made before an
   * erasure; when the compare-and-set that wrote was sent, on {@link System#nanoTime()}: of two
   * writes of this instance that Redis took, the later one was sent after the earlier one's answer
   * (it was built on it), so it was sent later.
   */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Written(
      byte[] token,
      @Nullable SessionState state,
      @Nullable SessionState view,
      long erasedAt,
      boolean unreadable,
      long seen,
      long epoch,
      long sentNanos) {}

  /**
   * What the store knows of a session: its key, the token and state Redis last confirmed, whether
   * and when, and the local state (the confirmed one with what waits applied).
   */
  // Never compared or hashed (tokens are compared with Arrays.equals); the arrays are never
  // changed. linkedNanos is a hint, racy by design.
  private static final class Near {
    final String name;
    final byte[] key;
    final byte[] token;
    final @Nullable SessionState confirmedState;
    final @Nullable SessionState local;
    final boolean unreadable;
    final boolean confirmed;
    final long confirmedNanos;

    /** When this instance last wrote the session, on {@link System#nanoTime()}; 0 if never. */
    final long wroteNanos;

    volatile long linkedNanos;

    /** When this instance last linked the session to its user, epoch microseconds; a hint too. */
    volatile long linkedAt;

    /** The key of the user's set this session was linked to, if any; a hint, like linkedNanos. */
    volatile byte @Nullable [] userKey;

    /** The count of change reports before this copy was read; -1 if it was not. Set before kept. */
    long seen = -1;

    /** The tracking epoch before this copy was read. Set before kept. */
    long epoch = -1;

    /**
     * When the session was last erased, as the confirmed state showed; 0 if never (epoch
     * microseconds).
     */
    long erasedAt;

    /**
     * When the compare-and-set that wrote the confirmed state was sent, if this instance wrote it
     * ({@code wroteNanos != 0}); see {@link Written}.
     */
    long sentNanos;

    /**
     * Whether the local state is exactly the confirmed state with {@link #onTop} applied, in order
     * (as {@link #applyAll} applies them, with {@link #erasedAt}). Set before kept.
     */
    boolean exact;

    /** The changes applied to the confirmed state to make the local one, if {@link #exact}. */
    @Nullable Applied onTop;

    Near(
        String name,
        byte[] key,
        byte[] token,
        @Nullable SessionState confirmedState,
        @Nullable SessionState local,
        boolean unreadable,
        boolean confirmed,
        long confirmedNanos,
        long wroteNanos) {
      this.name = name;
      this.key = key;
      this.token = token;
      this.confirmedState = confirmedState;
      this.local = local;
      this.unreadable = unreadable;
      this.confirmed = confirmed;
      this.confirmedNanos = confirmedNanos;
      this.wroteNanos = wroteNanos;
    }

    Near withLocal(@Nullable SessionState next) {
      Near n =
          new Near(
              name,
              key,
              token,
              confirmedState,
              next,
              unreadable,
              confirmed,
              confirmedNanos,
              wroteNanos);
      n.linkedNanos = linkedNanos;
      n.linkedAt = linkedAt;
      n.userKey = userKey;
      n.seen = seen;
      n.epoch = epoch;
      n.erasedAt = erasedAt;
      n.sentNanos = sentNanos;
      return n;
    }

    /** Returns this copy with a change written behind applied to its local state. */
    Near behind(SessionState next, UnaryOperator<@Nullable SessionState> change) {
      Near n = withLocal(next);
      n.exact = exact;
      n.onTop = exact ? Applied.push(onTop, change) : null;
      return n;
    }
  }

  /**
   * Changes applied to a state, newest first, as a list that shares its older part: adding one
   * costs one node.
   */
  // Never compared or hashed: changes are compared by identity.
  private record Applied(
      UnaryOperator<@Nullable SessionState> change, @Nullable Applied older, int size) {
    static Applied push(@Nullable Applied older, UnaryOperator<@Nullable SessionState> change) {
      return new Applied(change, older, older == null ? 1 : older.size + 1);
    }

    static @Nullable Applied of(List<UnaryOperator<@Nullable SessionState>> changes) {
      Applied a = null;
      for (UnaryOperator<@Nullable SessionState> c : changes) {
        a = push(a, c);
      }
      return a;
    }

    /**
     * Returns whether {@code applied} is {@code first}, then {@code then}, in order, the very
     * objects.
     */
    static boolean same(
        @Nullable Applied applied,
        List<UnaryOperator<@Nullable SessionState>> first,
        List<UnaryOperator<@Nullable SessionState>> then) {
      if ((applied == null ? 0 : applied.size) != first.size() + then.size()) {
        return false;
      }
      Applied a = applied;
      for (int i = then.size() - 1; i >= 0; i--) {
        if (a == null || a.change != then.get(i)) {
          return false;
        }
        a = a.older;
      }
      for (int i = first.size() - 1; i >= 0; i--) {
        if (a == null || a.change != first.get(i)) {
          return false;
        }
        a = a.older;
      }
      return a == null;
    }
  }

  /**
   * Changes this instance wrote of a session lately, and the latest erasure the states they were
   * written on showed (epoch microseconds, or 0).
   */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Retained(
      byte[] key, List<UnaryOperator<@Nullable SessionState>> changes, long erasedAt) {}

  /**
   * A link of a session to a user's set: when, on {@link System#nanoTime()} and epoch microseconds.
   */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Linked(long nanos, long at, byte[] userKey) {}

  /** An erasure this instance wrote: the session's key and the erasure's time. */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Erased(byte[] key, long at) {}

  /**
   * The token and state a key held, or the state to build on; when it was erased, or 0; and whether
   * it holds a copy written back after Redis lost its data ({@code r} of {@link
   * SessionScript#RESTORE}) with no write since.
   */
  // Never compared or hashed (tokens are compared with Arrays.equals); the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Current(
      byte[] token,
      @Nullable SessionState state,
      boolean unreadable,
      long erasedAt,
      boolean restored) {
    Current(byte[] token, @Nullable SessionState state, boolean unreadable, long erasedAt) {
      this(token, state, unreadable, erasedAt, false);
    }
  }
}
