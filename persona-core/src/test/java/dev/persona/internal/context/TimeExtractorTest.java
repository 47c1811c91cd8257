package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.Visit;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            entry("daypart", "morning"), entry("weekday", "wednesday"), entry("weekend", false));
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
  void ignoresTheVisit() {
    Visit withHeaders = Visit.builder("s").header("Date", "Sun, 09 Jun 2024 03:00:00 GMT").build();

    assertThat(RecordingSink.run(extractor, withHeaders)).containsEntry("weekday", "wednesday");
    assertThat(RecordingSink.run(extractor, null)).containsEntry("weekday", "wednesday");
  }

  @Test
  void emitsNothingWithoutATime() {
    assertThat(RecordingSink.run(extractor, visit, null)).isEmpty();
  }

  @Test
  void declaresThreeContextualSignals() {
    assertThat(extractor.name()).isEqualTo("time");
    assertThat(extractor.signals())
        .extracting(s -> s.key())
        .containsExactly("daypart", "weekday", "weekend");
    assertThat(extractor.signals()).allMatch(s -> s.kind() == SignalKind.CONTEXTUAL);
  }
}
