package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Emits the primary language subtag of the most preferred Accept-Language entry. */
public final class LanguageExtractor implements SignalExtractor {

  private static final String KEY = "language";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Preferred language from Accept-Language, such as en or de"));

  /** Digits kept after the decimal point of a q-value; more are ignored. */
  private static final int MAX_Q_DECIMALS = 3;

  private final int maxHeaderLength;

  /**
   * Creates the extractor.
   *
   * @param maxHeaderLength characters read of the header, positive
   */
  public LanguageExtractor(int maxHeaderLength) {
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
  }

  @Override
  public String name() {
    return "language";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    String language =
        preferredLanguage(HeaderText.header(visit, "accept-language", maxHeaderLength));
    if (language != null) {
      sink.text(KEY, language);
    }
  }

  /**
   * Returns the primary subtag of the entry with the highest q-value, the first listed on a tie.
   *
   * @param header an Accept-Language value, may be null
   * @return a lower-case 2 or 3 letter subtag, or null when no entry is usable
   */
  static String preferredLanguage(String header) {
    if (header == null) {
      return null;
    }
    String best = null;
    int bestQ = 0;
    int length = header.length();
    int start = 0;
    while (start < length) {
      int end = header.indexOf(',', start);
      if (end < 0) {
        end = length;
      }
      int semicolon = header.indexOf(';', start);
      int rangeEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
      String primary = primarySubtag(header, start, rangeEnd);
      if (primary != null) {
        int q = rangeEnd == end ? 1000 : weight(header, rangeEnd + 1, end);
        if (q > bestQ) {
          best = primary;
          bestQ = q;
        }
      }
      start = end + 1;
    }
    return best;
  }

  /** Returns the lower-case primary subtag of a well-formed language range, else null. */
  private static String primarySubtag(String s, int from, int to) {
    int start = skipSpace(s, from, to);
    int end = trimEnd(s, start, to);
    int subtagStart = start;
    int primaryEnd = -1;
    for (int i = start; i <= end; i++) {
      if (i == end || s.charAt(i) == '-' || s.charAt(i) == '_') {
        int subtagLength = i - subtagStart;
        if (primaryEnd < 0) {
          if (subtagLength < 2 || subtagLength > 3) {
            return null;
          }
          primaryEnd = i;
        } else if (subtagLength < 1 || subtagLength > 8) {
          return null;
        }
        subtagStart = i + 1;
      } else {
        char c = s.charAt(i);
        boolean letter = HeaderText.isAsciiLetter(c);
        if (!letter && (primaryEnd < 0 || !HeaderText.isAsciiDigit(c))) {
          return null;
        }
      }
    }
    return primaryEnd < 0 ? null : s.substring(start, primaryEnd).toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the q-value of an entry's parameters in thousandths: 1000 when absent, 0 when malformed
   * or out of range.
   */
  private static int weight(String s, int from, int to) {
    int start = from;
    while (start < to) {
      int end = s.indexOf(';', start);
      if (end < 0 || end > to) {
        end = to;
      }
      int i = skipSpace(s, start, end);
      if (i < end && (s.charAt(i) == 'q' || s.charAt(i) == 'Q')) {
        int j = skipSpace(s, i + 1, end);
        if (j < end && s.charAt(j) == '=') {
          return parseQ(s, skipSpace(s, j + 1, end), trimEnd(s, j + 1, end));
        }
      }
      start = end + 1;
    }
    return 1000;
  }

  /** Parses {@code 0[.ddd]} or {@code 1[.000]} into thousandths; anything else is 0. */
  private static int parseQ(String s, int from, int to) {
    if (from >= to) {
      return 0;
    }
    char first = s.charAt(from);
    if (first != '0' && first != '1') {
      return 0;
    }
    int value = (first - '0') * 1000;
    if (from + 1 == to) {
      return value;
    }
    if (s.charAt(from + 1) != '.') {
      return 0;
    }
    int scale = 100;
    for (int i = from + 2; i < to; i++) {
      char c = s.charAt(i);
      if (!HeaderText.isAsciiDigit(c)) {
        return 0;
      }
      if (i - from - 2 < MAX_Q_DECIMALS) {
        value += (c - '0') * scale;
        scale /= 10;
      } else if (c != '0' && value >= 1000) {
        return 0;
      }
    }
    return value > 1000 ? 0 : value;
  }

  private static int skipSpace(String s, int from, int to) {
    int i = from;
    while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int from, int to) {
    int i = to;
    while (i > from && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
      i--;
    }
    return i;
  }
}
