package dev.persona.config;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The gifting periods the {@code season} signal reports, in order of precedence: on a day in two
 * periods, the earlier one listed wins. Immutable and thread-safe; {@link #with} and {@link
 * #without} return changed copies.
 *
 * <pre>{@code
 * GiftingCalendar calendar = GiftingCalendar.defaults()
 *     .without("singles_day")
 *     .with(GiftingPeriod.annual("back_to_school", MonthDay.of(8, 15), MonthDay.of(9, 5)));
 * }</pre>
 */
public final class GiftingCalendar {

  private static final GiftingCalendar DEFAULTS =
      new GiftingCalendar(
          List.of(
              GiftingPeriod.mothersDay(),
              GiftingPeriod.blackFriday(),
              GiftingPeriod.singlesDay(),
              GiftingPeriod.christmas(),
              GiftingPeriod.valentines(),
              GiftingPeriod.lunarNewYear()));
  private static final GiftingCalendar EMPTY = new GiftingCalendar(List.of());

  private final List<GiftingPeriod> periods;

  private GiftingCalendar(List<GiftingPeriod> periods) {
    Set<String> names = new HashSet<>();
    for (GiftingPeriod period : periods) {
      Objects.requireNonNull(period, "period");
      if (!names.add(period.name())) {
        throw new IllegalArgumentException("duplicate gifting period " + period.name());
      }
    }
    this.periods = List.copyOf(periods);
  }

  /**
   * Returns the built-in calendar, in order of precedence: {@code mothers_day} (by country), {@code
   * black_friday}, {@code singles_day}, {@code christmas}, {@code valentines}, {@code
   * lunar_new_year}.
   *
   * @return the default calendar
   */
  public static GiftingCalendar defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a calendar without periods: {@code season} is always the meteorological season.
   *
   * @return the empty calendar
   */
  public static GiftingCalendar empty() {
    return EMPTY;
  }

  /**
   * Returns a calendar of the given periods.
   *
   * @param periods the periods, in order of precedence, with distinct names
   * @return the calendar
   */
  public static GiftingCalendar of(List<GiftingPeriod> periods) {
    return new GiftingCalendar(Objects.requireNonNull(periods, "periods"));
  }

  /**
   * Returns a copy with {@code period} added last, or in place of the period of the same name.
   *
   * @param period the period
   * @return the changed calendar
   */
  public GiftingCalendar with(GiftingPeriod period) {
    Objects.requireNonNull(period, "period");
    List<GiftingPeriod> copy = new ArrayList<>(periods);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).name().equals(period.name())) {
        copy.set(i, period);
        return new GiftingCalendar(copy);
      }
    }
    copy.add(period);
    return new GiftingCalendar(copy);
  }

  /**
   * Returns a copy without the period of the given name; the same calendar when there is none.
   *
   * @param name the period's name
   * @return the changed calendar
   */
  public GiftingCalendar without(String name) {
    Objects.requireNonNull(name, "name");
    List<GiftingPeriod> copy = new ArrayList<>(periods);
    return copy.removeIf(p -> p.name().equals(name)) ? new GiftingCalendar(copy) : this;
  }

  /**
   * Returns the periods, in order of precedence.
   *
   * @return an unmodifiable list
   */
  public List<GiftingPeriod> periods() {
    return periods;
  }

  /**
   * Returns the first period, in order of precedence, that {@code date} is in.
   *
   * @param date the visitor's local date
   * @param country the visitor's upper-case ISO 3166-1 alpha-2 country, or null when unknown
   * @return the period's name, or null when the date is in none
   */
  public @Nullable String periodAt(LocalDate date, @Nullable String country) {
    Objects.requireNonNull(date, "date");
    for (GiftingPeriod period : periods) {
      if (period.contains(date, country)) {
        return period.name();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "GiftingCalendar" + periods.stream().map(GiftingPeriod::name).toList();
  }
}
