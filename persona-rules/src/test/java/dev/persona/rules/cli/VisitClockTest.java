package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class VisitClockTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void fallsBackUntilAVisitIsSeen_thenFollowsTheLatestVisit() {
    VisitClock clock = new VisitClock(Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(clock.instant()).isEqualTo(NOW);
    clock.observe(Instant.parse("2026-11-10T12:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-10T12:00:00Z"));
    clock.observe(Instant.parse("2026-11-10T11:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-10T12:00:00Z"));
    clock.observe(Instant.parse("2026-11-10T12:30:00Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-11-10T12:30:00Z").toEpochMilli());
  }
}
