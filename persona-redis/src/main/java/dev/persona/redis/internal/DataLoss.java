package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds that Redis lost its data (a restart without persistence) and, then, has the sessions this
 * instance holds written back: a canary key holds a random value the first instance sets; when it
 * is gone or changed since this instance read it, or when a write finds a key gone that this
 * instance wrote within its TTL ({@link #found()}), the data is lost. On a cluster each master has
 * a canary of its own ({@link RedisLink#onEveryMaster}), so that a master that restarted empty is
 * found too, though no one writes the sessions it served. For {@link #SETTLE} after, changes wait
 * ({@link #settling()}), so that every instance writes back its copies first and the newest copy of
 * each session wins. Each loss found is logged once, at WARN, and counted ({@link #found()}).
 * Thread-safe.
 */
final class DataLoss {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.redis");

  /**
   * The least time between two write-backs of every session this instance holds, when a key found
   * gone tells of the loss: most likely the loss the last write-back was for. Not when a canary
   * that this instance read intact after that write-back began is gone or changed: Redis lost its
   * data again (a restart loop), and what was written since is written back too.
   */
  static final Duration SWEEP_PAUSE = Duration.ofSeconds(10);

  /**
   * How long after finding that Redis lost its data changes wait, so that every instance can write
   * back its copies first and the newest copy of each session wins.
   */
  static final Duration SETTLE = Duration.ofSeconds(2);

  /**
   * How long after finding that Redis lost its data a change of a session whose key is gone, and
   * whose copy this instance cannot write back itself, waits for the instance that can: a sweep of
   * the near cache's 10,000 sessions at a few milliseconds each under load.
   */
  static final Duration RESTORE_WAIT = Duration.ofSeconds(30);

  private final RedisLink link;
  private final byte[] canary;
  private final Runnable writeBack;
  private final AtomicLong lastSweep = new AtomicLong();

  /** The value of each canary this instance read last, and when, by key. */
  private final Map<String, Seen> canariesSeen = new ConcurrentHashMap<>();

  /** How many times this instance found that Redis lost its data and wrote back what it holds. */
  private final AtomicLong losses = new AtomicLong();

  /**
   * A canary's value, read by a command sent at {@code readNanos}, on {@link System#nanoTime()}.
   */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Seen(byte[] value, long readNanos) {}

  /** Until when, on {@link System#nanoTime()}, changes wait for copies to be written back. */
  private volatile long settleUntilNanos;

  private volatile boolean settled = true;

  /**
   * The loss the last write-back was for happened before this time, on {@link System#nanoTime()}.
   */
  private volatile long lossBefore;

  /** The link's {@link RedisLink#trackingEpoch()} taken before the last check that ended. */
  private volatile long checkedEpoch = Long.MIN_VALUE;

  /**
   * @param link the connection
   * @param canary the canary key
   * @param writeBack queues the write-back of the sessions held here
   */
  DataLoss(RedisLink link, byte[] canary, Runnable writeBack) {
    this.link = link;
    this.canary = canary;
    this.writeBack = writeBack;
  }

  /**
   * Reads the canary keys, one per master, setting those that are gone; if one is not the value
   * this instance read before, Redis lost its data.
   *
   * @throws dev.persona.redis.RedisUnavailableException if Redis failed
   */
  void check(long deadline) {
    long epoch = link.trackingEpoch();
    List<byte[]> canaries = link.onEveryMaster(canary);
    Set<String> names = new HashSet<>();
    for (byte[] key : canaries) {
      String name = new String(key, StandardCharsets.UTF_8);
      names.add(name);
      check(key, name, deadline);
    }
    canariesSeen.keySet().retainAll(names); // a canary of another layout: new when seen again
    checkedEpoch = epoch;
  }

  /**
   * Returns whether the canaries were read since the connection last changed (a connection lost or
   * made, after which Redis may be back without its data).
   */
  boolean checkedSinceReconnect() {
    return link.trackingEpoch() == checkedEpoch;
  }

  /**
   * Returns whether a loss of Redis's data would be found now: the canaries were read since the
   * connection last changed.
   */
  boolean watching() {
    return checkedSinceReconnect() && !canariesSeen.isEmpty();
  }

  private void check(byte[] canary, String name, long deadline) {
    long asked = System.nanoTime(); // the value read was there at this time or later
    byte[] value = link.await(() -> link.commands().get(canary), deadline);
    if (value == null) {
      byte[] mine =
          Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63)
              .getBytes(StandardCharsets.US_ASCII);
      Boolean set = link.await(() -> link.commands().setnx(canary, mine), deadline);
      value =
          Boolean.TRUE.equals(set) ? mine : link.await(() -> link.commands().get(canary), deadline);
    }
    if (value == null) {
      return; // set and deleted meanwhile: read again next time
    }
    Seen seen = canariesSeen.put(name, new Seen(value, asked));
    if (seen != null && !Arrays.equals(seen.value(), value)) {
      // the value it had was there after the loss the last write-back was for: lost again since
      sweep(seen.readNanos() - lossBefore >= 0, asked);
    }
  }

  /**
   * A key this instance wrote within its TTL is gone: Redis lost its data. Changes wait a while,
   * and the sessions are written back, unless they were within {@link #SWEEP_PAUSE}.
   */
  void found() {
    sweep(false, System.nanoTime());
  }

  /**
   * Redis lost its data before {@code before}, on {@link System#nanoTime()}: changes wait a while,
   * and the sessions are written back; within {@link #SWEEP_PAUSE} of the last time only if this is
   * a loss since.
   */
  private void sweep(boolean lostSince, long before) {
    long now = System.nanoTime();
    long last = lastSweep.get();
    if ((!lostSince && last != 0 && now - last < SWEEP_PAUSE.toNanos())
        || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    lossBefore = before;
    settleUntilNanos = now + SETTLE.toNanos();
    settled = false;
    long count = losses.incrementAndGet();
    LOG.warn(
        "Redis session store: Redis lost its data (restarted without persistence, or emptied){};"
            + " changes wait {} ms while the instances write back the sessions they hold",
        count > 1 ? " (" + count + " times since this store was built)" : "",
        SETTLE.toMillis());
    writeBack.run();
  }

  /** Returns how many times this instance found that Redis lost its data. */
  long losses() {
    return losses.get();
  }

  /**
   * Returns whether a key this instance saw at {@code seenNanos} and now finds gone is news: no
   * loss was found since, which would explain it.
   */
  boolean unexplained(long seenNanos) {
    long last = lastSweep.get();
    return last == 0 || seenNanos - last > 0;
  }

  /**
   * Returns whether a loss was found within {@link #RESTORE_WAIT}: a change of a session whose key
   * is gone still waits for the instance that holds the newest copy to write it back (its sweep may
   * take much longer than {@link #SETTLE} when it holds many sessions and the machine is busy);
   * after that, nobody will, and the change lands on the empty key.
   */
  boolean restoring() {
    long last = lastSweep.get();
    return last != 0 && System.nanoTime() - last < RESTORE_WAIT.toNanos();
  }

  /** Returns whether changes wait for copies to be written back now. */
  boolean settling() {
    if (settled) {
      return false;
    }
    if (System.nanoTime() - settleUntilNanos < 0) {
      return true;
    }
    settled = true;
    return false;
  }
}
