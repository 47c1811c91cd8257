package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.persona.config.GiftingCalendar;
import dev.persona.config.GiftingPeriod;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class GiftingCalendarTest {

  @Test
  void listsTheDefaultPeriodsInOrderOfPrecedence() {
    assertThat(GiftingCalendar.defaults().periods())
        .extracting(GiftingPeriod::name)
        .containsExactly(
            "mothers_day",
            "black_friday",
            "singles_day",
            "christmas",
            "valentines",
            "lunar_new_year");
    assertThat(GiftingCalendar.empty().periods()).isEmpty();
    assertThat(GiftingCalendar.defaults().toString()).contains("christmas");
  }

  @Test
  void addsReplacesAndRemovesPeriods() {
    GiftingPeriod easter =
        GiftingPeriod.around("easter", (year, country) -> GiftingDates.easter(year), 10, 1);
    GiftingCalendar calendar = GiftingCalendar.defaults().with(easter);

    assertThat(calendar.periods()).last().isSameAs(easter);
    assertThat(calendar.periodAt(LocalDate.of(2025, 4, 10), null)).isEqualTo("easter");
    assertThat(calendar.periodAt(LocalDate.of(2025, 4, 9), null)).isNull();
    assertThat(calendar.periodAt(LocalDate.of(2025, 4, 21), null)).isEqualTo("easter");
    assertThat(calendar.periodAt(LocalDate.of(2025, 4, 22), null)).isNull();

    GiftingPeriod shortChristmas =
        GiftingPeriod.annual("christmas", MonthDay.of(12, 20), MonthDay.of(12, 24));
    GiftingCalendar replaced = calendar.with(shortChristmas);
    assertThat(replaced.periods()).hasSize(7).element(3).isSameAs(shortChristmas);
    assertThat(replaced.periodAt(LocalDate.of(2025, 12, 10), null)).isNull();

    GiftingCalendar removed = replaced.without("christmas").without("easter");
    assertThat(removed.periods()).extracting(GiftingPeriod::name).doesNotContain("christmas");
    assertThat(removed.without("nothing")).isSameAs(removed);
    assertThat(GiftingCalendar.defaults().periods()).hasSize(6);
  }

  @Test
  void theEarlierPeriodWinsAnOverlap() {
    GiftingPeriod a = GiftingPeriod.annual("a", MonthDay.of(1, 1), MonthDay.of(1, 10));
    GiftingPeriod b = GiftingPeriod.annual("b", MonthDay.of(1, 5), MonthDay.of(1, 20));

    assertThat(GiftingCalendar.of(List.of(a, b)).periodAt(LocalDate.of(2025, 1, 7), null))
        .isEqualTo("a");
    assertThat(GiftingCalendar.of(List.of(b, a)).periodAt(LocalDate.of(2025, 1, 7), null))
        .isEqualTo("b");
  }

  @ParameterizedTest
  @CsvSource({
    "2025-12-19, false",
    "2025-12-20, true",
    "2025-12-31, true",
    "2026-01-01, true",
    "2026-01-06, true",
    "2026-01-07, false"
  })
  void annualPeriodsMayWrapTheNewYear(String date, boolean in) {
    GiftingPeriod holidays =
        GiftingPeriod.annual("holidays", MonthDay.of(12, 20), MonthDay.of(1, 6));

    assertThat(holidays.contains(LocalDate.parse(date), null)).isEqualTo(in);
  }

  @Test
  void annualPeriodsHandleLeapDays() {
    GiftingPeriod leap = GiftingPeriod.annual("leap", MonthDay.of(2, 29), MonthDay.of(2, 29));

    assertThat(leap.contains(LocalDate.of(2028, 2, 29), null)).isTrue();
    assertThat(leap.contains(LocalDate.of(2027, 2, 28), null)).isFalse();
    assertThat(leap.contains(LocalDate.of(2027, 3, 1), null)).isFalse();
  }

  @Test
  void aroundPeriodsCrossTheNewYear() {
    GiftingPeriod newYear =
        GiftingPeriod.around("new_year", (year, country) -> LocalDate.of(year, 1, 1), 3, 2);

    assertThat(newYear.contains(LocalDate.of(2025, 12, 28), null)).isFalse();
    assertThat(newYear.contains(LocalDate.of(2025, 12, 29), null)).isTrue();
    assertThat(newYear.contains(LocalDate.of(2026, 1, 3), null)).isTrue();
    assertThat(newYear.contains(LocalDate.of(2026, 1, 4), null)).isFalse();
  }

  @Test
  void periodsMayDependOnTheCountry() {
    GiftingPeriod diwali =
        GiftingPeriod.around(
            "diwali",
            (year, country) -> "IN".equals(country) ? LocalDate.of(year, 11, 1) : null,
            5,
            0);
    GiftingPeriod custom = GiftingPeriod.of("golden_week", (date, country) -> "JP".equals(country));

    assertThat(diwali.contains(LocalDate.of(2025, 10, 28), "IN")).isTrue();
    assertThat(diwali.contains(LocalDate.of(2025, 10, 28), "US")).isFalse();
    assertThat(diwali.contains(LocalDate.of(2025, 10, 28), null)).isFalse();
    assertThat(custom.contains(LocalDate.of(2025, 5, 1), "JP")).isTrue();
    assertThat(custom.toString()).contains("golden_week");
  }

  @ParameterizedTest
  @CsvSource({
    "2024, 2024-03-31",
    "2025, 2025-04-20",
    "2026, 2026-04-05",
    "2027, 2027-03-28",
    "2030, 2030-04-21",
    "2035, 2035-03-25",
    "2038, 2038-04-25",
    "2285, 2285-03-22"
  })
  void computesEaster(int year, String easter) {
    assertThat(GiftingDates.easter(year)).isEqualTo(LocalDate.parse(easter));
  }

  @ParameterizedTest
  @CsvSource({
    "2024, 2024-11-29",
    "2025, 2025-11-28",
    "2026, 2026-11-27",
    "2027, 2027-11-26",
    "2028, 2028-11-24",
    "2029, 2029-11-23"
  })
  void computesBlackFriday(int year, String blackFriday) {
    assertThat(GiftingDates.blackFriday(year)).isEqualTo(LocalDate.parse(blackFriday));
  }

  @Test
  void tabulatesTheLunarNewYearFrom2024To2035() {
    for (int year = 2024; year <= 2035; year++) {
      LocalDate date = GiftingDates.lunarNewYear(year);
      assertThat(date).isNotNull();
      assertThat(date.getYear()).isEqualTo(year);
      assertThat(date).isBetween(LocalDate.of(year, 1, 21), LocalDate.of(year, 2, 20));
    }
    assertThat(GiftingDates.lunarNewYear(2023)).isNull();
    assertThat(GiftingDates.lunarNewYear(2036)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "US, 2025-05-11",
    "GB, 2025-03-30",
    "GB, 2026-03-15",
    "PL, 2030-05-26",
    "FR, 2023-06-04",
    "FR, 2025-05-25",
    "DE, 2026-05-10",
    "MX, 2026-05-10",
    "AR, 2026-10-18",
    "NO, 2026-02-08",
    "RU, 2026-11-29"
  })
  void computesMothersDay(String country, String date) {
    LocalDate expected = LocalDate.parse(date);

    assertThat(GiftingDates.mothersDay(expected.getYear(), country)).isEqualTo(expected);
  }

  @Test
  void knowsNoMothersDayForUnknownCountries() {
    assertThat(GiftingDates.mothersDay(2025, null)).isNull();
    assertThat(GiftingDates.mothersDay(2025, "AQ")).isNull();
    assertThat(GiftingDates.mothersDay(2025, "XX")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sun",
        "13-01",
        "02-30",
        "0-sun-05",
        "5-sun-05",
        "-2-sun-05",
        "2-mon-05",
        "2-sun-13",
        "easter",
        "easter-x",
        "easter-500",
        "last-sun",
        "05-26-01",
        "x-y"
      })
  void rejectsMalformedMothersDayRules(String rule) {
    assertThatIllegalArgumentException().isThrownBy(() -> GiftingDates.parseRule(rule));
  }

  @Test
  void rejectsMalformedMothersDayTables() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingDates.mothersDayTable(List.of("05-26 PL")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingDates.mothersDayTable(List.of("05-26: XX")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingDates.mothersDayTable(List.of("05-26: pl")));
    assertThat(
            GiftingDates.mothersDayTable(List.of("05-26: PL", "05-10: PL")).get("PL").apply(2025))
        .isEqualTo(LocalDate.of(2025, 5, 26));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Christmas", "1st", "black-friday", "a b", "é", "_x"})
  void rejectsBadPeriodNames(String name) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingPeriod.annual(name, MonthDay.of(1, 1), MonthDay.of(1, 2)));
  }

  @Test
  void rejectsBadArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingPeriod.around("x", (y, c) -> null, -1, 0));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GiftingPeriod.around("x", (y, c) -> null, 0, 181));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> GiftingPeriod.annual("x".repeat(41), MonthDay.of(1, 1), MonthDay.of(1, 1)));
    assertThatNullPointerException().isThrownBy(() -> GiftingPeriod.of("x", null));
    assertThatNullPointerException().isThrownBy(() -> GiftingPeriod.of(null, (d, c) -> true));
    assertThatNullPointerException().isThrownBy(() -> GiftingCalendar.of(null));
    assertThatNullPointerException()
        .isThrownBy(() -> GiftingCalendar.of(java.util.Arrays.asList((GiftingPeriod) null)));
    assertThatNullPointerException().isThrownBy(() -> GiftingCalendar.defaults().with(null));
    assertThatNullPointerException()
        .isThrownBy(() -> GiftingCalendar.defaults().periodAt(null, "US"));
    GiftingPeriod a = GiftingPeriod.of("a", (d, c) -> true);
    assertThatIllegalArgumentException().isThrownBy(() -> GiftingCalendar.of(List.of(a, a)));
  }
}
