package dev.persona.internal.rules;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the failures to generate a rule set's scorer: at WARN, naming the exception's type, at most
 * once a minute per type, with the number of failures since the last line, so that a broken rule
 * set reloaded again and again writes one line a minute; the stack trace goes to DEBUG with that
 * line. Timed with {@link System#nanoTime()}, as {@code ThrottledLog} is. Thread-safe.
 */
final class GenerationFailures {
  /** The name of the logger. */
  static final String LOGGER = "dev.persona.rules";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long NEVER = Long.MIN_VALUE;
  private static final ConcurrentMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

  private GenerationFailures() {}

  /**
   * Records that generating a scorer failed with {@code t}, after which the rule set interprets.
   */
  static void failed(Throwable t) {
    String type = t.getClass().getName();
    Window w = WINDOWS.computeIfAbsent(type, k -> new Window());
    long count = w.failures.incrementAndGet();
    long now = System.nanoTime();
    long last = w.lastLogged.get();
    if ((last == NEVER || now - last >= INTERVAL_NANOS) && w.lastLogged.compareAndSet(last, now)) {
      long suppressed = count - w.reported.getAndSet(count) - 1;
      String more =
          suppressed > 0 ? " (and " + suppressed + " more times since the last report)" : "";
      LOG.warn(
          "Generating a rule set's scorer failed with {}{}; scoring continues on the slower"
              + " interpreted path",
          type,
          more);
      LOG.debug("Scorer generation failure", t);
    }
  }

  private static final class Window {
    final AtomicLong failures = new AtomicLong();
    final AtomicLong reported = new AtomicLong();
    final AtomicLong lastLogged = new AtomicLong(NEVER);
  }
}
