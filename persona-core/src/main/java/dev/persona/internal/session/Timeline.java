package dev.persona.internal.session;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One engine's clock, read in two ways: {@link #wallMillis()}, the wall clock that stamps visits
 * (comparable across instances), and {@link #millis()}, a reading of elapsed time on this instance
 * that never goes backwards. The second is the wall time while the wall clock runs normally; when
 * the wall clock steps back (an NTP correction, a manual change), it goes on by the elapsed {@link
 * System#nanoTime()} instead, and so stays ahead of the wall clock by the step from then on; when
 * the wall clock jumps forward (a virtual machine resumed after a pause, during which nanoTime
 * stands still on Linux), it jumps with it. It is therefore at least the wall time, and the time
 * between two readings is at least the real time elapsed between them: idle time measured on it is
 * never shorter than the real idle time. It is not comparable with other instances' clocks after a
 * step back, so it stamps nothing.
 *
 * <p>It also remembers the latest wall time read ({@link #latestWall()}): a time ahead of the wall
 * clock but not beyond it may have been read by this instance before its clock stepped back.
 *
 * <p>Wall times are clamped to about ±2<sup>52</sup> ms, as visit times are, so that time
 * arithmetic cannot overflow. Thread-safe and lock-free; a reading costs one read of each clock.
 */
public final class Timeline {
  private static final long MAX_MILLIS = 1L << 52;
  private static final long NANOS_PER_MILLI = 1_000_000;

  private final Clock wall;
  private final LongSupplier nanos;

  /** The largest wall time minus the nanoTime reading (in ms) seen: how far to advance nanoTime. */
  private final AtomicLong offset = new AtomicLong(Long.MIN_VALUE);

  /** The latest wall time read. */
  private final AtomicLong latestWall = new AtomicLong(-MAX_MILLIS);

  /** A timeline on {@code wall} and {@link System#nanoTime()}. */
  public Timeline(Clock wall) {
    this(wall, System::nanoTime);
  }

  /**
   * A timeline on {@code wall} and {@code nanos}; for tests.
   *
   * @param nanos elapsed time in nanoseconds, never decreasing, as {@link System#nanoTime()}
   */
  public Timeline(Clock wall, LongSupplier nanos) {
    this.wall = wall;
    this.nanos = nanos;
  }

  /** Returns the wall clock as the engine was given it. */
  public Clock clock() {
    return wall;
  }

  /**
   * Reads the wall clock, in epoch milliseconds.
   *
   * @throws RuntimeException whatever the clock throws
   */
  public long wallMillis() {
    long w = readWall();
    record(w, Math.floorDiv(nanos.getAsLong(), NANOS_PER_MILLI));
    return w;
  }

  /**
   * Returns this instance's reading of elapsed time, in milliseconds on the scale of the wall
   * clock: never less than an earlier reading, nor than the wall time.
   *
   * @throws RuntimeException whatever the clock throws
   */
  public long millis() {
    long w = readWall();
    long n = Math.floorDiv(nanos.getAsLong(), NANOS_PER_MILLI);
    return n + record(w, n);
  }

  /** Returns the latest wall time read by {@link #wallMillis()} or {@link #millis()}. */
  public long latestWall() {
    return latestWall.get();
  }

  /** Notes a reading of both clocks; returns the offset to add to nanoTime's milliseconds. */
  private long record(long wallMillis, long nanoMillis) {
    long o = wallMillis - nanoMillis;
    long max = offset.get();
    while (o > max) {
      if (offset.compareAndSet(max, o)) {
        max = o;
        break;
      }
      max = offset.get();
    }
    long latest = latestWall.get();
    while (wallMillis > latest && !latestWall.compareAndSet(latest, wallMillis)) {
      latest = latestWall.get();
    }
    return max;
  }

  private long readWall() {
    long w;
    try {
      w = wall.millis();
    } catch (ArithmeticException e) { // an instant beyond the range of epoch milliseconds
      return wall.instant().getEpochSecond() > 0 ? MAX_MILLIS : -MAX_MILLIS;
    }
    long seconds = Math.floorDiv(w, 1000); // clamped by its seconds, as visit times are
    if (seconds > MAX_MILLIS / 1000) {
      return MAX_MILLIS;
    }
    return seconds < -MAX_MILLIS / 1000 ? -MAX_MILLIS : w;
  }
}
