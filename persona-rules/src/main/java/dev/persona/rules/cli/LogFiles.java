package dev.persona.rules.cli;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.log.DecisionLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The decision log a replay writes with {@code --log}: one file, replaced, never rolled. */
final class LogFiles {
  private LogFiles() {}

  /**
   * Returns a log writing to {@code file} (deleted first), waiting for room rather than dropping;
   * null when {@code file} is null.
   *
   * @param keyFile a file whose bytes are the hash key, or null for a key drawn for this run
   * @throws UserError if the key cannot be read or is too short, or the file cannot be replaced
   */
  static @Nullable DecisionLog create(@Nullable String file, @Nullable String keyFile)
      throws UserError {
    if (file == null) {
      if (keyFile != null) {
        throw UserError.usage("--log-key needs --log");
      }
      return null;
    }
    DecisionLog.Builder b;
    try {
      Path path = Path.of(file);
      Files.deleteIfExists(path);
      b =
          DecisionLog.builder(path)
              .maxFileBytes(Long.MAX_VALUE)
              .maxFiles(1)
              .waitWhenFull(true)
              .closeTimeout(Duration.ofMinutes(10));
    } catch (IOException e) {
      throw UserError.invalid(file + ": cannot write: " + Rules.reason(e));
    } catch (InvalidPathException e) {
      throw UserError.invalid(file + ": cannot write: not a valid path (" + e.getReason() + ")");
    }
    if (keyFile != null) {
      byte[] key;
      try {
        key = Files.readAllBytes(Path.of(keyFile));
      } catch (IOException e) {
        throw UserError.invalid(keyFile + ": cannot read: " + Rules.reason(e));
      } catch (InvalidPathException e) {
        throw UserError.invalid(keyFile + ": cannot read: not a valid path");
      }
      if (key.length < 16) {
        throw UserError.invalid(keyFile + ": a hash key needs 16 bytes or more");
      }
      b.hashKey(key);
    }
    return b.build();
  }

  /** Writes a replayed decision and the outcomes its line records, at the visit's time. */
  static void write(DecisionLog log, Visit visit, Decision d, List<ShownOutcome> outcomes) {
    log.onDecision(visit, d);
    Instant at = visit.timestamp();
    for (ShownOutcome o : outcomes) {
      VariantChoice c = d.variant(o.placement());
      if (c != null) {
        Outcome outcome = Outcome.builder(o.kind(), visit.sessionId(), c).value(o.value()).build();
        if (at == null) {
          log.outcome(outcome);
        } else {
          log.outcome(outcome, at);
        }
      }
    }
  }

  /** Prints what the log wrote, and what it could not. */
  static void report(DecisionLog log, String file, PrintStream err) {
    DecisionLog.Stats s = log.stats();
    err.println(
        "  log "
            + file
            + ": "
            + Text.count(s.decisions())
            + " decisions, "
            + Text.count(s.outcomes())
            + " outcomes"
            + (s.dropped() + s.failed() > 0
                ? ", " + Text.count(s.dropped() + s.failed()) + " records NOT written"
                : ""));
  }
}
