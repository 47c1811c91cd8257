package dev.persona.redis.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The times this instance gives the changes it receives, its erasures and its links of sessions to
 * users, in epoch microseconds: what tells whether a change came before or after an erasure, on any
 * instance. A shopper's next request follows the answer to the last one, which takes far more than
 * a microsecond, so on one clock a change and an erasure never look simultaneous; on one instance
 * the times strictly increase, so none of its own are equal. Thread-safe.
 */
final class Stamps {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  Stamps(Clock clock) {
    this.clock = clock;
  }

  /** Returns the time now, in epoch microseconds, later than any this instance gave before. */
  long next() {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return last.accumulateAndGet(micros, (before, t) -> Math.max(before + 1, t));
  }
}
