package dev.persona.ruleset;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a rule set cannot be built or compiled. Carries every problem found, not only the
 * first, each with its position when it came from a file.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RuleSetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The problems, never empty. Not serialized with the exception beyond its message. */
  private final transient List<Problem> problems;

  /**
   * Creates an exception for the given problems.
   *
   * @param problems the problems found, at least one
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public RuleSetException(List<Problem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem found, in the order found.
   *
   * @return the problems, never empty
   */
  public List<Problem> problems() {
    return problems == null ? List.of() : problems;
  }

  private static String summary(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a RuleSetException needs at least one problem");
    }
    String head = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return head
        + " in rule set:\n"
        + problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  /**
   * One problem of a rule set. Immutable and thread-safe.
   *
   * @param source the file or resource it came from, or null when built in code
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @param path where in the rule set, such as {@code $.rules[3].when}
   * @param message what is wrong and what was expected
   * @since 0.1.0
   */
  public record Problem(
      @Nullable String source, int line, int column, String path, String message) {

    /** Checks the problem. */
    public Problem {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }

    /**
     * Returns a problem of a rule set built in code, which has no position.
     *
     * @param path where in the rule set
     * @param message what is wrong
     * @return the problem
     */
    public static Problem at(String path, String message) {
      return new Problem(null, 0, 0, path, message);
    }

    /** Returns {@code FILE:LINE:COL: message (at path)}, leaving out what is unknown. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (source != null) {
        sb.append(source).append(':');
        if (line > 0) {
          sb.append(line).append(':').append(column).append(':');
        }
        sb.append(' ');
      }
      return sb.append(message).append(" (at ").append(path).append(')').toString();
    }
  }
}
