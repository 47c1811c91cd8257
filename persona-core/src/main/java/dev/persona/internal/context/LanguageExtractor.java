package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Emits the language and locale of the most preferred Accept-Language entry. The header is parsed
 * by hand: malformed entries, wildcards and zero weights are skipped, never thrown on.
 */
public final class LanguageExtractor implements BuiltInExtractor {

  private static final String LANGUAGE = "language";
  private static final String LOCALE = "locale";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              LANGUAGE,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Preferred language from Accept-Language, such as en or de"),
          new SignalSpec(
              LOCALE,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Preferred language and region from Accept-Language, such as pt-br or de"));

  /** Digits kept after the decimal point of a q-value; more are ignored. */
  private static final int MAX_Q_DECIMALS = 3;

  private final RecentValues<Preferred> recent = new RecentValues<>(Preferred::of);
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
    String header = HeaderText.header(visit, "accept-language", maxHeaderLength);
    Preferred preferred = header == null ? Preferred.NONE : recent.get(header);
    if (preferred.locale != null) {
      sink.text(LANGUAGE, preferred.language);
      sink.text(LOCALE, preferred.locale);
    }
  }

  /** The preferred language and locale of an Accept-Language value, both null when none is. */
  private record Preferred(String language, String locale) {
    static final Preferred NONE = new Preferred(null, null);

    static Preferred of(String header) {
      String locale = preferredLocale(header);
      if (locale == null) {
        return NONE;
      }
      int hyphen = locale.indexOf('-');
      return new Preferred(hyphen < 0 ? locale : locale.substring(0, hyphen), locale);
    }
  }

  /**
   * Returns the primary subtag of the entry with the highest q-value, the first listed on a tie.
   *
   * @param header an Accept-Language value, may be null
   * @return a lower-case 2 or 3 letter subtag, or null when no entry is usable
   */
  static String preferredLanguage(String header) {
    String locale = preferredLocale(header);
    if (locale == null) {
      return null;
    }
    int hyphen = locale.indexOf('-');
    return hyphen < 0 ? locale : locale.substring(0, hyphen);
  }

  /**
   * Returns the locale of the entry with the highest q-value, the first listed on a tie: its
   * primary subtag, followed by a hyphen and its region subtag when it has one.
   *
   * @param header an Accept-Language value, may be null
   * @return a lower-case locale such as {@code pt-br}, {@code es-419} or {@code de}, or null when
   *     no entry is usable
   */
  static String preferredLocale(String header) {
    if (header == null) {
      return null;
    }
    int bestStart = -1;
    int bestEnd = -1;
    int bestQ = 0;
    int length = header.length();
    int start = 0;
    while (start < length) {
      int end = header.indexOf(',', start);
      if (end < 0) {
        end = length;
      }
      int rangeEnd = indexOf(header, ';', start, end);
      int rangeStart = skipSpace(header, start, rangeEnd);
      int rangeTrimmedEnd = trimEnd(header, rangeStart, rangeEnd);
      if (isWellFormed(header, rangeStart, rangeTrimmedEnd)) {
        int q = rangeEnd == end ? 1000 : weight(header, rangeEnd + 1, end);
        if (q > bestQ) {
          bestStart = rangeStart;
          bestEnd = rangeTrimmedEnd;
          bestQ = q;
        }
      }
      start = end + 1;
    }
    return bestStart < 0 ? null : locale(header, bestStart, bestEnd);
  }

  /**
   * Returns whether {@code s[from, to)} is a language range this extractor understands: a 2 or 3
   * letter primary subtag, then subtags of 1 to 8 letters or digits, separated by hyphens or
   * underscores. Wildcards, grandfathered {@code i-} and private {@code x-} tags are not.
   */
  private static boolean isWellFormed(String s, int from, int to) {
    int subtagStart = from;
    boolean primary = true;
    for (int i = from; i <= to; i++) {
      if (i == to || s.charAt(i) == '-' || s.charAt(i) == '_') {
        int subtagLength = i - subtagStart;
        if (primary) {
          if (subtagLength < 2 || subtagLength > 3) {
            return false;
          }
          primary = false;
        } else if (subtagLength < 1 || subtagLength > 8) {
          return false;
        }
        subtagStart = i + 1;
      } else {
        char c = s.charAt(i);
        if (!HeaderText.isAsciiLetter(c) && (primary || !HeaderText.isAsciiDigit(c))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Returns the lower-case locale of a well-formed range: the primary subtag and, when the range
   * has one after optional extended-language (3 letters) and script (4 letters) subtags, the region
   * (2 letters or 3 digits).
   */
  private static String locale(String s, int from, int to) {
    int primaryEnd = nextSeparator(s, from, to);
    String language = s.substring(from, primaryEnd).toLowerCase(Locale.ROOT);
    int subtagStart = primaryEnd + 1;
    boolean scriptSeen = false;
    int extlangs = 0;
    while (subtagStart < to) {
      int subtagEnd = nextSeparator(s, subtagStart, to);
      int length = subtagEnd - subtagStart;
      boolean letters = allLetters(s, subtagStart, subtagEnd);
      if (letters && length == 3 && !scriptSeen && extlangs < 3) {
        extlangs++;
      } else if (letters && length == 4 && !scriptSeen) {
        scriptSeen = true;
      } else if ((letters && length == 2)
          || (length == 3 && allDigits(s, subtagStart, subtagEnd))) {
        return language + "-" + s.substring(subtagStart, subtagEnd).toLowerCase(Locale.ROOT);
      } else {
        break;
      }
      subtagStart = subtagEnd + 1;
    }
    return language;
  }

  /** Returns the index of {@code c} in {@code s[from, to)}, or {@code to}; never looks past it. */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  private static int nextSeparator(String s, int from, int to) {
    int i = from;
    while (i < to && s.charAt(i) != '-' && s.charAt(i) != '_') {
      i++;
    }
    return i;
  }

  private static boolean allLetters(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!HeaderText.isAsciiLetter(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!HeaderText.isAsciiDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the q-value of an entry's parameters in thousandths: 1000 when absent, 0 when malformed
   * or out of range.
   */
  private static int weight(String s, int from, int to) {
    int start = from;
    while (start < to) {
      int end = indexOf(s, ';', start, to);
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
