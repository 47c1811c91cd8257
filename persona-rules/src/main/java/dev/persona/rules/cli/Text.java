package dev.persona.rules.cli;

import dev.persona.Signal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Formatting shared by the readable reports. Output is ASCII apart from the data itself. */
final class Text {
  private Text() {}

  /** Returns {@code 0.85}: two decimals. */
  static String score(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }

  /**
   * Returns a measured number for people: two decimals from 1 up ({@code 12.35}), three significant
   * digits below ({@code 0.0512}, {@code 0.65} for 0.6499999999999999), trailing zeros dropped;
   * {@code -} for NaN.
   */
  static String human(double d) {
    if (Double.isNaN(d)) {
      return "-";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    BigDecimal b =
        Math.abs(d) >= 1
            ? new BigDecimal(d).setScale(2, RoundingMode.HALF_UP)
            : new BigDecimal(d).round(new MathContext(3, RoundingMode.HALF_UP));
    String s = b.stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** Returns {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Returns {@code 12.3%} of {@code n} in {@code total}. */
  static String percent(long n, long total) {
    return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / total);
  }

  /** Returns a value as a shopper would read it: {@code 3}, {@code 0.75}, {@code [a, b]}. */
  static String value(Object v) {
    if (v instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      String s = String.format(Locale.ROOT, "%.2f", d);
      return s.equals("0.00") || s.equals("-0.00") ? String.format(Locale.ROOT, "%.2g", d) : s;
    } else if (v instanceof Set<?> set) {
      return set.toString();
    }
    return String.valueOf(v);
  }

  /** Returns {@code key=value}. */
  static String signal(Signal s) {
    return s.key() + "=" + value(s.value());
  }

  /** Returns the signals as {@code key=value} items, or {@code -} alone when there are none. */
  static List<String> signalItems(List<Signal> signals) {
    if (signals.isEmpty()) {
      return List.of("-");
    }
    List<String> parts = new ArrayList<>();
    signals.forEach(s -> parts.add(signal(s)));
    return parts;
  }

  /**
   * Joins items with {@code ", "} into lines of at most {@code width} characters, breaking after a
   * comma; an item longer than the width gets a line of its own.
   */
  static List<String> wrap(List<String> items, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String item : items) {
      if (line.length() > 0 && line.length() + 2 + item.length() > width) {
        lines.add(line.append(',').toString());
        line.setLength(0);
      } else if (line.length() > 0) {
        line.append(", ");
      }
      line.append(item);
    }
    lines.add(line.toString());
    return lines;
  }

  /** Returns {@code s} padded with spaces to {@code width}. */
  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** Returns {@code s} right-aligned in {@code width}. */
  static String left(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /** Returns the entries of a score map, highest first, ties by id. */
  static List<Map.Entry<String, Double>> ranked(Map<String, Double> scores) {
    List<Map.Entry<String, Double>> out = new ArrayList<>(scores.entrySet());
    out.sort(
        Comparator.comparing(Map.Entry<String, Double>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    return out;
  }

  /** Returns the entries of a count map, largest first, ties by name. */
  static List<Map.Entry<String, long[]>> byCount(Map<String, long[]> counts) {
    List<Map.Entry<String, long[]>> out = new ArrayList<>(counts.entrySet());
    out.sort(
        Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
            .reversed()
            .thenComparing(Map.Entry::getKey));
    return out;
  }

  /** Returns the width of the longest of the strings. */
  static int width(Iterable<String> strings) {
    int w = 0;
    for (String s : strings) {
      w = Math.max(w, s.length());
    }
    return w;
  }
}
