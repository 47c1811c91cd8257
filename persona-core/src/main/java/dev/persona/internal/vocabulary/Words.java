package dev.persona.internal.vocabulary;

/**
 * How a text and a vocabulary entry are read into words, the same way for both: percent-encoding
 * decoded (UTF-8), lower case, and every run of characters that are not letters, digits or marks
 * one separator: {@code /} when the run holds a slash, which starts a path segment, else a space.
 * Allocates nothing but the entries' strings. Thread-safe (stateless).
 */
public final class Words {
  /** The longest entry, in characters as given. */
  public static final int MAX_ENTRY_LENGTH = 64;

  /** Characters from here on (CJK and later scripts) are not split into words: see below. */
  static final char CJK = '\u2E80';

  private Words() {}

  /**
   * Returns whether {@code c} is CJK or later, from U+2E80: Chinese is written without spaces, so
   * an entry that starts with such a character may start anywhere in a word, and one that ends with
   * one may end anywhere.
   */
  static boolean unspaced(char c) {
    return c >= CJK && !Character.isSurrogate(c);
  }

  /**
   * Writes text {@code s} read into words into {@code out}, after a leading {@code /} that stands
   * for the start of the text, which starts a segment; stops at {@code ?} or {@code #} when {@code
   * path}, and where {@code out} is full.
   *
   * @return the number of characters written, at least 1
   */
  static int text(String s, boolean path, char[] out) {
    out[0] = '/';
    return read(s, path, out, 1);
  }

  /**
   * Returns an entry read into words: without its trailing {@code *}, which a caller reads first;
   * with a leading {@code /} when it starts with a separator that holds a slash, else without a
   * leading separator; without a trailing one.
   *
   * @throws IllegalArgumentException if it is too long, has no letter or digit, or a {@code *}
   *     inside
   */
  public static String entry(String raw) {
    if (raw.length() > MAX_ENTRY_LENGTH) {
      throw new IllegalArgumentException(
          "a vocabulary entry has at most " + MAX_ENTRY_LENGTH + " characters");
    }
    String s = raw.strip();
    boolean prefix = s.endsWith("*");
    if (prefix) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.indexOf('*') >= 0) {
      throw new IllegalArgumentException(
          "a vocabulary entry may have a '*' only at its end, where it stands for any ending");
    }
    char[] out = new char[s.length() + 2];
    int n = read(s, false, out, 0);
    int start = n > 0 && out[0] == ' ' ? 1 : 0;
    boolean separatorLast = n > start && (out[n - 1] == ' ' || out[n - 1] == '/');
    int end = separatorLast ? n - 1 : n;
    if (end <= start || (end == start + 1 && out[start] == '/')) {
      throw new IllegalArgumentException("a vocabulary entry needs a letter or digit");
    }
    if (prefix && separatorLast) {
      throw new IllegalArgumentException("a vocabulary entry's '*' must follow a letter or digit");
    }
    return new String(out, start, end - start) + (prefix ? "*" : "");
  }

  /** Reads {@code s} into {@code out} from index {@code o}; returns the end. */
  private static int read(String s, boolean path, char[] out, int o) {
    int limit = out.length - 1; // room for a surrogate pair
    int i = 0;
    int n = s.length();
    while (i < n && o < limit) {
      char c = s.charAt(i);
      if (c < 0x80 && c != '%') { // the common case, without code points
        i++;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          out[o++] = c;
          continue;
        } else if (c >= 'A' && c <= 'Z') {
          out[o++] = (char) (c + ('a' - 'A'));
          continue;
        } else if (path && (c == '?' || c == '#')) {
          break;
        }
        o = separator(c, out, o);
        continue;
      }
      int cp;
      if (c == '%') {
        long d = percent(s, i);
        cp = (int) (d >> 32);
        i = (int) d;
      } else if (Character.isHighSurrogate(c) && i + 1 < n) {
        cp = s.codePointAt(i);
        i += Character.charCount(cp);
      } else {
        cp = c;
        i++;
      }
      if (isWordPart(cp)) {
        int lower = Character.toLowerCase(cp);
        if (Character.isBmpCodePoint(lower)) {
          out[o++] = (char) lower;
        } else {
          out[o++] = Character.highSurrogate(lower);
          out[o++] = Character.lowSurrogate(lower);
        }
      } else {
        o = separator(cp, out, o);
      }
    }
    return o;
  }

  /** Writes a separator for {@code cp} at {@code o}, one for a run; returns the end. */
  private static int separator(int cp, char[] out, int o) {
    if (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '/')) {
      if (cp == '/') {
        out[o - 1] = '/';
      }
      return o;
    }
    out[o] = cp == '/' ? '/' : ' ';
    return o + 1;
  }

  private static boolean isWordPart(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    }
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  /**
   * Decodes the percent-encoded UTF-8 character at {@code s[i]}, a {@code %}: returns the code
   * point in the high half, and the index after it in the low; a {@code %} that does not start a
   * valid sequence is the character {@code %}, a separator.
   */
  private static long percent(String s, int i) {
    int b0 = hexByte(s, i);
    if (b0 < 0) {
      return ((long) '%' << 32) | (i + 1);
    }
    int extra;
    int cp;
    if (b0 < 0x80) {
      return ((long) b0 << 32) | (i + 3);
    } else if (b0 >= 0xC2 && b0 < 0xE0) {
      extra = 1;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 < 0xF0) {
      extra = 2;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 < 0xF5) {
      extra = 3;
      cp = b0 & 0x07;
    } else {
      return (0xFFFDL << 32) | (i + 3);
    }
    int at = i + 3;
    for (int k = 0; k < extra; k++, at += 3) {
      int b = hexByte(s, at);
      if (b < 0 || (b & 0xC0) != 0x80) {
        return (0xFFFDL << 32) | at;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    boolean overlong = (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      cp = 0xFFFD;
    }
    return ((long) cp << 32) | at;
  }

  /** Returns the byte {@code %XX} at {@code s[i]} encodes, or -1. */
  private static int hexByte(String s, int i) {
    if (i + 2 >= s.length() || s.charAt(i) != '%') {
      return -1;
    }
    int hi = hex(s.charAt(i + 1));
    int lo = hex(s.charAt(i + 2));
    return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
