package dev.persona.rules.hostile;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The oracle of the hostile-rule-file tests: reading any bytes either returns a rule set or throws
 * a {@link RuleSetException} whose every problem has a position (line and column at least 1) and a
 * message, and does so within a hang guard. Anything else (another exception, a {@link
 * StackOverflowError}, an {@link OutOfMemoryError}, a hang) fails with a description of the input.
 */
final class HostileInputs {
  /** How long one read may take before it counts as a hang. */
  static final Duration HANG_GUARD = Duration.ofSeconds(5);

  private static final RuleSetReader READER = RuleSetReader.create();

  private HostileInputs() {}

  /** What reading one input ended in. */
  enum Outcome {
    LOADED,
    REFUSED
  }

  /** The bytes of the built-in default rule set. */
  static byte[] defaultRules() {
    try (InputStream in =
        RuleSetReader.class.getResourceAsStream("/dev/persona/rules/default-rules.json")) {
      return Objects.requireNonNull(in, "default-rules.json").readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} to a temporary file, reads it and checks the outcome; see the class. */
  static Outcome readBytes(byte[] bytes) {
    Path file;
    try {
      file = Files.createTempFile("hostile-", ".json");
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return readFile(file, bytes.length);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; input saved as " + save(bytes), e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a left-over temporary file is harmless
      }
    }
  }

  /**
   * Saves a failing input under {@code target/hostile-crashes/}, ready to be copied into the crash
   * corpus ({@code src/test/resources/dev/persona/rules/hostile/crashes/}).
   */
  private static Path save(byte[] bytes) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "hostile-crashes"));
      String name =
          String.format(java.util.Locale.ROOT, "crash-%08x.json", java.util.Arrays.hashCode(bytes));
      return Files.write(dir.resolve(name), bytes).toAbsolutePath();
    } catch (IOException e) {
      return Path.of("(not saved: " + e.getMessage() + ")");
    }
  }

  /** Reads {@code file} with {@link RuleSetReader#read(Path)} and checks the outcome. */
  static Outcome readFile(Path file, long size) {
    return guarded("file of " + size + " bytes", () -> READER.read(file));
  }

  /** Reads {@code json} with {@link RuleSetReader#read(String, String)} and checks the outcome. */
  static Outcome readString(String json) {
    return guarded(
        "string of " + json.length() + " chars", () -> READER.read(json, "hostile.json"));
  }

  private interface Read {
    RuleSet run();
  }

  private static Outcome guarded(String what, Read read) {
    return assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try {
            RuleSet rules = Objects.requireNonNull(read.run(), "read returned null");
            decideOnce(rules);
            return Outcome.LOADED;
          } catch (RuleSetException e) {
            checkPositions(what, e);
            return Outcome.REFUSED;
          } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("reading a " + what + " threw " + e, e);
          }
        },
        () -> "reading a " + what + " took longer than " + HANG_GUARD);
  }

  /** Compiles {@code rules} into an engine and decides one visit, which must not fail. */
  static Decision decideOnce(RuleSet rules) {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).build();
    Decision d =
        engine.decide(
            Visit.builder("hostile-session")
                .header("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)")
                .query("utm_source", "instagram")
                .event(Event.of("apply_coupon"))
                .event(Event.of("product_view", java.util.Map.of("category", "shoes")))
                .build());
    if (d.isDefault()) {
      throw new AssertionError("a rule set that loaded gave a default decision: " + d.flags());
    }
    return d;
  }

  /** Checks that every problem of {@code e} has a line, a column and a message. */
  static void checkPositions(String what, RuleSetException e) {
    if (e.problems().isEmpty()) {
      throw new AssertionError("reading a " + what + " gave a RuleSetException without problems");
    }
    for (RuleSetException.Problem p : e.problems()) {
      if (p.line() < 1 || p.column() < 1 || p.message() == null || p.message().isBlank()) {
        throw new AssertionError(
            "reading a " + what + " gave a problem without a position or message: " + p, e);
      }
    }
  }
}
