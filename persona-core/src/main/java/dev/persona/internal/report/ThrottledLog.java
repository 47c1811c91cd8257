package dev.persona.internal.report;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a failure of user code (an extractor, store or listener) at most once per interval per
 * component, with the number of failures since the last line. Logs the exception's type only; the
 * stack trace goes to DEBUG, since messages of user code may carry request data. Timed with {@link
 * System#nanoTime()}, not the engine's clock, which is user code too. A {@link KnownFailure}, whose
 * message the engine made, is logged with that message and no stack trace. Thread-safe.
 */
public final class ThrottledLog {
  private static final long NEVER = Long.MIN_VALUE;

  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  public ThrottledLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000;
  }

  /** Records one failure of {@code component}; {@code component} must not hold request data. */
  public void failure(String component, Throwable t) {
    failure(component, t, "the decision went on without it");
  }

  /**
   * Records one failure of {@code component}, after which the decision went on as {@code outcome}
   * says, such as "the decision went on with the store's local copy of the session".
   */
  public void failure(String component, Throwable t, String outcome) {
    long suppressed = due(component);
    if (suppressed < 0) {
      return;
    }
    String more = more(suppressed);
    if (t instanceof KnownFailure) {
      log.warn("{} {}{}", component, t.getMessage(), more);
      return;
    }
    log.warn("{} failed with {}{}; {}", component, t.getClass().getName(), more, outcome);
    if (log.isDebugEnabled()) {
      log.debug("{} failure", component, redacted(t, 0));
    }
  }

  /**
   * Counts one occurrence of {@code key} and says whether a line about it is due: at most one per
   * interval per key.
   *
   * @return how many occurrences since the last line were not logged, when one is due now; -1 when
   *     none is
   */
  public long due(String key) {
    Window w = windows.computeIfAbsent(key, k -> new Window());
    long count = w.failures.incrementAndGet();
    long now = System.nanoTime();
    long last = w.lastLogged.get();
    if ((last == NEVER || now - last >= intervalNanos) && w.lastLogged.compareAndSet(last, now)) {
      return count - w.reported.getAndSet(count) - 1;
    }
    return -1;
  }

  /** Returns the words that follow a line about {@code suppressed} occurrences not logged. */
  public static String more(long suppressed) {
    return suppressed > 0 ? " (and " + suppressed + " more times since the last report)" : "";
  }

  /**
   * Returns a copy of {@code t} and its causes with the same types and stack frames but no
   * messages, which may hold request data.
   */
  static Throwable redacted(Throwable t, int depth) {
    Throwable copy = new Redacted(t.getClass().getName());
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t && depth < 8) {
      copy.initCause(redacted(t.getCause(), depth + 1));
    }
    return copy;
  }

  /** Stands for an exception whose message was left out. */
  private static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redacted(String type) {
      super(type + " (message left out: it may hold request data)");
    }
  }

  private static final class Window {
    final AtomicLong failures = new AtomicLong();
    final AtomicLong reported = new AtomicLong();
    final AtomicLong lastLogged = new AtomicLong(NEVER);
  }
}
