package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A read ({@code get}: bots, consent given earlier, a request that drops its session) answers from
 * a copy only while no other instance's write or erasure of it was reported: {@code maxStaleness}
 * bounds a copy's age only while Redis does not report. Before, a copy Redis confirmed within
 * {@code maxStaleness} was read though Redis had reported its erasure, so a denial of consent made
 * on another instance a moment before was erased by a {@code Sec-GPC} request.
 */
final class ReadAfterReportTest extends WithRedis {
  @Test
  void aCopyAnotherInstanceErasedOrWrote_isNotRead_withinMaxStaleness() {
    try (RedisSessions a = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions b = lenient(redis.uri())) {
      PersonaEngine onA = engine(a);
      onA.decide(productView("s"));
      assertThat(b.get("s").visits()).isEqualTo(1); // b's copy, confirmed now

      onA.decide(productView("s"));
      awaitTrue(() -> b.get("s").visits() == 2, 5);

      a.remove("s");
      awaitTrue(() -> b.get("s") == null, 5);
    }
  }

  /** Sessions whose copies a read may answer with for 30 s while Redis does not report. */
  private static RedisSessions lenient(String uri) {
    return new RedisSessions(
        Races.link(uri),
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        1_000,
        Duration.ofSeconds(30),
        1_000,
        Clock.systemUTC(),
        false);
  }
}
