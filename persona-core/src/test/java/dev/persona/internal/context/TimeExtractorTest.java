package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.Visit;
import dev.persona.config.GiftingCalendar;
import dev.persona.config.GiftingPeriod;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TimeExtractorTest {

  private final TimeExtractor extractor = new TimeExtractor();
  private final Visit visit = Visit.builder("s").build();

  @ParameterizedTest
  @CsvSource({
    "0, night",
    "5, night",
    "6, morning",
    "11, morning",
    "12, afternoon",
    "17, afternoon",
    "18, evening",
    "23, evening"
  })
  void mapsLocalHourToDaypart(int hour, String daypart) {
    ZonedDateTime time = ZonedDateTime.of(2024, 6, 5, hour, 59, 59, 0, ZoneId.of("UTC"));

    assertThat(RecordingSink.run(extractor, visit, time)).containsEntry("daypart", daypart);
  }

  @Test
  void emitsWeekdayAndNoWeekendOnAWednesday() {
    ZonedDateTime wednesday = ZonedDateTime.of(2024, 6, 5, 9, 0, 0, 0, ZoneId.of("UTC"));

    assertThat(RecordingSink.run(extractor, visit, wednesday))
        .containsExactly(
            entry("daypart", "morning"),
            entry("weekday", "wednesday"),
            entry("weekend", false),
            entry("season", "summer"),
            entry("gifting_period", false));
  }

  @Test
  void flagsSaturdayAndSundayAsWeekend() {
    ZonedDateTime saturday = ZonedDateTime.of(2024, 6, 8, 20, 0, 0, 0, ZoneId.of("UTC"));
    ZonedDateTime sunday = saturday.plusDays(1);

    assertThat(RecordingSink.run(extractor, visit, saturday))
        .containsEntry("weekday", "saturday")
        .containsEntry("weekend", true);
    assertThat(RecordingSink.run(extractor, visit, sunday))
        .containsEntry("weekday", "sunday")
        .containsEntry("weekend", true);
  }

  @Test
  void usesTheLocalTimeZoneOfTheArgument() {
    ZonedDateTime utcLateFriday = ZonedDateTime.of(2024, 6, 7, 23, 30, 0, 0, ZoneId.of("UTC"));
    ZonedDateTime tokyo = utcLateFriday.withZoneSameInstant(ZoneId.of("Asia/Tokyo"));

    assertThat(RecordingSink.run(extractor, visit, tokyo))
        .containsEntry("daypart", "morning")
        .containsEntry("weekday", "saturday")
        .containsEntry("weekend", true);
  }

  @Test
  void ignoresOtherHeaders() {
    Visit withHeaders =
        Visit.builder("s")
            .header("Date", "Sun, 09 Jun 2024 03:00:00 GMT")
            .header("CloudFront-Viewer-Time-Zone", "Asia/Tokyo")
            .build();

    assertThat(RecordingSink.run(extractor, withHeaders)).containsEntry("weekday", "wednesday");
    assertThat(RecordingSink.run(extractor, null)).containsEntry("weekday", "wednesday");
  }

  @Test
  void emitsNothingWithoutATime() {
    assertThat(RecordingSink.run(extractor, visit, null)).isEmpty();
  }

  @Test
  void declaresFiveContextualSignals() {
    assertThat(extractor.name()).isEqualTo("time");
    assertThat(extractor.signals())
        .extracting(s -> s.key())
        .containsExactly("daypart", "weekday", "weekend", "season", "gifting_period");
    assertThat(extractor.signals()).allMatch(s -> s.kind() == SignalKind.CONTEXTUAL);
  }

  // Seasons and gifting periods

  private static Map<String, Object> at(LocalDate date, String country) {
    Visit.Builder builder = Visit.builder("s");
    if (country != null) {
      builder.header("CF-IPCountry", country);
    }
    return RecordingSink.run(
        new TimeExtractor(), builder.build(), date.atTime(12, 0).atZone(ZoneOffset.UTC));
  }

  private static String seasonAt(String date, String country) {
    Map<String, Object> signals = at(LocalDate.parse(date), country);
    assertThat(signals.get("gifting_period"))
        .isEqualTo(!METEOROLOGICAL.contains(signals.get("season")));
    return (String) signals.get("season");
  }

  private static final List<String> METEOROLOGICAL =
      List.of("winter", "spring", "summer", "autumn");

  @ParameterizedTest
  @CsvSource({
    "2025-03-01, spring",
    "2025-05-31, spring",
    "2025-06-01, summer",
    "2025-08-31, summer",
    "2025-09-01, autumn",
    "2025-10-31, autumn",
    "2025-11-20, autumn",
    "2025-12-25, winter",
    "2026-01-02, winter",
    "2028-02-29, winter"
  })
  void reportsTheMeteorologicalSeasonOutsideGiftingPeriods(String date, String season) {
    assertThat(seasonAt(date, null)).isEqualTo(season);
    assertThat(seasonAt(date, "DE")).isEqualTo(season);
  }

  @ParameterizedTest
  @CsvSource({
    "2025-12-26, AU, summer",
    "2025-07-15, AU, winter",
    "2025-04-15, BR, autumn",
    "2025-10-15, ZA, spring",
    "2025-07-15, NZ, winter",
    "2025-07-15, AR, winter",
    "2025-07-15, CL, winter",
    "2025-07-15, US, summer",
    "2025-07-15, XX, summer",
    "2025-07-15, ZZ, summer"
  })
  void flipsSeasonsSouthOfTheEquator(String date, String country, String season) {
    assertThat(seasonAt(date, country)).isEqualTo(season);
  }

  @ParameterizedTest
  @CsvSource({
    // Black Friday to Cyber Monday; Thanksgiving 2024 was Nov 28, 2025 Nov 27, 2026 Nov 26
    "2024-11-28, autumn",
    "2024-11-29, black_friday",
    "2024-12-02, black_friday",
    "2024-12-03, christmas",
    "2025-11-27, autumn",
    "2025-11-28, black_friday",
    "2025-12-01, black_friday",
    "2025-12-02, christmas",
    "2026-11-26, autumn",
    "2026-11-27, black_friday",
    "2026-11-30, black_friday",
    "2026-12-01, christmas",
    "2030-11-29, black_friday",
    // Christmas run-up
    "2026-12-24, christmas",
    "2026-12-25, winter",
    // Valentine's Day; Lunar New Year 2025 is Jan 29, so its run-up is Jan 15 to 29
    "2025-01-14, winter",
    "2025-01-15, lunar_new_year",
    "2025-01-29, lunar_new_year",
    "2025-01-30, winter",
    "2025-01-31, winter",
    "2025-02-01, valentines",
    "2025-02-14, valentines",
    "2025-02-15, winter",
    // Lunar New Year 2026 is Feb 17: Valentine's wins until the 14th
    "2026-02-02, valentines",
    "2026-02-15, lunar_new_year",
    "2026-02-17, lunar_new_year",
    "2026-02-18, winter",
    "2035-01-24, winter",
    "2035-01-25, lunar_new_year",
    "2035-02-08, valentines",
    "2036-01-25, winter",
    // Singles' Day
    "2025-10-31, autumn",
    "2025-11-01, singles_day",
    "2025-11-11, singles_day",
    "2025-11-12, autumn"
  })
  void reportsGiftingPeriodsOnTheirBoundaries(String date, String season) {
    assertThat(seasonAt(date, null)).isEqualTo(season);
  }

  @ParameterizedTest
  @CsvSource({
    // second Sunday of May: 2025-05-11
    "US, 2025-05-03, spring",
    "US, 2025-05-04, mothers_day",
    "US, 2025-05-11, mothers_day",
    "US, 2025-05-12, spring",
    "CA, 2025-05-11, mothers_day",
    "DE, 2025-05-04, mothers_day",
    "AT, 2025-05-11, mothers_day",
    "CH, 2025-05-12, spring",
    "AU, 2025-05-11, mothers_day",
    "AU, 2025-05-12, autumn",
    // Mothering Sunday: Easter 2025 is Apr 20, 2024 Mar 31
    "GB, 2025-03-22, spring",
    "GB, 2025-03-23, mothers_day",
    "GB, 2025-03-30, mothers_day",
    "GB, 2025-03-31, spring",
    "GB, 2024-03-03, mothers_day",
    "GB, 2024-03-10, mothers_day",
    "GB, 2024-03-11, spring",
    "GB, 2025-05-11, spring",
    "IE, 2025-03-30, mothers_day",
    // Poland, May 26
    "PL, 2025-05-18, spring",
    "PL, 2025-05-19, mothers_day",
    "PL, 2025-05-26, mothers_day",
    "PL, 2025-05-27, spring",
    "PL, 2025-05-11, spring",
    // France: last Sunday of May, June 4 in 2023 when May 28 was Pentecost
    "FR, 2025-05-25, mothers_day",
    "FR, 2025-05-26, spring",
    "FR, 2025-05-17, spring",
    "FR, 2023-05-27, spring",
    "FR, 2023-05-28, mothers_day",
    "FR, 2023-06-04, mothers_day",
    "FR, 2023-06-05, summer",
    "FR, 2024-05-26, mothers_day",
    // Mexico, May 10
    "MX, 2025-05-02, spring",
    "MX, 2025-05-03, mothers_day",
    "MX, 2025-05-10, mothers_day",
    "MX, 2025-05-11, spring",
    // other rules
    "ES, 2025-05-04, mothers_day",
    "AR, 2025-10-19, mothers_day",
    "AR, 2025-10-20, spring",
    "RU, 2025-11-30, mothers_day",
    "NO, 2025-02-09, mothers_day",
    "NO, 2025-02-10, valentines",
    "TH, 2025-08-12, mothers_day",
    "ID, 2025-12-22, mothers_day",
    "ID, 2025-12-23, christmas"
  })
  void reportsMothersDayByCountry(String country, String date, String season) {
    assertThat(seasonAt(date, country)).isEqualTo(season);
  }

  @Test
  void reportsNoMothersDayWithoutAKnownCountry() {
    assertThat(seasonAt("2025-05-11", null)).isEqualTo("spring");
    assertThat(seasonAt("2025-05-11", "XX")).isEqualTo("spring");
    assertThat(seasonAt("2025-05-11", "AQ")).isEqualTo("autumn");
  }

  @Test
  void usesTheConfiguredGeoHeaders() {
    TimeExtractor custom = new TimeExtractor(GiftingCalendar.defaults(), List.of("X-Geo"), 64);
    ZonedDateTime may11 = ZonedDateTime.of(2025, 5, 11, 12, 0, 0, 0, ZoneOffset.UTC);

    assertThat(
            RecordingSink.run(
                custom, Visit.builder("s").header("CF-IPCountry", "US").build(), may11))
        .containsEntry("season", "spring");
    assertThat(RecordingSink.run(custom, Visit.builder("s").header("x-geo", "us").build(), may11))
        .containsEntry("season", "mothers_day")
        .containsEntry("gifting_period", true);
  }

  @Test
  void followsACustomCalendar() {
    GiftingCalendar calendar =
        GiftingCalendar.defaults()
            .without("christmas")
            .with(GiftingPeriod.annual("back_to_school", MonthDay.of(8, 15), MonthDay.of(9, 5)));
    TimeExtractor custom = new TimeExtractor(calendar, CountryExtractor.DEFAULT_HEADERS, 64);

    assertThat(
            RecordingSink.run(
                custom, visit, ZonedDateTime.of(2025, 12, 10, 12, 0, 0, 0, ZoneOffset.UTC)))
        .containsEntry("season", "winter")
        .containsEntry("gifting_period", false);
    assertThat(
            RecordingSink.run(
                custom, visit, ZonedDateTime.of(2025, 9, 5, 23, 59, 0, 0, ZoneOffset.UTC)))
        .containsEntry("season", "back_to_school")
        .containsEntry("gifting_period", true);
    assertThat(
            RecordingSink.run(
                new TimeExtractor(GiftingCalendar.empty(), List.of(), 64),
                visit,
                ZonedDateTime.of(2025, 12, 10, 12, 0, 0, 0, ZoneOffset.UTC)))
        .containsEntry("season", "winter")
        .containsEntry("gifting_period", false);
  }

  // Local time, time zones and DST

  @Test
  void decidesTheDayInTheLocalTimeOfTheArgument() {
    ZonedDateTime utc = ZonedDateTime.of(2026, 11, 30, 23, 30, 0, 0, ZoneOffset.UTC);

    assertThat(RecordingSink.run(extractor, visit, utc)).containsEntry("season", "black_friday");
    assertThat(
            RecordingSink.run(
                extractor, visit, utc.withZoneSameInstant(ZoneId.of("Europe/Berlin"))))
        .containsEntry("season", "christmas")
        .containsEntry("daypart", "night")
        .containsEntry("weekday", "tuesday");
  }

  private static final TimeExtractor VISITOR_ZONES =
      new TimeExtractor(
          GiftingCalendar.defaults(),
          CountryExtractor.DEFAULT_HEADERS,
          TimeExtractor.DEFAULT_TIME_ZONE_HEADERS,
          256);

  private static Map<String, Object> inZone(String zoneHeader, String zone, ZonedDateTime time) {
    return RecordingSink.run(
        VISITOR_ZONES, Visit.builder("s").header(zoneHeader, zone).build(), time);
  }

  @Test
  void readsTheVisitorTimeZoneWhenConfigured() {
    ZonedDateTime utc = ZonedDateTime.of(2025, 1, 31, 15, 30, 0, 0, ZoneOffset.UTC);

    assertThat(inZone("CloudFront-Viewer-Time-Zone", "Asia/Tokyo", utc))
        .containsEntry("daypart", "night")
        .containsEntry("weekday", "saturday")
        .containsEntry("season", "valentines");
    assertThat(inZone("CF-Timezone", " America/Los_Angeles ", utc))
        .containsEntry("daypart", "morning")
        .containsEntry("season", "winter");
  }

  @Test
  void crossesDstTransitionsInTheVisitorZone() {
    // New York springs forward on 2024-03-10 at 07:00Z and falls back on 2024-11-03 at 06:00Z
    String ny = "America/New_York";
    assertThat(inZone("CF-Timezone", ny, ZonedDateTime.parse("2024-03-10T10:59:59Z")))
        .containsEntry("daypart", "morning");
    assertThat(inZone("CF-Timezone", ny, ZonedDateTime.parse("2024-03-09T10:59:59Z")))
        .containsEntry("daypart", "night");
    assertThat(inZone("CF-Timezone", ny, ZonedDateTime.parse("2024-11-03T10:30:00Z")))
        .containsEntry("daypart", "night");
    assertThat(inZone("CF-Timezone", ny, ZonedDateTime.parse("2024-11-02T10:30:00Z")))
        .containsEntry("daypart", "morning");
    // Berlin: the last hour of Saturday 2024-10-26 is 21:59Z in summer time
    assertThat(inZone("CF-Timezone", "Europe/Berlin", ZonedDateTime.parse("2024-10-26T21:59:59Z")))
        .containsEntry("weekday", "saturday")
        .containsEntry("daypart", "evening");
    assertThat(inZone("CF-Timezone", "Europe/Berlin", ZonedDateTime.parse("2024-10-26T22:00:00Z")))
        .containsEntry("weekday", "sunday")
        .containsEntry("daypart", "night");
  }

  @Test
  void decidesTheGiftingDayAcrossADstChangeInTheArgument() {
    // GB Mothering Sunday 2024-03-10 ends at midnight GMT; clocks change on 2024-03-31
    ZoneId london = ZoneId.of("Europe/London");
    Visit gb = Visit.builder("s").header("CF-IPCountry", "GB").build();

    assertThat(
            RecordingSink.run(extractor, gb, ZonedDateTime.of(2024, 3, 10, 23, 59, 59, 0, london)))
        .containsEntry("season", "mothers_day");
    assertThat(RecordingSink.run(extractor, gb, ZonedDateTime.of(2024, 3, 11, 0, 0, 0, 0, london)))
        .containsEntry("season", "spring");
    assertThat(RecordingSink.run(extractor, gb, ZonedDateTime.of(2025, 3, 30, 1, 30, 0, 0, london)))
        .containsEntry("season", "mothers_day")
        .containsEntry("daypart", "night");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "Tokyo",
        "asia/tokyo",
        "Asia/Tokyo/",
        "../../etc/passwd",
        "UTC+25",
        "+09:00",
        "Asia/Tōkyō",
        "\u0000",
        "\uD83D",
        "Asia/Tokyo\uDC00",
        "Mars/Olympus_Mons"
      })
  void ignoresInvalidTimeZones(String zone) {
    ZonedDateTime utc = ZonedDateTime.of(2025, 1, 31, 15, 30, 0, 0, ZoneOffset.UTC);

    assertThat(inZone("CF-Timezone", zone, utc))
        .containsEntry("daypart", "afternoon")
        .containsEntry("weekday", "friday");
  }

  @Test
  void neverThrowsOnHugeOrHostileHeaders() {
    TimeExtractor unbounded =
        new TimeExtractor(
            GiftingCalendar.defaults(),
            CountryExtractor.DEFAULT_HEADERS,
            TimeExtractor.DEFAULT_TIME_ZONE_HEADERS,
            1 << 21);
    String[] values = {
      "Asia/Tokyo" + " ".repeat(1 << 20),
      "A".repeat(1 << 20),
      "\uD800".repeat(1 << 20),
      "\u0000".repeat(1 << 20),
      " AU" + " ".repeat(1 << 20)
    };
    for (String value : values) {
      Visit hostile =
          Visit.builder("s")
              .header("CF-IPCountry", value)
              .header("CF-Timezone", value)
              .header("CloudFront-Viewer-Time-Zone", value)
              .build();

      assertThat(RecordingSink.run(unbounded, hostile).keySet())
          .containsExactly("daypart", "weekday", "weekend", "season", "gifting_period");
    }
  }

  @Test
  void handlesExtremeTimes() {
    ZonedDateTime min = ZonedDateTime.of(LocalDate.MIN.atStartOfDay(), ZoneOffset.UTC);
    ZonedDateTime max = ZonedDateTime.of(LocalDate.MAX.atTime(23, 0), ZoneOffset.UTC);
    Visit tokyo = Visit.builder("s").header("CF-Timezone", "Asia/Tokyo").build();

    assertThat(RecordingSink.run(VISITOR_ZONES, tokyo, min))
        .containsOnlyKeys("daypart", "weekday", "weekend");
    assertThat(RecordingSink.run(VISITOR_ZONES, tokyo, max))
        .containsOnlyKeys("daypart", "weekday", "weekend");
    assertThat(
            RecordingSink.run(
                extractor, visit, ZonedDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)))
        .containsEntry("season", "winter");
    assertThat(
            RecordingSink.run(
                extractor, visit, ZonedDateTime.of(9999, 12, 31, 23, 0, 0, 0, ZoneOffset.UTC)))
        .containsEntry("season", "winter");
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatNullPointerException()
        .isThrownBy(() -> new TimeExtractor(null, CountryExtractor.DEFAULT_HEADERS, 64));
    assertThatNullPointerException()
        .isThrownBy(() -> new TimeExtractor(GiftingCalendar.defaults(), null, 64));
    assertThatNullPointerException()
        .isThrownBy(() -> new TimeExtractor(GiftingCalendar.defaults(), List.of(), null, 64));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TimeExtractor(GiftingCalendar.defaults(), List.of(), 0));
  }
}
