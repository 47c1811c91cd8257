package dev.persona.internal.rules;

/** Formats numbers for reasons without {@link String#format}, which costs a microsecond a call. */
public final class Decimals {
  private Decimals() {}

  /** Returns {@code d} with two decimals, such as {@code 0.30} or {@code -1.25}. */
  public static String twoPlaces(double d) {
    if (!Double.isFinite(d) || Math.abs(d) >= 1e15) {
      return Double.toString(d);
    }
    long cents = Math.round(Math.abs(d) * 100);
    StringBuilder sb = new StringBuilder(8);
    if (d < 0 && cents != 0) {
      sb.append('-');
    }
    sb.append(cents / 100).append('.');
    long rest = cents % 100;
    return sb.append(rest < 10 ? "0" : "").append(rest).toString();
  }

  /** Returns a whole number without decimals, anything else with two. */
  public static String compact(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : twoPlaces(d);
  }
}
