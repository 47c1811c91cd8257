package dev.persona.rules.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * A clock that follows the traffic being replayed: its time is the latest visit time seen so far,
 * or the system's time until a visit with a time has been seen.
 *
 * <p>Replayed visits carry their own timestamps, hours or months old. The engine keeps sessions in
 * a store that forgets them after {@code sessionIdleTimeout} of idle time measured on the engine's
 * clock, and decays behaviour by the visit times. With the system clock a whole day of traffic
 * replayed in seconds would never expire a session, and state would pile up; with this clock,
 * sessions expire and decay as they did when the traffic was live. It never goes back: a visit
 * older than one already seen does not move it.
 *
 * <p>Not thread-safe; replay is single-threaded.
 */
final class VisitClock extends Clock {
  private static final long NONE = Long.MIN_VALUE;

  private final Clock fallback;
  private long latest = NONE;

  VisitClock(Clock fallback) {
    this.fallback = fallback;
  }

  /** Returns a clock that falls back to the system's UTC clock. */
  static VisitClock system() {
    return new VisitClock(Clock.systemUTC());
  }

  /**
   * Moves the clock to {@code at} if it is later than every visit time seen so far; a visit without
   * a time (null) does not move it.
   */
  void observe(@Nullable Instant at) {
    if (at == null) {
      return;
    }
    long ms = at.toEpochMilli();
    if (ms > latest) {
      latest = ms;
    }
  }

  @Override
  public long millis() {
    long ms = latest;
    return ms == NONE ? fallback.millis() : ms;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a replay clock is always UTC");
  }
}
