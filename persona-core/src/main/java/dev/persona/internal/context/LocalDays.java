package dev.persona.internal.context;

import dev.persona.config.GiftingCalendar;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few local days that requests fall on, each with its date, weekday and season per country,
 * worked out once a day instead of once a request. Thread-safe: days are replaced whole, and a
 * day's seasons are a concurrent map bounded by the number of country codes.
 */
final class LocalDays {
  private static final int SLOTS = 8;
  private static final String NO_COUNTRY = "";

  private final Day[] days = new Day[SLOTS];

  /** Returns the day {@code epochDay} days after 1970-01-01. */
  Day at(long epochDay) {
    int slot = (int) (epochDay & (SLOTS - 1));
    Day d = days[slot];
    if (d == null || d.epochDay != epochDay) {
      d = new Day(epochDay);
      days[slot] = d;
    }
    return d;
  }

  /** What the {@code season} and {@code gifting_period} signals say on a day in a country. */
  record Season(String name, boolean gifting) {}

  /** One local day. */
  static final class Day {
    private final long epochDay;
    private final LocalDate date;
    private final Map<String, Season> seasons = new ConcurrentHashMap<>();

    Day(long epochDay) {
      this.epochDay = epochDay;
      this.date = LocalDate.ofEpochDay(epochDay);
    }

    int year() {
      return date.getYear();
    }

    DayOfWeek weekday() {
      return date.getDayOfWeek();
    }

    /** Returns the season in {@code country} (null when unknown) by {@code calendar}. */
    Season season(String country, GiftingCalendar calendar) {
      String key = country == null ? NO_COUNTRY : country;
      Season s = seasons.get(key);
      if (s == null) {
        String period = calendar.periodAt(date, country);
        s =
            new Season(
                period != null ? period : TimeExtractor.season(date.getMonthValue(), country),
                period != null);
        seasons.put(key, s);
      }
      return s;
    }
  }
}
