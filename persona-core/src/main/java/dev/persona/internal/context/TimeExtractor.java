package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.config.GiftingCalendar;
import dev.persona.spi.SignalSink;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emits the part of the day, the weekday, whether it is the weekend and the season, in local time.
 * The season is the gifting period the day is in, from a {@link GiftingCalendar}, else the
 * meteorological season, flipped for southern-hemisphere countries. The country comes from the same
 * geolocation headers as the {@code country} signal; the local time is the engine's, or the
 * visitor's when a configured time-zone header holds a valid IANA zone.
 */
public final class TimeExtractor implements BuiltInExtractor {

  /** The visitor time-zone headers of Amazon CloudFront and Cloudflare, in that order. */
  public static final List<String> DEFAULT_TIME_ZONE_HEADERS =
      List.of("CloudFront-Viewer-Time-Zone", "CF-Timezone");

  private static final int DEFAULT_MAX_HEADER_LENGTH = 2048;
  private static final int MAX_ZONE_ID_LENGTH = 64;
  private static final int MIN_SEASON_YEAR = 1;
  private static final int MAX_SEASON_YEAR = 9999;
  private static final Set<String> ZONE_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());
  private static final Map<String, ZoneOffsets> ZONES = new ConcurrentHashMap<>();
  private static final long SECONDS_PER_DAY = 86_400;

  private static final String DAYPART = "daypart";
  private static final String WEEKDAY = "weekday";
  private static final String WEEKEND = "weekend";
  private static final String SEASON = "season";
  private static final String GIFTING_PERIOD = "gifting_period";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              DAYPART,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Part of the local day: night, morning, afternoon or evening"),
          new SignalSpec(
              WEEKDAY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Local day of the week, monday to sunday"),
          new SignalSpec(
              WEEKEND,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Whether the local day is a Saturday or Sunday"),
          new SignalSpec(
              SEASON,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Gifting period such as christmas, else winter, spring, summer or autumn"),
          new SignalSpec(
              GIFTING_PERIOD,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Whether the local day is in a gifting period of the calendar"));

  private static final String[] WEEKDAYS =
      Arrays.stream(DayOfWeek.values())
          .map(d -> d.name().toLowerCase(Locale.ROOT))
          .toArray(String[]::new);

  private final GiftingCalendar calendar;
  private final List<String> geoHeaders;
  private final List<String> timeZoneHeaders;
  private final int maxHeaderLength;
  private final LocalDays days = new LocalDays();

  /**
   * Creates the extractor with the default calendar, the default geolocation headers and no
   * time-zone headers.
   */
  public TimeExtractor() {
    this(GiftingCalendar.defaults(), CountryExtractor.DEFAULT_HEADERS, DEFAULT_MAX_HEADER_LENGTH);
  }

  /**
   * Creates the extractor, reading no time-zone headers: local time is the engine's.
   *
   * @param calendar the gifting periods
   * @param geoHeaders the headers that may hold the visitor's country, in order of preference
   * @param maxHeaderLength characters read of each header, positive
   */
  public TimeExtractor(GiftingCalendar calendar, List<String> geoHeaders, int maxHeaderLength) {
    this(calendar, geoHeaders, List.of(), maxHeaderLength);
  }

  /**
   * Creates the extractor.
   *
   * @param calendar the gifting periods
   * @param geoHeaders the headers that may hold the visitor's country, in order of preference
   * @param timeZoneHeaders the headers that may hold the visitor's IANA time zone, such as {@link
   *     #DEFAULT_TIME_ZONE_HEADERS}; empty to always use the engine's time zone
   * @param maxHeaderLength characters read of each header, positive
   */
  public TimeExtractor(
      GiftingCalendar calendar,
      List<String> geoHeaders,
      List<String> timeZoneHeaders,
      int maxHeaderLength) {
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    this.geoHeaders = CountryExtractor.lowerCase(Objects.requireNonNull(geoHeaders, "geoHeaders"));
    this.timeZoneHeaders =
        CountryExtractor.lowerCase(Objects.requireNonNull(timeZoneHeaders, "timeZoneHeaders"));
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
  }

  @Override
  public String name() {
    return "time";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (localTime == null) {
      return;
    }
    extract(visit, localTime.toEpochSecond(), localTime.getOffset().getTotalSeconds(), sink);
  }

  /**
   * Emits the signals for a request at {@code epochMillis} in the engine's zone; the engine's path,
   * which spares the {@link ZonedDateTime} of {@link #extract(Visit, ZonedDateTime, SignalSink)}.
   *
   * @param visit the request
   * @param epochMillis the request's time
   * @param zone the engine's time zone
   * @param sink receives the signals
   */
  @Override
  public void extract(Visit visit, long epochMillis, ZoneOffsets zone, SignalSink sink) {
    long second = Math.floorDiv(epochMillis, 1000);
    extract(visit, second, zone.offsetSeconds(second), sink);
  }

  private void extract(Visit visit, long epochSecond, int offsetSeconds, SignalSink sink) {
    long local = epochSecond + offsetSeconds;
    LocalDays.Day day = days.at(Math.floorDiv(local, SECONDS_PER_DAY));
    ZoneOffsets visitorZone = visitorZone(visit);
    if (visitorZone != null && inSeasonYears(day.year())) {
      local = epochSecond + visitorZone.offsetSeconds(epochSecond);
      day = days.at(Math.floorDiv(local, SECONDS_PER_DAY));
    }
    sink.text(DAYPART, daypart((int) (Math.floorMod(local, SECONDS_PER_DAY) / 3600)));
    DayOfWeek weekday = day.weekday();
    sink.text(WEEKDAY, WEEKDAYS[weekday.ordinal()]);
    sink.flag(WEEKEND, weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY);
    if (!inSeasonYears(day.year())) {
      return;
    }
    String country = CountryExtractor.country(visit, geoHeaders, maxHeaderLength);
    LocalDays.Season season = day.season(country, calendar);
    sink.text(SEASON, season.name());
    sink.flag(GIFTING_PERIOD, season.gifting());
  }

  private ZoneOffsets visitorZone(Visit visit) {
    if (visit == null) {
      return null;
    }
    for (int i = 0; i < timeZoneHeaders.size(); i++) {
      ZoneOffsets zone = zone(HeaderText.header(visit, timeZoneHeaders.get(i), maxHeaderLength));
      if (zone != null) {
        return zone;
      }
    }
    return null;
  }

  /** Returns the zone of a known IANA region id such as Europe/Warsaw, else null; never throws. */
  static ZoneOffsets zone(String value) {
    if (value == null) {
      return null;
    }
    String id = value.strip();
    if (id.isEmpty() || id.length() > MAX_ZONE_ID_LENGTH || !ZONE_IDS.contains(id)) {
      return null;
    }
    return ZONES.computeIfAbsent(id, k -> ZoneOffsets.of(ZoneId.of(k)));
  }

  /** The meteorological season of a month, flipped south of the equator. */
  static String season(int month, String country) {
    int quarter = (month % 12) / 3; // Dec-Feb 0, Mar-May 1, Jun-Aug 2, Sep-Nov 3
    if (CountryCodes.isSouthern(country)) {
      quarter = (quarter + 2) % 4;
    }
    return switch (quarter) {
      case 0 -> "winter";
      case 1 -> "spring";
      case 2 -> "summer";
      default -> "autumn";
    };
  }

  private static boolean inSeasonYears(int year) {
    return year >= MIN_SEASON_YEAR && year <= MAX_SEASON_YEAR;
  }

  private static String daypart(int hour) {
    if (hour < 6) {
      return "night";
    }
    if (hour < 12) {
      return "morning";
    }
    return hour < 18 ? "afternoon" : "evening";
  }
}
