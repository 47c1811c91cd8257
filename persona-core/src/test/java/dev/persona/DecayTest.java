package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.SessionConfig;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class DecayTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(TestRules.ruleSet())
          .clock(clock)
          .sessions(
              SessionConfig.inMemory(SessionConfig.DEFAULT_MAX_SESSIONS)
                  .idleTimeout(Duration.ofHours(2))
                  .halfLife(Duration.ofMinutes(10))
                  .build())
          .build();

  @Test
  void implicitCounts_halveEveryHalfLife() {
    engine.decide(sale("s1"));
    engine.decide(sale("s1"));

    clock.advance(Duration.ofMinutes(10));
    Signal afterOne = engine.decide(Visit.builder("s1").build()).signal("sale_views");
    clock.advance(Duration.ofMinutes(10));
    Signal afterTwo = engine.decide(Visit.builder("s1").build()).signal("sale_views");

    assertThat((Double) afterOne.value()).isCloseTo(1.0, within(1e-9));
    assertThat(afterOne.strength()).isCloseTo(0.5, within(1e-9));
    assertThat((Double) afterTwo.value()).isCloseTo(0.5, within(1e-9));
    assertThat(afterTwo.strength()).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void decayedBehaviour_stopsFiringRules() {
    engine.decide(sale("s2"));
    Decision fresh = engine.decide(sale("s2"));
    assertThat(fresh.score("value_hunter")).isEqualTo(0.4);

    clock.advance(Duration.ofMinutes(5));
    Decision later = engine.decide(Visit.builder("s2").build());

    assertThat((Double) later.signal("sale_views").value()).isLessThan(2);
    assertThat(later.score("value_hunter")).isZero();
  }

  @Test
  void scaledRules_addLessForOlderBehaviour() {
    engine.decide(
        Visit.builder("s3")
            .event(Event.of("view_reviews"))
            .event(Event.of("view_reviews"))
            .build());
    double fresh = engine.decide(Visit.builder("s3").build()).score("researcher");

    clock.advance(Duration.ofMinutes(5));
    double older = engine.decide(Visit.builder("s3").build()).score("researcher");

    assertThat(fresh).isCloseTo(0.30, within(1e-9));
    assertThat(older).isCloseTo(0.30 * Math.sqrt(0.5), within(1e-9));
  }

  @Test
  void eventTimestamps_decayFromWhenTheyHappened() {
    Instant tenMinutesAgo = clock.instant().minus(Duration.ofMinutes(10));
    Visit visit =
        Visit.builder("s4").event(Event.builder("product_view").at(tenMinutesAgo).build()).build();

    Signal views = engine.decide(visit).signal("product_views");

    assertThat((Double) views.value()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void idleSessions_startAfresh() {
    engine.decide(sale("s5"));

    clock.advance(Duration.ofHours(3));
    Decision d = engine.decide(Visit.builder("s5").build());

    assertThat(d.signal("sale_views")).isNull();
    assertThat(d.signal("requests").value()).isEqualTo(1.0);
  }

  private static Visit sale(String session) {
    return Visit.builder(session)
        .event(Event.builder("product_view").attribute("on_sale", true).build())
        .build();
  }
}
