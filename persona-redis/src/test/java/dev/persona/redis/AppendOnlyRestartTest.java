package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With Redis on an append-only file, a crash loses neither sessions nor statistics. */
final class AppendOnlyRestartTest {

  @Test
  void aRedisKilledAndRestarted_withItsAppendOnlyFile_keepsSessionsAndStatistics() {
    try (RedisServer redis = RedisServer.startWithAof()) {
      List<VariantStats> before;
      try (RedisSessionStore sessions = Fixtures.patientStore(redis).build();
          RedisStatsStore stats =
              RedisStatsStore.builder(redis.uri()).commandTimeout(Duration.ofSeconds(5)).build()) {
        PersonaEngine engine = engine(sessions);
        for (int i = 0; i < 5; i++) {
          engine.decide(productView("kept"));
        }
        for (int i = 0; i < 7; i++) {
          stats.add(
              "outcome-" + i,
              VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                  .exposures(1)
                  .clicks(i % 2)
                  .build());
        }
        before = stats.snapshot();
      }
      assertThat(before).isNotEmpty();

      redis.kill(); // SIGKILL: no shutdown save
      redis.startAgain();

      try (RedisSessionStore sessions = Fixtures.patientStore(redis).build();
          RedisStatsStore stats =
              RedisStatsStore.builder(redis.uri()).commandTimeout(Duration.ofSeconds(5)).build()) {
        Decision d = engine(sessions).decide(Visit.builder("kept").build());
        assertThat(signal(d, "product_views")).isEqualTo(5);
        assertThat(signal(d, "requests")).isEqualTo(6);
        assertThat(stats.snapshot()).containsExactlyInAnyOrderElementsOf(before);
        stats.add( // recorded before the crash: its id survived too
            "outcome-3",
            VariantStats.builder("home.hero", "flash-sale", "value_hunter").exposures(1).build());
        assertThat(stats.snapshot()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(sessions.stats().restored()).isZero();
      }
    }
  }
}
