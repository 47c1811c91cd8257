package dev.persona.config;

import dev.persona.internal.context.GiftingDates;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A named stretch of days when shoppers buy gifts, such as the Christmas run-up. Whether a day is
 * in the period may depend on the visitor's country. Immutable and thread-safe when its {@link
 * Days} are.
 */
public final class GiftingPeriod {

  /** Computes a period's key date in a year, for a country. */
  @FunctionalInterface
  public interface Anchor {
    /**
     * Returns the key date of the period in {@code year}.
     *
     * @param year the year
     * @param country the visitor's upper-case ISO 3166-1 alpha-2 country, or null when unknown
     * @return the date, or null when the period is not observed that year or in that country
     */
    @Nullable LocalDate in(int year, @Nullable String country);
  }

  /** Decides which local dates are in a period. */
  @FunctionalInterface
  public interface Days {
    /**
     * Returns whether {@code date} is in the period.
     *
     * @param date the visitor's local date
     * @param country the visitor's upper-case ISO 3166-1 alpha-2 country, or null when unknown
     * @return true when in the period
     */
    boolean contains(LocalDate date, @Nullable String country);
  }

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private final String name;
  private final Days days;

  private GiftingPeriod(String name, Days days) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "period name must be lower-case letters, digits and _, at most 40: " + name);
    }
    this.name = name;
    this.days = Objects.requireNonNull(days, "days");
  }

  /**
   * Returns a period of arbitrary days.
   *
   * @param name the value of the {@code season} signal during the period, such as {@code easter}
   * @param days decides whether a local date is in the period; must be thread-safe
   * @return the period
   */
  public static GiftingPeriod of(String name, Days days) {
    return new GiftingPeriod(name, days);
  }

  /**
   * Returns a period on the same days every year, in every country.
   *
   * @param name the value of the {@code season} signal during the period
   * @param first the first day, inclusive
   * @param last the last day, inclusive; before {@code first} for a period over New Year
   * @return the period
   */
  public static GiftingPeriod annual(String name, MonthDay first, MonthDay last) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    boolean wraps = last.isBefore(first);
    return new GiftingPeriod(
        name,
        (date, country) -> {
          MonthDay day = MonthDay.from(date);
          return wraps
              ? !day.isBefore(first) || !day.isAfter(last)
              : !day.isBefore(first) && !day.isAfter(last);
        });
  }

  /**
   * Returns a period around a key date that moves from year to year, or by country.
   *
   * @param name the value of the {@code season} signal during the period
   * @param anchor computes the key date
   * @param daysBefore days of the period before the key date, zero or more
   * @param daysAfter days of the period after the key date, zero or more
   * @return the period: from {@code daysBefore} days before the key date to {@code daysAfter} days
   *     after it, both inclusive
   */
  public static GiftingPeriod around(String name, Anchor anchor, int daysBefore, int daysAfter) {
    Objects.requireNonNull(anchor, "anchor");
    if (daysBefore < 0 || daysAfter < 0 || daysBefore > 180 || daysAfter > 180) {
      throw new IllegalArgumentException(
          "days before and after must be 0 to 180: " + daysBefore + ", " + daysAfter);
    }
    return new GiftingPeriod(
        name,
        (date, country) -> {
          for (int year = date.getYear() - 1; year <= date.getYear() + 1; year++) {
            LocalDate key = anchor.in(year, country);
            if (key != null
                && !date.isBefore(key.minusDays(daysBefore))
                && !date.isAfter(key.plusDays(daysAfter))) {
              return true;
            }
          }
          return false;
        });
  }

  /**
   * Black Friday to Cyber Monday: the Friday after US Thanksgiving (the fourth Thursday of
   * November) through the following Monday, everywhere.
   *
   * @return the {@code black_friday} period
   */
  public static GiftingPeriod blackFriday() {
    return around("black_friday", (year, country) -> GiftingDates.blackFriday(year), 0, 3);
  }

  /**
   * The Christmas run-up, December 1 to 24, everywhere.
   *
   * @return the {@code christmas} period
   */
  public static GiftingPeriod christmas() {
    return annual("christmas", MonthDay.of(12, 1), MonthDay.of(12, 24));
  }

  /**
   * Valentine's Day and the two weeks before it, February 1 to 14, everywhere.
   *
   * @return the {@code valentines} period
   */
  public static GiftingPeriod valentines() {
    return annual("valentines", MonthDay.of(2, 1), MonthDay.of(2, 14));
  }

  /**
   * Singles' Day (11.11) and the run-up to it, November 1 to 11, everywhere.
   *
   * @return the {@code singles_day} period
   */
  public static GiftingPeriod singlesDay() {
    return annual("singles_day", MonthDay.of(11, 1), MonthDay.of(11, 11));
  }

  /**
   * Mother's Day and the week before it, on the country's date (second Sunday of May in the US,
   * Mothering Sunday in the UK, May 26 in Poland...); not observed when the country is unknown or
   * not in the table.
   *
   * @return the {@code mothers_day} period
   */
  public static GiftingPeriod mothersDay() {
    return around("mothers_day", GiftingDates::mothersDay, 7, 0);
  }

  /**
   * The two weeks before the Lunar New Year and its first day, everywhere, in the years of the
   * built-in table (2024 to 2035).
   *
   * @return the {@code lunar_new_year} period
   */
  public static GiftingPeriod lunarNewYear() {
    return around("lunar_new_year", (year, country) -> GiftingDates.lunarNewYear(year), 14, 0);
  }

  /**
   * Returns the period's name, the value of the {@code season} signal during it.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns whether a local date is in the period.
   *
   * @param date the visitor's local date
   * @param country the visitor's upper-case ISO 3166-1 alpha-2 country, or null when unknown
   * @return true when in the period
   */
  public boolean contains(LocalDate date, @Nullable String country) {
    return days.contains(Objects.requireNonNull(date, "date"), country);
  }

  @Override
  public String toString() {
    return "GiftingPeriod[" + name + "]";
  }
}
