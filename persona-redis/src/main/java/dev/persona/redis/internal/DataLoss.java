package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Finds that Redis lost its data (a restart without persistence) and, then, has the sessions this
 * instance holds written back: a canary key holds a random value the first instance sets; when it
 * is gone or changed since this instance read it, or when a write finds a key gone that this
 * instance wrote within its TTL ({@link #found()}), the data is lost. For {@link #SETTLE} after,
 * changes wait ({@link #settling()}), so that every instance writes back its copies first and the
 * newest copy of each session wins. Thread-safe.
 */
final class DataLoss {
  /** The least time between two write-backs of every session this instance holds. */
  static final Duration SWEEP_PAUSE = Duration.ofSeconds(10);

  /**
   * How long after finding that Redis lost its data changes wait, so that every instance can write
   * back its copies first and the newest copy of each session wins.
   */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private final RedisLink link;
  private final byte[] canary;
  private final Runnable writeBack;
  private final AtomicLong lastSweep = new AtomicLong();
  private volatile byte @Nullable [] canarySeen;

  /** Until when, on {@link System#nanoTime()}, changes wait for copies to be written back. */
  private volatile long settleUntilNanos;

  private volatile boolean settled = true;

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
   * Reads the canary key, setting it when it is gone; if it is not the value this instance read
   * before, Redis lost its data.
   *
   * @throws dev.persona.redis.RedisUnavailableException if Redis failed
   */
  void check(long deadline) {
    byte[] value = link.await(() -> link.commands().get(canary), deadline);
    if (value == null) {
      byte[] mine =
          Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63)
              .getBytes(StandardCharsets.US_ASCII);
      Boolean set = link.await(() -> link.commands().setnx(canary, mine), deadline);
      value =
          Boolean.TRUE.equals(set) ? mine : link.await(() -> link.commands().get(canary), deadline);
    }
    byte[] seen = canarySeen;
    if (seen != null && !Arrays.equals(seen, value)) {
      found();
    }
    canarySeen = value;
  }

  /** Redis lost its data: changes wait a while, and the sessions are written back. */
  void found() {
    long now = System.nanoTime();
    long last = lastSweep.get();
    if ((last != 0 && now - last < SWEEP_PAUSE.toNanos()) || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    settleUntilNanos = now + SETTLE.toNanos();
    settled = false;
    writeBack.run();
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
