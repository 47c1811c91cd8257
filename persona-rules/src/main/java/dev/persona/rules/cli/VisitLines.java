package dev.persona.rules.cli;

import dev.persona.Visit;
import dev.persona.rules.cli.Json.InputError;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams a sessions file (one visit per line, JSON Lines) to a {@link Sink}, line by line, holding
 * one line at a time. A bad line is reported as {@code FILE:LINE: message} and skipped; blank lines
 * are skipped. A sink may stop the reading early by throwing {@link OutputClosed}.
 */
final class VisitLines {
  /** The name under which standard input is read. */
  static final String STDIN = "-";

  /** What is done with each good line's visit. */
  interface Sink {
    /**
     * Takes one visit.
     *
     * @param line the 1-based line number
     * @param visit the visit
     * @param outcomes the outcomes the line records for the visit's decision
     * @throws IOException if writing output fails
     */
    void accept(long line, Visit visit, List<ShownOutcome> outcomes) throws IOException;
  }

  /** How many lines were read, and what became of them. */
  static final class Counts {
    long read;
    long visits;
    long bad;
    long blank;
    boolean stopped;
  }

  /** Thrown by a sink whose output is gone (a closed pipe), to stop reading early. */
  static final class OutputClosed extends IOException {
    private static final long serialVersionUID = 1L;

    OutputClosed() {
      super("standard output was closed", null);
    }
  }

  private VisitLines() {}

  /**
   * Reads a sessions file, or standard input for {@code -}.
   *
   * @param file the file's path, as given
   * @param stdin standard input
   * @param err where bad lines are reported
   * @param sink what takes the visits
   * @return the counts
   * @throws UserError if the file cannot be opened or read
   * @throws IOException if the sink fails
   */
  static Counts read(String file, InputStream stdin, PrintStream err, Sink sink)
      throws UserError, IOException {
    if (file.equals(STDIN)) {
      return read(new InputStreamReader(stdin, StandardCharsets.UTF_8), "stdin", err, sink);
    }
    Reader reader;
    try {
      reader = new InputStreamReader(Files.newInputStream(Path.of(file)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw UserError.invalid(file + ": cannot read: " + Rules.reason(e));
    } catch (InvalidPathException e) {
      throw UserError.invalid(file + ": cannot read: not a valid path (" + e.getReason() + ")");
    }
    try (reader) {
      return read(reader, file, err, sink);
    }
  }

  /**
   * Reads sessions from a reader, which the caller closes.
   *
   * @param reader the lines
   * @param name the name bad lines are reported under
   * @param err where bad lines are reported
   * @param sink what takes the visits
   * @return the counts
   * @throws UserError if the input cannot be read
   * @throws IOException if the sink fails
   */
  static Counts read(Reader reader, String name, PrintStream err, Sink sink)
      throws UserError, IOException {
    Counts counts = new Counts();
    LineReader lines = new LineReader(reader, Json.MAX_DOCUMENT);
    while (true) {
      String line;
      try {
        line = lines.next();
      } catch (IOException | UncheckedIOException e) {
        String why =
            e instanceof IOException io ? Rules.reason(io) : Rules.reason((UncheckedIOException) e);
        throw UserError.invalid(name + ":" + (lines.number() + 1) + ": cannot read: " + why);
      }
      if (line == null) {
        return counts;
      }
      counts.read++;
      long n = lines.number();
      if (lines.tooLong()) {
        counts.bad++;
        err.println(
            name + ":" + n + ": the line is longer than " + Json.MAX_DOCUMENT + " characters");
        continue;
      }
      if (line.isBlank()) {
        counts.blank++;
        continue;
      }
      VisitJson.Line visit;
      try {
        visit = VisitJson.parseLine(line);
      } catch (InputError e) {
        counts.bad++;
        err.println(
            name
                + ":"
                + n
                + ": "
                + e.getMessage()
                + (e.column() > 0 ? " (column " + e.column() + ")" : ""));
        continue;
      }
      counts.visits++;
      try {
        sink.accept(n, visit.visit(), visit.outcomes());
      } catch (OutputClosed e) {
        counts.stopped = true;
        return counts;
      }
    }
  }
}
