package dev.persona.internal.rules;

import dev.persona.internal.report.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the failures to generate a rule set's scorer: at WARN, naming the exception's type, at most
 * once a minute per type (through a {@link ThrottledLog}), with the number of failures since the
 * last line, so that a broken rule set reloaded again and again writes one line a minute; the stack
 * trace goes to DEBUG with that line. Thread-safe.
 */
final class GenerationFailures {
  /** The name of the logger. */
  static final String LOGGER = "dev.persona.rules";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final ThrottledLog THROTTLE = new ThrottledLog(LOG, 60_000);

  private GenerationFailures() {}

  /**
   * Records that generating a scorer failed with {@code t}, after which the rule set interprets.
   */
  static void failed(Throwable t) {
    String type = t.getClass().getName();
    long suppressed = THROTTLE.due(type);
    if (suppressed >= 0) {
      LOG.warn(
          "Generating a rule set's scorer failed with {}{}; scoring continues on the slower"
              + " interpreted path",
          type,
          ThrottledLog.more(suppressed));
      LOG.debug("Scorer generation failure", t);
    }
  }
}
