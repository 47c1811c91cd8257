package dev.persona.rules.cli;

import dev.persona.PersonaEngine;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Loads the rule sets the commands run with and builds their engines. */
final class Rules {
  /** The word that names the built-in default rule set instead of a file. */
  static final String DEFAULT = "default";

  /**
   * Sessions the replay engines keep. The engine's default (100,000) suits one server; a replay
   * puts a whole site's traffic through one engine, and a session evicted for room while it is
   * still active would restart from nothing and change later decisions. Idle sessions still expire
   * after 30 minutes of replayed time (see {@link VisitClock}), so only sessions active at the same
   * moment count against this limit.
   */
  static final long MAX_SESSIONS = 1_000_000;

  private Rules() {}

  /**
   * Loads a rule set.
   *
   * @param spec a rule file's path, or {@code default}
   * @throws UserError listing every problem of the file, or saying why it cannot be read
   */
  static RuleSet load(String spec) throws UserError {
    try {
      return DEFAULT.equals(spec)
          ? RuleSetReader.defaultRuleSet()
          : RuleSetReader.create().read(Path.of(spec));
    } catch (RuleSetException e) {
      throw UserError.invalid(problems(e));
    } catch (UncheckedIOException e) {
      throw UserError.invalid(spec + ": cannot read: " + reason(e));
    } catch (InvalidPathException e) {
      throw UserError.invalid(spec + ": cannot read: not a valid path (" + e.getReason() + ")");
    }
  }

  /** Returns the problems of a rule set, one line each: {@code FILE:LINE:COL: message (at $.p)}. */
  static List<String> problems(RuleSetException e) {
    List<String> lines = new ArrayList<>();
    for (RuleSetException.Problem p : e.problems()) {
      lines.add(
          new RuleSetException.Problem(
                  p.source(), p.line(), p.column(), p.path(), Json.clean(p.message()))
              .toString());
    }
    if (lines.isEmpty()) {
      lines.add(e.getMessage());
    }
    return lines;
  }

  /**
   * Builds the engine a command replays visits through.
   *
   * @param rules the rule set
   * @param clock the engine's clock, which follows the replayed visits
   * @throws UserError if the rule set does not compile against the engine's signals
   */
  static PersonaEngine engine(RuleSet rules, Clock clock) throws UserError {
    try {
      return PersonaEngine.builder()
          .ruleSet(rules)
          .clock(clock)
          .sessions(SessionConfig.inMemory(MAX_SESSIONS).build())
          .build();
    } catch (RuleSetException e) {
      throw UserError.invalid(problems(e));
    }
  }

  /** Returns why a file could not be read, without the stack trace. */
  static String reason(UncheckedIOException e) {
    return e.getCause() != null ? reason(e.getCause()) : String.valueOf(e.getMessage());
  }

  /** Returns why a file could not be read, in a few words. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    } else if (e instanceof AccessDeniedException) {
      return "permission denied";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
