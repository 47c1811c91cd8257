package dev.persona.redis.internal;

import dev.persona.redis.RedisUnavailableException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failures to reach Redis at most once per interval, with the number of failures since the
 * last line, and that Redis answers again after failures also at most once per interval, with the
 * number of interruptions since that line: a Redis that misses a deadline now and then writes two
 * lines an interval, not two per miss, and an outage one line an interval (Lettuce's own lines
 * about reconnecting stay at DEBUG: {@link RedisLink}). Logs exception types only: no ids, keys or
 * messages at WARN; the stack trace goes to DEBUG. Thread-safe.
 */
public final class FailureLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.redis");
  private static final long NEVER = Long.MIN_VALUE;

  private final String component;
  private final long intervalNanos;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();
  private final AtomicLong lastLogged = new AtomicLong(NEVER);
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong recoveries = new AtomicLong();
  private final AtomicLong recoveriesReported = new AtomicLong();
  private final AtomicLong lastRecoveryLogged = new AtomicLong(NEVER);
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong lostReported = new AtomicLong();
  private final AtomicLong lastLostLogged = new AtomicLong(NEVER);

  /**
   * Creates a log for one component.
   *
   * @param component what failed, such as {@code "redis session store"}; no request data
   * @param intervalMillis the least time between two lines
   */
  public FailureLog(String component, long intervalMillis) {
    this.component = component;
    this.intervalNanos = intervalMillis * 1_000_000;
  }

  /**
   * Records one failure.
   *
   * @param failure what happened
   */
  public void failure(RedisUnavailableException failure) {
    failing.set(true);
    long count = failures.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLogged.get();
    if ((last == NEVER || now - last >= intervalNanos) && lastLogged.compareAndSet(last, now)) {
      long suppressed = count - reported.getAndSet(count) - 1;
      LOG.warn(
          "{}: Redis {}{}{}; {}decisions go on with what this instance knows",
          component,
          failure.kind().description(),
          failure.getCause() == null ? "" : " (" + failure.getCause().getClass().getName() + ")",
          suppressed > 0 ? " (and " + suppressed + " more times since the last report)" : "",
          failure.kind() == RedisUnavailableException.Kind.DOWN
              ? "connecting again in the background; "
              : "");
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} failure", component, failure);
      }
    }
  }

  /** Records a success; logs once that Redis answers again after failures. */
  public void success() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      long count = recoveries.incrementAndGet();
      long now = System.nanoTime();
      long last = lastRecoveryLogged.get();
      if ((last == NEVER || now - last >= intervalNanos)
          && lastRecoveryLogged.compareAndSet(last, now)) {
        long more = count - recoveriesReported.getAndSet(count) - 1;
        LOG.info(
            "{}: Redis answers again{}",
            component,
            more > 0 ? " (after " + more + " more interruptions since the last report)" : "");
      }
    }
  }

  /**
   * Records that something was lost, not merely delayed; logs at most once per interval, at ERROR,
   * with the number lost since the last line.
   *
   * @param what what was lost and why, such as {@code "session changes dropped: ..."}; no ids
   */
  public void lost(String what) {
    long count = lost.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLostLogged.get();
    if ((last == NEVER || now - last >= intervalNanos) && lastLostLogged.compareAndSet(last, now)) {
      long n = count - lostReported.getAndSet(count);
      LOG.error("{}: {} {}", component, n, what);
    }
  }

  /**
   * Returns how many failures were recorded.
   *
   * @return the count
   */
  public long failures() {
    return failures.get();
  }
}
