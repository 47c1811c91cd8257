package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class ZoneOffsetsTest {

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("Europe/Warsaw"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Pacific/Apia"),
          ZoneId.of("Asia/Kolkata"),
          ZoneId.of("UTC"),
          ZoneOffset.UTC,
          ZoneOffset.ofHoursMinutes(5, 30));

  @Test
  void offset_aroundEveryTransitionOfACentury_isTheZoneRulesOffset() {
    for (ZoneId zone : ZONES) {
      ZoneOffsets offsets = ZoneOffsets.of(zone);
      ZoneRules rules = zone.getRules();
      for (long second : secondsAroundTransitions(rules)) {
        assertThat(offsets.offsetSeconds(second))
            .as("%s at %s", zone, Instant.ofEpochSecond(second))
            .isEqualTo(rules.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds());
      }
    }
  }

  @Test
  void offset_atRandomInstantsInRandomOrder_isTheZoneRulesOffset() {
    Random random = new Random(42);
    for (ZoneId zone : ZONES) {
      ZoneOffsets offsets = ZoneOffsets.of(zone);
      for (int i = 0; i < 20_000; i++) {
        long second =
            i % 3 == 0
                ? random.nextLong() % 100_000_000_000L
                : 1_700_000_000L + random.nextInt(200_000_000);
        assertThat(offsets.offsetSeconds(second))
            .as("%s at %s", zone, second)
            .isEqualTo(zone.getRules().getOffset(Instant.ofEpochSecond(second)).getTotalSeconds());
      }
    }
  }

  @Test
  void of_sharesTheOffsetsOfAZone() {
    assertThat(ZoneOffsets.of(ZoneId.of("Europe/Warsaw")))
        .isSameAs(ZoneOffsets.of(ZoneId.of("Europe/Warsaw")));
  }

  private static List<Long> secondsAroundTransitions(ZoneRules rules) {
    List<Long> out = new ArrayList<>();
    Instant at = Instant.parse("1950-01-01T00:00:00Z");
    Instant end = Instant.parse("2050-01-01T00:00:00Z");
    out.add(at.getEpochSecond());
    for (ZoneOffsetTransition t = rules.nextTransition(at);
        t != null && t.getInstant().isBefore(end);
        t = rules.nextTransition(t.getInstant())) {
      long s = t.toEpochSecond();
      for (long d : new long[] {-3600, -1, 0, 1, 3599, 0, -1}) {
        out.add(s + d);
      }
    }
    return out;
  }
}
