package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Visit;
import dev.persona.config.GiftingCalendar;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's path into {@link TimeExtractor} (epoch millis, cached offsets and days) against the
 * public one (a {@link ZonedDateTime}) and against the plain {@code java.time} computation.
 */
final class TimeExtractorPathsTest {

  private static final List<ZoneId> ENGINE_ZONES =
      List.of(
          ZoneOffset.UTC,
          ZoneId.of("Europe/Warsaw"),
          ZoneId.of("America/Los_Angeles"),
          ZoneId.of("Australia/Sydney"),
          ZoneOffset.ofHours(-11));
  private static final String[] VISITOR_ZONES = {
    null, "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Not/A_Zone"
  };
  private static final Set<String> ZONE_IDS = ZoneId.getAvailableZoneIds();
  private static final String[] COUNTRIES = {null, "US", "GB", "PL", "BR", "AU", "JP"};

  private final TimeExtractor extractor =
      new TimeExtractor(
          GiftingCalendar.defaults(),
          CountryExtractor.DEFAULT_HEADERS,
          TimeExtractor.DEFAULT_TIME_ZONE_HEADERS,
          256);

  @Test
  void enginePath_emitsWhatTheZonedDateTimePathAndJavaTimeSay() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      long millis =
          switch (i % 4) {
            case 0 -> 1_760_000_000_000L + (long) (random.nextDouble() * 200 * 86_400_000L);
            case 1 -> (long) ((random.nextDouble() - 0.5) * 2 * 300_000_000_000_000L);
            case 2 -> (long) ((random.nextDouble() - 0.5) * 2 * (1L << 52));
            default -> -62_135_596_800_000L + random.nextInt(3) * 86_400_000L - 43_200_000L;
          };
      ZoneId zone = ENGINE_ZONES.get(random.nextInt(ENGINE_ZONES.size()));
      Visit.Builder b = Visit.builder("s");
      String visitorZone = VISITOR_ZONES[random.nextInt(VISITOR_ZONES.length)];
      if (visitorZone != null) {
        b.header("CF-Timezone", visitorZone);
      }
      String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
      if (country != null) {
        b.header("CF-IPCountry", country);
      }
      Visit visit = b.build();
      ZonedDateTime local = Instant.ofEpochMilli(millis).atZone(zone);

      RecordingSink fast = new RecordingSink(extractor.signals());
      extractor.extract(visit, millis, ZoneOffsets.of(zone), fast);
      Map<String, Object> expected = javaTime(local, visitorZone, country);

      assertThat(fast.values()).as("%s in %s", local, visitorZone).isEqualTo(expected);
      assertThat(RecordingSink.run(extractor, visit, local)).isEqualTo(expected);
    }
  }

  /** What the extractor emitted before it cached anything: straight from java.time. */
  private static Map<String, Object> javaTime(
      ZonedDateTime localTime, String visitorZone, String country) {
    Map<String, Object> out = new LinkedHashMap<>();
    ZonedDateTime time = localTime;
    boolean valid = visitorZone != null && ZONE_IDS.contains(visitorZone);
    if (valid && inYears(localTime.getYear())) {
      time = localTime.withZoneSameInstant(ZoneId.of(visitorZone));
    }
    int hour = time.getHour();
    out.put(
        "daypart",
        hour < 6 ? "night" : hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening");
    DayOfWeek day = time.getDayOfWeek();
    out.put("weekday", day.name().toLowerCase(Locale.ROOT));
    out.put("weekend", day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY);
    LocalDate date = time.toLocalDate();
    if (!inYears(date.getYear())) {
      return out;
    }
    String period = GiftingCalendar.defaults().periodAt(date, country);
    out.put(
        "season", period != null ? period : TimeExtractor.season(date.getMonthValue(), country));
    out.put("gifting_period", period != null);
    return out;
  }

  private static boolean inYears(int year) {
    return year >= 1 && year <= 9999;
  }
}
