package dev.persona.rules.cli;

import java.util.List;

/**
 * A failure the user can fix (a bad argument, an unreadable file, a rule file that does not load),
 * reported as its message lines and an exit code, never as a stack trace.
 */
final class UserError extends Exception {
  private static final long serialVersionUID = 1L;

  /** Exit code of invalid input or rules. */
  static final int INVALID = 1;

  /** Exit code of a usage error. */
  static final int USAGE = 2;

  private final int exitCode;
  private final transient List<String> lines;

  private UserError(int exitCode, List<String> lines) {
    super(String.join("\n", lines), null, false, false);
    this.exitCode = exitCode;
    this.lines = List.copyOf(lines);
  }

  /** Returns an error of the command line: a missing argument, an unknown option. */
  static UserError usage(String message) {
    return new UserError(USAGE, List.of(message));
  }

  /** Returns an error of the input: each line is printed as it is. */
  static UserError invalid(List<String> lines) {
    return new UserError(INVALID, lines);
  }

  /** Returns an error of the input with one line. */
  static UserError invalid(String line) {
    return new UserError(INVALID, List.of(line));
  }

  int exitCode() {
    return exitCode;
  }

  List<String> lines() {
    return lines == null ? List.of(getMessage()) : lines;
  }
}
