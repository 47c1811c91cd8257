package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads decision logs (docs/decision-log.md, format 1): one line at a time from each file, the
 * files merged by time, so that the decisions and outcomes of several instances' files, and of a
 * file and its rolled predecessors, come in the order they happened, holding one record per file. A
 * line that is not a record of a known version is reported as {@code FILE:LINE: message} (the first
 * {@value #MAX_REPORTED}) and skipped. Not thread-safe.
 */
final class LogRecords implements AutoCloseable {
  static final int MAX_REPORTED = 20;

  /** A logged choice of one placement; {@code experiment} null unless its basis is one. */
  record Choice(
      String placement,
      String variant,
      String basis,
      @Nullable String experiment,
      double p,
      boolean counted) {}

  /**
   * A logged decision; {@code session} is the session's keyed hash, {@code scores} every persona's
   * score in declaration order (empty when none were logged), {@code signals} null when it has
   * none.
   */
  record LoggedDecision(
      String id,
      long at,
      String rules,
      boolean holdout,
      @Nullable String session,
      @Nullable String persona,
      @Nullable String lifecycle,
      @Nullable String stage,
      Map<String, Double> scores,
      List<Choice> choices,
      @Nullable Map<String, Object> signals) {}

  /**
   * A logged outcome; {@code key} identifies the outcome as the engine counts it (its id, kind and
   * placement, hashed), null for one without an id or from a log written before keys.
   */
  record LoggedOutcome(
      @Nullable String decision,
      long at,
      dev.persona.Outcome.Kind kind,
      String placement,
      String variant,
      double value,
      @Nullable String key) {}

  private final PriorityQueue<Source> queue =
      new PriorityQueue<>(
          (a, b) -> a.nextAt != b.nextAt ? Long.compare(a.nextAt, b.nextAt) : a.order - b.order);
  private final List<Source> sources = new ArrayList<>();
  private final PrintStream err;
  long bad;
  long lines;
  long bytes;

  /**
   * Opens the files.
   *
   * @throws UserError if one cannot be opened or read
   */
  LogRecords(List<String> files, PrintStream err) throws UserError {
    this.err = err;
    for (String f : files) {
      Reader reader;
      try {
        reader = new InputStreamReader(Files.newInputStream(Path.of(f)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        close();
        throw UserError.invalid(f + ": cannot read: " + Rules.reason(e));
      } catch (InvalidPathException e) {
        close();
        throw UserError.invalid(f + ": cannot read: not a valid path (" + e.getReason() + ")");
      }
      Source s = new Source(f, reader, sources.size());
      sources.add(s);
      if (advance(s)) {
        queue.add(s);
      }
    }
  }

  /**
   * Returns the next record, earliest first: a {@link LoggedDecision} or a {@link LoggedOutcome};
   * null at the end of every file.
   *
   * @throws UserError if a file cannot be read
   */
  @Nullable Object next() throws UserError {
    Source s = queue.poll();
    if (s == null) {
      return null;
    }
    Object record = s.next;
    if (advance(s)) {
      queue.add(s);
    }
    return record;
  }

  /** Reads the next good record of a source; false at its end. */
  private boolean advance(Source s) throws UserError {
    while (true) {
      String line;
      try {
        line = s.lines.next();
      } catch (IOException | UncheckedIOException e) {
        String why =
            e instanceof IOException io ? Rules.reason(io) : Rules.reason((UncheckedIOException) e);
        throw UserError.invalid(s.name + ":" + (s.lines.number() + 1) + ": cannot read: " + why);
      }
      if (line == null) {
        s.next = null;
        return false;
      }
      lines++;
      bytes += line.length() + 1;
      if (s.lines.tooLong()) {
        bad(s, "the line is longer than " + Json.MAX_DOCUMENT + " characters");
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      try {
        Object r = parse(line);
        s.next = r;
        s.nextAt = r instanceof LoggedDecision d ? d.at() : ((LoggedOutcome) r).at();
        return true;
      } catch (JsonProcessingException e) {
        bad(s, Json.message(e));
      } catch (IOException | RuntimeException e) {
        bad(s, String.valueOf(e.getMessage()));
      }
    }
  }

  private void bad(Source s, String message) {
    bad++;
    if (bad <= MAX_REPORTED) {
      err.println(s.name + ":" + s.lines.number() + ": " + message + "; skipped");
    } else if (bad == MAX_REPORTED + 1) {
      err.println("  (further bad lines are counted, not shown)");
    }
  }

  /** Parses one line. */
  static Object parse(String line) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      Map<String, Object> top = new HashMap<>();
      List<Choice> choices = null;
      Map<String, Object> signals = null;
      Map<String, Double> scores = Map.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "placements" -> choices = choices(p, t);
          case "signals" -> signals = t == JsonToken.VALUE_NULL ? null : signals(p, t);
          case "scores" -> scores = t == JsonToken.VALUE_NULL ? Map.of() : scores(p, t);
          case "flags" -> p.skipChildren();
          default -> {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
              p.skipChildren();
            } else if (t != JsonToken.VALUE_NULL) {
              top.put(name, scalar(p, t));
            }
          }
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      Object v = top.get("v");
      if (!(v instanceof Double d) || d != 1) {
        throw new IllegalArgumentException(
            v == null ? "no format version \"v\"" : "format version " + v + " is not 1");
      }
      String type = text(top, "type");
      long at = time(text(top, "at"));
      if (type.equals("decision")) {
        if (choices == null) {
          throw new IllegalArgumentException("a decision without \"placements\"");
        }
        return new LoggedDecision(
            text(top, "id"),
            at,
            text(top, "rules"),
            Boolean.TRUE.equals(top.get("holdout")),
            top.get("session") instanceof String s ? s : null,
            top.get("persona") instanceof String s ? s : null,
            top.get("lifecycle") instanceof String s ? s : null,
            top.get("stage") instanceof String s ? s : null,
            scores,
            choices,
            signals);
      } else if (type.equals("outcome")) {
        Object value = top.get("value");
        return new LoggedOutcome(
            top.get("decision") instanceof String decision ? decision : null,
            at,
            kind(text(top, "kind")),
            text(top, "placement"),
            text(top, "variant"),
            value instanceof Double number ? number : 0,
            top.get("key") instanceof String key ? key : null);
      }
      throw new IllegalArgumentException("unknown record type \"" + type + "\"");
    }
  }

  private static List<Choice> choices(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("\"placements\" is not an object");
    }
    List<Choice> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String placement = p.currentName();
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("placement " + placement + " is not an object");
      }
      Map<String, Object> f = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (v != JsonToken.VALUE_NULL) {
          f.put(name, scalar(p, v));
        }
      }
      Object prob = f.get("p");
      out.add(
          new Choice(
              placement,
              text(f, "variant"),
              text(f, "basis"),
              f.get("experiment") instanceof String e ? e : null,
              prob instanceof Double d ? d : Double.NaN,
              !Boolean.FALSE.equals(f.get("counted"))));
    }
    return out;
  }

  private static Map<String, Double> scores(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("\"scores\" is not an object");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String persona = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        out.put(persona, p.getDoubleValue());
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static Map<String, Object> signals(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("\"signals\" is not an object");
    }
    Map<String, Object> out = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_ARRAY) {
        Set<String> set = new LinkedHashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          set.add(p.getValueAsString(""));
        }
        out.put(key, Set.copyOf(set));
      } else if (v == JsonToken.START_OBJECT) {
        p.skipChildren();
      } else if (v != JsonToken.VALUE_NULL) {
        out.put(key, scalar(p, v));
      }
    }
    return out;
  }

  private static Object scalar(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> p.getText();
    };
  }

  private static String text(Map<String, Object> fields, String name) {
    if (fields.get(name) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("no text \"" + name + "\"");
  }

  private static long time(String at) {
    try {
      return Instant.parse(at).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("\"at\" is not an ISO-8601 instant");
    }
  }

  private static dev.persona.Outcome.Kind kind(String kind) {
    try {
      return dev.persona.Outcome.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outcome kind \"" + kind + "\"", e);
    }
  }

  @Override
  public void close() {
    for (Source s : sources) {
      try {
        s.reader.close();
      } catch (IOException e) {
        // reading is over
      }
    }
  }

  /** One file, with its next good record. */
  private static final class Source {
    final String name;
    final Reader reader;
    final LineReader lines;
    final int order;
    @Nullable Object next;
    long nextAt;

    Source(String name, Reader reader, int order) {
      this.name = name;
      this.reader = reader;
      this.lines = new LineReader(reader, Json.MAX_DOCUMENT);
      this.order = order;
    }
  }
}
