package dev.persona.internal.context;

import dev.persona.Visit;

/** Bounded, allocation-light helpers for reading untrusted header and parameter text. */
final class HeaderText {

  private HeaderText() {}

  static int checkMaxLength(int maxLength) {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxHeaderLength must be positive: " + maxLength);
    }
    return maxLength;
  }

  /**
   * Returns a header's value, truncated; {@code name} must be in lower case, as the visit keys its
   * headers, which spares {@link Visit#header} lower-casing it again on every call.
   */
  static String header(Visit visit, String name, int maxLength) {
    return visit == null ? null : truncate(visit.headers().get(name), maxLength);
  }

  static String truncate(String value, int maxLength) {
    return value == null || value.length() <= maxLength ? value : value.substring(0, maxLength);
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Returns whether {@code value}, ignoring leading and trailing control characters, spaces and
   * Unicode white space, equals {@code s}.
   */
  static boolean trimmedEquals(String value, String s) {
    if (value == null) {
      return false;
    }
    int start = 0;
    int end = value.length();
    while (start < end && isBlank(value.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(value.charAt(end - 1))) {
      end--;
    }
    return end - start == s.length() && value.regionMatches(start, s, 0, s.length());
  }

  private static boolean isBlank(char c) {
    return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
