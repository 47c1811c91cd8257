package dev.persona.internal.context;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The officially assigned ISO 3166-1 alpha-2 codes and the southern-hemisphere countries. */
final class CountryCodes {

  private static final Set<String> ASSIGNED = Set.copyOf(lines("countries-iso3166.txt"));
  private static final Set<String> SOUTHERN =
      Set.copyOf(lines("countries-southern-hemisphere.txt"));

  private CountryCodes() {}

  /**
   * Returns whether {@code code} is an officially assigned alpha-2 code, in upper case.
   *
   * @param code the code, may be null
   * @return true for assigned codes such as DE; false for XX, EU, T1 and the like
   */
  static boolean isAssigned(String code) {
    return code != null && ASSIGNED.contains(code);
  }

  /**
   * Returns whether most of the country's people live south of the equator.
   *
   * @param code an upper-case alpha-2 code, may be null
   * @return true for AU, BR, ZA and the like
   */
  static boolean isSouthern(String code) {
    return code != null && SOUTHERN.contains(code);
  }

  /**
   * Returns the valid upper-case country code in {@code value}: two ASCII letters, surrounding
   * whitespace ignored, officially assigned.
   *
   * @param value a header value, may be null
   * @return the code, or null
   */
  static String parse(String value) {
    if (value == null) {
      return null;
    }
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && value.charAt(end - 1) <= ' ') {
      end--;
    }
    if (end - start != 2
        || !HeaderText.isAsciiLetter(value.charAt(start))
        || !HeaderText.isAsciiLetter(value.charAt(start + 1))) {
      return null;
    }
    String code = value.substring(start, end).toUpperCase(Locale.ROOT);
    return ASSIGNED.contains(code) ? code : null;
  }

  /** Reads a one-column data resource of this package (format: {@link DataTable}). */
  static List<String> lines(String resource) {
    return DataTable.values(resource);
  }
}
