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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * update is lost and a stale copy costs one more round trip, never a wrong result.
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
          SessionScript.ERASE,
          SessionScript.LINK,
          SessionScript.RESTORE,
          SessionScript.MARK_ERASED);

  /** The most sessions a user's index in Redis keeps. */
  static final int MAX_SESSIONS_PER_USER = 1_024;

  /** How long the background writer waits for Redis per call. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long an erasure waits for Redis, at least: an erasure that waits in the queue lets other
   * instances go on with the erased state meanwhile, so it is worth more than a decision's time.
   */
  static final Duration ERASE_TIMEOUT = Duration.ofSeconds(1);

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

  private static final int MAX_ATTEMPTS = 100;

  /** How long changes to a session wait after the first write-back of it, in ms, as ASCII. */
  private static final byte[] HOLD_MILLIS =
      Long.toString(DataLoss.SETTLE.toMillis()).getBytes(StandardCharsets.US_ASCII);

  private static final byte[] EMPTY = new byte[0];

  private final RedisLink link;
  private final SessionKeys keys;
  private final Cache<String, Near> near;
  private final byte[] ttlMillis;
  private final long ttlNanos;
  private final long timeoutNanos;
  private final long maxStalenessNanos;
  private final Clock clock;
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
   * Creates the sessions and starts the background writer.
   *
   * @param link the connection
   * @param keys the session keys
   * @param ttl the idle expiry of a key
   * @param timeout the most one operation waits for Redis
   * @param nearCacheSize the most sessions kept locally; 0 for none
   * @param maxStaleness how old a local copy {@code get} may answer with
   * @param maxPendingChanges the most changes waiting to be written
   * @param clock the clock erasures are stamped with
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
    this.clock = clock;
    this.log = new FailureLog("Redis session store", 60_000);
    this.pending = new PendingWrites(maxPendingChanges);
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
              public void link(byte[][] link, long deadlineNanos) {
                writeLink(
                    link[0],
                    link[1],
                    Long.parseLong(new String(link[2], StandardCharsets.US_ASCII)),
                    deadlineNanos);
              }

              @Override
              public void eraseUser(byte[] userKey, long erasedAt, long deadlineNanos) {
                // a session linked later, such as one written back, is erased by its link
                RedisSessions.this.eraseUser(userKey, erasedAt, deadlineNanos);
              }

              @Override
              public void idle(long deadlineNanos) {
                forgetWatches();
                loss.check(deadlineNanos);
              }
            },
            WRITE_TIMEOUT);
    this.loss = new DataLoss(link, keys.canary(), this::writeBack);
    writer.wake();
  }

  /**
   * Returns a session's state, from the near cache when fresh enough.
   *
   * @param sessionId the session id
   * @return the state, or null
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data
   */
  public @Nullable SessionState get(String sessionId) {
    long now = System.nanoTime();
    Near n = near.getIfPresent(sessionId);
    if (n != null && n.confirmed && (now - n.confirmedNanos <= maxStalenessNanos || current(n))) {
      hits.increment();
      return n.local;
    }
    misses.increment();
    byte[] key = n != null ? n.key : keys.of(sessionId);
    String name = name(key);
    Current c;
    long seen = reports.now();
    long epoch = link.trackingEpoch();
    try {
      c = current(link.eval(SessionScript.CAS, key, now + timeoutNanos, SessionScript.READ));
    } catch (RedisUnavailableException e) {
      throw degraded(e, n, now);
    }
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
   * @param change the engine's change
   * @return the new state, or null if removed
   * @throws SessionStoreException if Redis failed (with the local copy) or held unreadable data,
   *     which the change then replaced
   */
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
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
    PendingWrites.Snapshot waiting = pending.snapshot(name);
    if (writeBehind
        && n != null
        && waiting.isEmpty()
        && !n.unreadable
        && current(n)
        && !loss.settling()) {
      SessionState next = writeBehind(sessionId, n, change);
      if (next != null) {
        return next;
      }
    }
    Written w;
    try {
      if (loss.settling()) {
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
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
    retried.add(waiting.changes().size());
    remember(sessionId, name, key, w);
    if (w.unreadable) {
      throw unreadable();
    }
    return w.view;
  }

  /**
   * Applies the change to a copy known current and returns at once: the change waits in the queue
   * while its compare-and-set is in flight; the answer updates the copy, and a conflict or failure
   * leaves the change to the background writer.
   *
   * @return the new state, or null if the change could not be queued (then the caller writes it)
   */
  private @Nullable SessionState writeBehind(
      String sessionId, Near n, UnaryOperator<@Nullable SessionState> change) {
    SessionState next = change.apply(n.local);
    if (next == null || !pending.add(n.name, n.key, sessionId, change)) {
      return null;
    }
    behind.increment();
    near.put(sessionId, n.withLocal(next));
    PendingWrites.Snapshot sent = PendingWrites.Snapshot.of(List.of(change));
    long epoch = link.trackingEpoch();
    byte[] token = newToken();
    var unused =
        link.evalAsync(SessionScript.CAS, n.key, n.token, token, next.toBytes(), ttlMillis)
            .whenComplete(
                (answer, e) -> {
                  if (e == null && written(answer)) {
                    reports.wrote(n.name, n.seen);
                    retain(n.name, n.key, sent.changes(), n.erasedAt);
                    pending.written(n.name, sent);
                    remember(
                        sessionId,
                        n.name,
                        n.key,
                        new Written(token, next, next, 0, false, reports.now(), epoch));
                  } else {
                    writer.wake(); // another instance wrote, or Redis failed: the writer retries
                  }
                });
    return next;
  }

  /** Keeps what Redis confirmed, with what still waits applied, as the local state. */
  private void remember(@Nullable String sessionId, String name, byte[] key, Written w) {
    if (sessionId == null) {
      return;
    }
    PendingWrites.Snapshot still = pending.snapshot(name);
    SessionState local = applyAll(w.state, still, w.erasedAt);
    long now = System.nanoTime();
    Near next = new Near(name, key, w.token, w.state, local, false, true, now, now);
    next.seen = w.seen;
    next.epoch = w.epoch;
    next.erasedAt = w.erasedAt;
    Near old = near.getIfPresent(sessionId);
    if (old != null) {
      next.linkedNanos = old.linkedNanos;
      next.linkedAtMillis = old.linkedAtMillis;
      next.userKey = old.userKey;
    }
    keep(sessionId, next);
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
    Current base =
        n != null && n.confirmed
            ? new Current(n.token, n.confirmedState, n.unreadable, n.erasedAt)
            : new Current(SessionScript.NONE, null, false, 0);
    boolean unreadableBefore = base.unreadable;
    long epoch = link.trackingEpoch();
    if (waiting.erasedAt() != 0) {
      byte[] token = newToken();
      List<Object> erased =
          link.eval(
              SessionScript.ERASE,
              new byte[][] {key, SessionKeys.erasureMark(key)},
              deadline,
              token,
              ascii(Long.toString(waiting.erasedAt())),
              ttlMillis);
      base =
          erased.size() == 1 && Long.valueOf(2).equals(erased.get(0))
              // erased at that time or later already: what the key holds came after; read it
              ? new Current(SessionScript.READ, null, false, waiting.erasedAt())
              : new Current(token, null, false, waiting.erasedAt());
    }
    String name = name(key);
    for (int attempt = 1; ; attempt++) {
      SessionState next = applyAll(base.state, waiting.changes(), base.erasedAt);
      Retained again = retained.getIfPresent(name);
      if (again != null && base.erasedAt > again.erasedAt) {
        // an erasure landed after changes this instance wrote: those made after it count again
        // (one made in the erasure's millisecond counts as erased: writing it again is what
        // would need to be sure)
        // (a change that cannot be dated, such as an exposure's, which needs a state, is not
        // written again: it may come from before the erasure)
        for (UnaryOperator<@Nullable SessionState> c : again.changes) {
          SessionState own = c.apply(null);
          if (own != null && own.lastSeen().toEpochMilli() > base.erasedAt) {
            next = c.apply(next);
          }
        }
      }
      SessionState view = next;
      if (change != null) {
        next = applyChecked(change, next, base.erasedAt);
        // a request made before an erasure still decides with its own behaviour, not stored
        view = next == view ? change.apply(null) : next;
      }
      byte[] token = newToken();
      long before = reports.now();
      List<Object> answer =
          link.eval(
              SessionScript.CAS,
              new byte[][] {key, SessionKeys.writeBackHold(key)},
              deadline,
              // its report, if Redis sends one, comes after the answer: expect it before
              a -> {
                if (written(a)) {
                  reports.wrote(name, before);
                }
              },
              base.token,
              token,
              next == null ? EMPTY : next.toBytes(),
              ttlMillis);
      if (written(answer)) {
        log.success();
        retain(name, key, waiting.changes(), base.erasedAt);
        if (change != null) {
          retain(name, key, List.of(change), base.erasedAt);
        }
        long seen = reports.now();
        return new Written(
            token, next, view, base.erasedAt, unreadableBefore || base.unreadable, seen, epoch);
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
        if (restorable(n) && restore(key, n, deadline)) {
          restored.increment();
        }
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
      if (attempt == 1 && answer.size() > 4 && answer.get(4) instanceof byte[] && restorable(n)) {
        // Another instance wrote back its copy (Redis lost its data) and no change landed since:
        // this instance's copy, if newer, replaces it before the change is applied
        if (restore(key, n, deadline)) {
          restored.increment();
          conflicts.increment();
          now = current(link.eval(SessionScript.CAS, key, deadline, SessionScript.READ));
        }
      }
      if (now.token.length == 0 && attempt == 1 && restorable(n)) {
        // The key is gone though this instance wrote it within its TTL: Redis lost it (a restart
        // without persistence). Write back the state it last wrote, unless another instance
        // wrote back a newer one, then build on what is there; and write back the others too.
        if (restore(key, n, deadline)) {
          restored.increment();
        }
        loss.found();
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
      base = now;
    }
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
    return reports.unchangedSince(n.name, n.seen);
  }

  /**
   * Returns whether this copy is known to be current: Redis reports changes on this connection, did
   * since the copy was read, and reported none of the session.
   */
  private boolean current(Near n) {
    return n.confirmed && link.tracking() && n.epoch == link.trackingEpoch() && unchanged(n);
  }

  /** Keeps a copy, and watches its key for reports of changes. */
  private void keep(String sessionId, Near n) {
    reports.watch(n.name);
    near.put(sessionId, n);
  }

  /**
   * Returns whether this instance's copy may be written back after Redis lost its data: it wrote
   * the session within the TTL, and Redis reported no other instance's write or erasure of it since
   * (the instance that wrote last holds the newest copy; an erased one must not come back).
   */
  private boolean restorable(@Nullable Near n) {
    return n != null
        && n.confirmed
        && n.confirmedState != null
        && n.wroteNanos != 0
        && System.nanoTime() - n.wroteNanos < ttlNanos
        && unchanged(n);
  }

  /** Writes back this instance's copy, unless a newer one was; returns whether it was written. */
  private boolean restore(byte[] key, Near n, long deadline) {
    SessionState copy = n.confirmedState;
    List<Object> answer =
        link.eval(
            SessionScript.RESTORE,
            new byte[][] {key, SessionKeys.writeBackHold(key)},
            deadline,
            newToken(),
            copy.toBytes(),
            ttlMillis,
            ascii(Long.toString(copy.visits())),
            HOLD_MILLIS);
    return written(answer);
  }

  /**
   * Queues the write-back of every session this instance wrote within the TTL, and of their links
   * to users: Redis lost its data.
   */
  private void writeBack() {
    for (Map.Entry<String, Near> e : near.asMap().entrySet()) {
      Near n = e.getValue();
      if (restorable(n)) {
        pending.restore(n.name, n.key, e.getKey());
        byte[] userKey = n.userKey;
        if (userKey != null) {
          // as of when it was made, or after the user erasure the copy was written on: so that
          // a user erasure made since erases it, and one before does not erase it again
          pending.link(userKey, n.key, Math.max(n.linkedAtMillis, n.erasedAt + 1));
        }
      }
    }
    writer.wake();
  }

  /** Writes what waits for one session; called by the background writer. */
  private void flushWaiting(String name, long deadlineNanos) {
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
      recheck(name, e.key, deadlineNanos);
    }
    if (loss.settling() && waiting.erasedAt() == 0) {
      if (waiting.restore() && restorable(n) && restore(e.key, n, deadlineNanos)) {
        restored.increment();
      }
      pending.written(
          name, new PendingWrites.Snapshot(0, waiting.restore(), waiting.check(), List.of()));
      if (!waiting.changes().isEmpty()) {
        throw new RedisUnavailableException(RedisUnavailableException.Kind.RECOVERING, null);
      }
      return;
    }
    if (waiting.erasedAt() == 0 && waiting.changes().isEmpty()) {
      // only a write-back (or a check, done): without a CAS after it, which would keep a newer
      // copy from replacing it
      if (waiting.restore() && restorable(n) && restore(e.key, n, deadlineNanos)) {
        restored.increment();
      }
      pending.written(name, waiting);
      return;
    }
    Written w = write(e.key, n, waiting, null, deadlineNanos);
    pending.written(name, waiting);
    retried.add(waiting.changes().size());
    remember(sessionId, name, e.key, w);
  }

  /**
   * Writes again the changes this instance wrote lately of a session when an erasure that landed
   * since wiped them: those made after the erasure. Nothing is written otherwise.
   */
  private void recheck(String name, byte[] key, long deadlineNanos) {
    Retained r = retained.getIfPresent(name);
    if (r == null) {
      return;
    }
    Current c = current(link.eval(SessionScript.CAS, key, deadlineNanos, SessionScript.READ));
    if (c.erasedAt > r.erasedAt) {
      write(key, null, PendingWrites.Snapshot.NONE, null, deadlineNanos);
      rewritten.increment();
    }
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
              return old == null
                  ? new Near(name, key, SessionScript.READ, null, next, false, false, 0, 0)
                  : old.withLocal(next);
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
    erase(name(key), key, sessionId, clock.millis());
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
    long erasedAt = clock.millis();
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
        SessionKeys.erasureMark(userKey),
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
   * it; at most once per quarter of the TTL per session that this instance holds.
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
    long linkedAt = clock.millis();
    if (n != null) {
      n.linkedNanos = now;
      n.linkedAtMillis = linkedAt;
      n.userKey = userKey;
    }
    try {
      writeLink(userKey, key, linkedAt, now + timeoutNanos);
    } catch (RedisUnavailableException e) {
      pending.link(userKey, key, linkedAt);
      writer.wake();
      throw degraded(e, null, now);
    }
  }

  /**
   * Adds a session to a user's set; when the user was erased since the link was made, erases the
   * session as of then instead.
   */
  private void writeLink(byte[] userKey, byte[] sessionKey, long linkedAt, long deadlineNanos) {
    List<Object> answer =
        link.eval(
            SessionScript.LINK,
            new byte[][] {userKey, SessionKeys.erasureMark(userKey)},
            deadlineNanos,
            sessionKey,
            ttlMillis,
            ascii(Integer.toString(MAX_SESSIONS_PER_USER)),
            ascii(Long.toString(linkedAt)));
    if (answer.size() > 1
        && Long.valueOf(2).equals(answer.get(0))
        && answer.get(1) instanceof byte[] erased) {
      erase(
          name(sessionKey),
          sessionKey,
          null,
          Long.parseLong(new String(erased, StandardCharsets.US_ASCII)));
    }
  }

  /**
   * Erases a session as of {@code erasedAt}: at once when Redis answers in time, else through the
   * queue.
   */
  private void erase(String name, byte[] key, @Nullable String sessionId, long erasedAt) {
    pending.erase(name, key, sessionId, erasedAt);
    PendingWrites.Snapshot waiting = pending.snapshot(name);
    try {
      write(key, null, waiting, null, eraseDeadline());
      pending.written(name, waiting);
    } catch (RedisUnavailableException e) {
      writer.wake();
      log.failure(e);
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
    retained
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
  private void reported(@Nullable List<byte[]> changed) {
    reports.reported(changed);
    if (changed == null) {
      // the connection was lost (or Redis flushed): a report of an erasure may be missed, so
      // the sessions this instance wrote lately are checked once Redis answers
      retained.asMap().forEach((name, r) -> pending.check(name, r.key));
      if (!retained.asMap().isEmpty()) {
        writer.wake();
      }
      return;
    }
    for (byte[] k : changed) {
      String marked = SessionKeys.markedSession(name(k));
      Retained r = marked == null ? null : retained.getIfPresent(marked);
      if (r != null) {
        pending.check(marked, r.key);
        writer.wake();
      }
    }
  }

  private static @Nullable SessionState applyChecked(
      UnaryOperator<@Nullable SessionState> change, @Nullable SessionState s, long erasedAt) {
    if (erasedAt != 0) {
      SessionState own = change.apply(null);
      if (own != null && own.lastSeen().toEpochMilli() < erasedAt) {
        return s; // made before the erasure: it is what was erased
      }
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
        return new Current(token, SessionState.fromBytes(data), false, erasedAt);
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
      behind.sum()
    };
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
    link.close();
  }

  /**
   * What a write wrote: the token and state, when the session was erased (or 0); and the state the
   * request sees, which is the state written unless the request's change was made before an
   * erasure.
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
      long epoch) {}

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

    /** When this instance last linked the session to its user, epoch millis; a hint too. */
    volatile long linkedAtMillis;

    /** The key of the user's set this session was linked to, if any; a hint, like linkedNanos. */
    volatile byte @Nullable [] userKey;

    /** The count of change reports before this copy was read; -1 if it was not. Set before kept. */
    long seen = -1;

    /** The tracking epoch before this copy was read. Set before kept. */
    long epoch = -1;

    /** When the session was last erased, as the confirmed state showed; 0 if never. */
    long erasedAt;

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
      n.linkedAtMillis = linkedAtMillis;
      n.userKey = userKey;
      n.seen = seen;
      n.epoch = epoch;
      n.erasedAt = erasedAt;
      return n;
    }
  }

  /**
   * Changes this instance wrote of a session lately, and the latest erasure the states they were
   * written on showed (epoch millis, or 0).
   */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Retained(
      byte[] key, List<UnaryOperator<@Nullable SessionState>> changes, long erasedAt) {}

  /** The token and state a key held, or the state to build on; when it was erased, or 0. */
  // Never compared or hashed (tokens are compared with Arrays.equals); the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Current(
      byte[] token, @Nullable SessionState state, boolean unreadable, long erasedAt) {}
}
