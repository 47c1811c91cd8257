package dev.persona.internal.context;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Key dates of the built-in gifting periods, some from data resources of this package. */
public final class GiftingDates {

  private static final Map<Integer, LocalDate> LUNAR_NEW_YEAR = lunarTable();
  private static final Map<String, IntFunction<LocalDate>> MOTHERS_DAY =
      mothersDayTable(CountryCodes.lines("calendar-mothers-day.txt"));

  private GiftingDates() {}

  /** The Friday after the fourth Thursday of November. */
  public static LocalDate blackFriday(int year) {
    return nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4).plusDays(1);
  }

  /** The first day of the Lunar New Year, or null outside the table. */
  public static LocalDate lunarNewYear(int year) {
    return LUNAR_NEW_YEAR.get(year);
  }

  /** Mother's Day in the country, or null when unknown. */
  public static LocalDate mothersDay(int year, String country) {
    if (country == null) {
      return null;
    }
    IntFunction<LocalDate> rule = MOTHERS_DAY.get(country);
    return rule == null ? null : rule.apply(year);
  }

  /** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
  static LocalDate easter(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(year, month, day);
  }

  /** The {@code n}th {@code day} of the month, or the last one when {@code n} is -1. */
  static LocalDate nthWeekday(int year, Month month, DayOfWeek day, int n) {
    LocalDate first = LocalDate.of(year, month, 1);
    return n < 0
        ? first.with(TemporalAdjusters.lastInMonth(day))
        : first.with(TemporalAdjusters.dayOfWeekInMonth(n, day));
  }

  /**
   * Parses one Mother's Day rule: {@code MM-DD}, {@code N-sun-MM}, {@code last-sun-MM}, {@code
   * easter-DAYS} or {@code last-sun-05-pentecost}.
   *
   * @throws IllegalArgumentException when the rule is malformed
   */
  static IntFunction<LocalDate> parseRule(String rule) {
    if (rule.equals("last-sun-05-pentecost")) {
      return year -> {
        LocalDate last = nthWeekday(year, Month.MAY, DayOfWeek.SUNDAY, -1);
        return last.equals(easter(year).plusDays(49)) ? last.plusWeeks(1) : last;
      };
    }
    String[] parts = rule.split("-", -1);
    try {
      if (parts.length == 2 && parts[0].equals("easter")) {
        int days = Integer.parseInt(parts[1]);
        if (days < 0 || days > 100) {
          throw new IllegalArgumentException("bad Mother's Day rule: " + rule);
        }
        return year -> easter(year).minusDays(days);
      }
      if (parts.length == 2) {
        int month = Integer.parseInt(parts[0]);
        int day = Integer.parseInt(parts[1]);
        LocalDate.of(2024, month, day); // validates, leap day included
        return year -> LocalDate.of(year, month, Math.min(day, Month.of(month).length(false)));
      }
      if (parts.length == 3 && parts[1].equals("sun")) {
        int n = parts[0].equals("last") ? -1 : Integer.parseInt(parts[0]);
        Month month = Month.of(Integer.parseInt(parts[2]));
        if (n == 0 || n < -1 || n > 4) {
          throw new IllegalArgumentException("bad Mother's Day rule: " + rule);
        }
        return year -> nthWeekday(year, month, DayOfWeek.SUNDAY, n);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad Mother's Day rule: " + rule, e);
    }
    throw new IllegalArgumentException("bad Mother's Day rule: " + rule);
  }

  /** Parses lines of {@code RULE: CODE CODE ...}; a country listed twice keeps its first rule. */
  static Map<String, IntFunction<LocalDate>> mothersDayTable(List<String> lines) {
    Map<String, IntFunction<LocalDate>> table = new HashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("bad Mother's Day line: " + line);
      }
      IntFunction<LocalDate> rule = parseRule(line.substring(0, colon).strip());
      for (String code : line.substring(colon + 1).strip().split("\\s+", -1)) {
        if (!CountryCodes.isAssigned(code)) {
          throw new IllegalArgumentException("bad country in Mother's Day line: " + code);
        }
        table.putIfAbsent(code, rule);
      }
    }
    return Map.copyOf(table);
  }

  private static Map<Integer, LocalDate> lunarTable() {
    Map<Integer, LocalDate> table = new HashMap<>();
    for (String line : CountryCodes.lines("calendar-lunar-new-year.txt")) {
      LocalDate date = LocalDate.parse(line);
      table.put(date.getYear(), date);
    }
    return Map.copyOf(table);
  }
}
