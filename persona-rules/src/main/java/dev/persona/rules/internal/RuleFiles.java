package dev.persona.rules.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.persona.PersonaEngine;
import dev.persona.SignalSpec;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Parses rule files: one shared factory with one set of limits, and the whole reading pipeline. */
public final class RuleFiles {
  /** The largest rule file read, in bytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxDocumentLength(MAX_BYTES)
                  .maxNestingDepth(64)
                  .maxStringLength(64 * 1024)
                  .maxNameLength(256)
                  .maxNumberLength(64)
                  .build())
          .build();

  /** Jackson's own position text, which some messages embed. */
  private static final java.util.regex.Pattern SOURCE =
      java.util.regex.Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

  private RuleFiles() {}

  /**
   * Reads a rule file's bytes, checking its size before reading it, so that a file of any size
   * costs at most {@link #MAX_BYTES} + 1 bytes of memory.
   *
   * @param file the file
   * @param source the file's name for messages
   * @return the file's content
   * @throws RuleSetException if the file is larger than {@link #MAX_BYTES}, giving its size
   * @throws IOException if the file cannot be read
   */
  public static byte[] readFile(Path file, String source) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw tooLarge(source, size + " bytes");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readBounded(in, source);
    }
  }

  /**
   * Reads at most {@link #MAX_BYTES} + 1 bytes of a stream whose size is not known beforehand.
   *
   * @param in the stream, left open
   * @param source the name for messages
   * @return the content
   * @throws RuleSetException if the stream holds more than {@link #MAX_BYTES}
   * @throws IOException if the stream cannot be read
   */
  public static byte[] readBounded(InputStream in, String source) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(source, "more than " + MAX_BYTES + " bytes");
    }
    return bytes;
  }

  private static RuleSetException tooLarge(String source, String size) {
    return new RuleSetException(
        List.of(
            new RuleSetException.Problem(
                source,
                1,
                1,
                "$",
                "the file is " + size + "; rule files may be at most " + MAX_BYTES + " bytes")));
  }

  /**
   * Parses and checks a rule file.
   *
   * @param source the file's name for messages
   * @param bytes the file's whole content, UTF-8
   * @param signals the signals the rules may test
   * @throws RuleSetException listing every problem, sorted by position
   */
  public static RuleSet parse(String source, byte[] bytes, Collection<SignalSpec> signals) {
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(source, bytes.length + " bytes");
    }
    JsonParser p;
    try {
      p = FACTORY.createParser(bytes);
    } catch (IOException e) {
      // Jackson guesses the encoding from the first four bytes; a pattern it takes for UTF-32
      // of an unsupported byte order (such as 00 00 5B 00) fails here, before any token.
      throw new RuleSetException(
          List.of(
              new RuleSetException.Problem(
                  source, 1, 1, "$", "the file is not readable as UTF-8 text: " + e.getMessage())));
    }
    RuleFileParser parser = new RuleFileParser(source, p, bytes);
    RuleSet.Builder builder = null;
    try (p) {
      try {
        builder = parser.read();
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        parser.problem(at, path(p.getParsingContext()), message(e));
      } catch (IOException e) {
        // Only decoding can fail on bytes in memory: a CharConversionException of the UTF-32
        // reader (a code point above U+10FFFF, say).
        parser.problem(
            p.currentLocation(),
            path(p.getParsingContext()),
            "the file is not readable as UTF-8 text: " + e.getMessage());
      }
    } catch (IOException e) {
      // closing a parser over bytes in memory does not fail; nothing was lost if it did
    }
    RuleSet built = null;
    if (builder != null) {
      try {
        built = builder.build();
        PersonaEngine.verify(built, signals);
      } catch (RuleSetException e) {
        parser.addLocated(e.problems());
      }
    }
    if (!parser.problems.isEmpty()) {
      List<RuleSetException.Problem> sorted = new ArrayList<>(parser.problems);
      sorted.sort(
          Comparator.comparingInt(RuleSetException.Problem::line)
              .thenComparingInt(RuleSetException.Problem::column));
      throw new RuleSetException(sorted);
    }
    return built;
  }

  private static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int api = m.indexOf(", from `");
    if (api > 0) {
      int close = m.indexOf('`', api + 8);
      m = m.substring(0, api) + (close > 0 ? m.substring(close + 1) : "");
    }
    int newline = m.indexOf('\n');
    m = newline > 0 ? m.substring(0, newline) : m;
    return SOURCE.matcher(m).replaceAll("line $1, column $2");
  }

  /** Turns the parser's context into a {@code $.a[1].b} path, shortened past 120 characters. */
  static String path(JsonStreamContext context) {
    String full = fullPath(context);
    return full.length() <= 120 ? full : full.substring(0, 117) + "...";
  }

  private static String fullPath(JsonStreamContext context) {
    String pointer = context == null ? "" : context.pathAsPointer().toString();
    StringBuilder sb = new StringBuilder("$");
    for (String part : pointer.split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append('.').append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.toString();
  }
}
