package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.util.regex.Pattern;

/** The tool's one shared {@link JsonFactory}, for visits read and decisions written. */
final class Json {
  /** The longest visit document, and so the longest line of a sessions file, in characters. */
  static final int MAX_DOCUMENT = 16 * 1024 * 1024;

  /**
   * Thread-safe once built. All read limits are in one {@link StreamReadConstraints}: setting
   * constraints twice on a builder would replace the first set.
   */
  static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxStringLength(1024 * 1024)
                  .maxNumberLength(64)
                  .maxNameLength(256)
                  .maxDocumentLength(MAX_DOCUMENT)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .rootValueSeparator((String) null)
          .build();

  private static final Pattern SOURCE =
      Pattern.compile("\\s*\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

  private Json() {}

  /**
   * Returns Jackson's message without its source description, and with a position inside it (such
   * as where an unclosed object started) as plain {@code line L, column C}.
   */
  static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return m == null ? "malformed JSON" : clean(m);
  }

  /** Returns a parser message on one line, with Jackson's source descriptions made plain. */
  static String clean(String message) {
    String m = SOURCE.matcher(message).replaceAll(" line $1, column $2");
    m = m.replace("\n", " ").strip();
    return m.isEmpty() ? "malformed JSON" : m;
  }

  /** Returns an {@link InputError} at the exception's position. */
  static InputError error(JsonProcessingException e) {
    return new InputError(message(e), e.getLocation());
  }

  /** A problem of a visit document, with its position when known. */
  static final class InputError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    InputError(String message, JsonLocation at) {
      super(message, null, false, false);
      this.line = at == null ? 0 : Math.max(0, at.getLineNr());
      this.column = at == null ? 0 : Math.max(0, at.getColumnNr());
    }

    /** Returns the 1-based line in the document, or 0 when unknown. */
    int line() {
      return line;
    }

    /** Returns the 1-based column in the document, or 0 when unknown. */
    int column() {
      return column;
    }
  }
}
