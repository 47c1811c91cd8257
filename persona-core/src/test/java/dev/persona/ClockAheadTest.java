package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionStore;
import dev.persona.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times ahead of the engine's clock: a visit stamped in the future, an instance running ahead. */
final class ClockAheadTest {
  private static final Instant NOON = Instant.parse("2026-11-10T12:00:00Z");
  private final MutableClock clock = new MutableClock(NOON);
  private final SessionStore shared = SessionStore.inMemory(1_000, Duration.ofHours(12), clock);

  @Test
  void aVisitStampedAheadOfTheClock_countsAsNow_andIsFlagged() {
    PersonaEngine engine = engine(clock);

    Decision ahead =
        engine.decide(
            Visit.builder("s1")
                .event(Event.of("product_view"))
                .timestamp(NOON.plus(Duration.ofHours(6)))
                .build());
    Decision later = null;
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      later = engine.decide(Visit.builder("s1").event(Event.of("product_view")).build());
    }

    assertThat(ahead.flags()).containsExactly(Decision.Flag.CLOCK_AHEAD);
    assertThat(later.flags()).isEmpty();
    assertThat((Double) later.signal("product_views").value()).isCloseTo(11, within(0.02));
  }

  @Test
  void aVisitStampedAheadWithinTheTolerance_keepsItsTime() {
    PersonaEngine engine = engine(clock);

    Decision d =
        engine.decide(
            Visit.builder("s1")
                .event(Event.of("product_view"))
                .timestamp(NOON.plus(Duration.ofSeconds(30)))
                .build());

    assertThat(d.flags()).isEmpty();
  }

  @Test
  void anInstanceWhoseClockRunsAhead_doesNotMakeLaterEventsCountLess() {
    PersonaEngine aheadByAnHour = engine(Clock.offset(clock, Duration.ofHours(1)));
    PersonaEngine correct = engine(clock);

    aheadByAnHour.decide(Visit.builder("s1").event(Event.of("product_view")).build());
    Decision first = correct.decide(Visit.builder("s1").event(Event.of("product_view")).build());
    Decision last = first;
    for (int i = 1; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      last = correct.decide(Visit.builder("s1").event(Event.of("product_view")).build());
    }

    assertThat(first.flags()).containsExactly(Decision.Flag.CLOCK_AHEAD);
    assertThat(last.flags()).isEmpty();
    assertThat((Double) last.signal("product_views").value()).isCloseTo(11, within(0.02));
    assertThat(last.signal("requests").value()).isEqualTo(11.0);
  }

  private PersonaEngine engine(Clock engineClock) {
    return PersonaEngine.builder()
        .ruleSet(TestRules.ruleSet())
        .clock(engineClock)
        .sessions(SessionConfig.store(shared).build())
        .build();
  }
}
