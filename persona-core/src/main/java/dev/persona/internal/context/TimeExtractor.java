package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Emits the part of the day, the weekday and whether it is the weekend, in local time. */
public final class TimeExtractor implements SignalExtractor {

  private static final String DAYPART = "daypart";
  private static final String WEEKDAY = "weekday";
  private static final String WEEKEND = "weekend";
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
              "Whether the local day is a Saturday or Sunday"));

  /** Creates the extractor. */
  public TimeExtractor() {}

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
    sink.text(DAYPART, daypart(localTime.getHour()));
    DayOfWeek day = localTime.getDayOfWeek();
    sink.text(WEEKDAY, day.name().toLowerCase(Locale.ROOT));
    sink.flag(WEEKEND, day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY);
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
