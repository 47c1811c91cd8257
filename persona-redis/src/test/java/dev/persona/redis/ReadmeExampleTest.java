package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.testing.RedisServer;
import dev.persona.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/redis.md, compiled and run against a real server, and kept the same as the
 * document shows.
 */
final class ReadmeExampleTest {
  private static final Path DOC = Path.of("..", "docs", "redis.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/persona/redis/ReadmeExampleTest.java");

  @Test
  void theDocumentShowsThisTestsExample() throws IOException {
    String shown = Snippets.javaBlock(DOC, "# Sessions and statistics on Redis (`persona-redis`)");
    String run = Snippets.region(SOURCE, "README example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void readmeExample_runs() {
    try (RedisServer redis = RedisServer.start()) {
      String redisUri = redis.uri();
      RuleSet rules = RuleSetReader.defaultRuleSet();

      // README example begins
      RedisSessionStore sessions =
          RedisSessionStore.builder(redisUri) // "redis://host:6379"
              .keyPrefix("shop:")
              .sessionTtl(Duration.ofMinutes(30)) // the same as the engine's idle timeout
              .commandTimeout(Duration.ofMillis(50)) // the most Redis may add to a call
              .build();
      RedisStatsStore stats = RedisStatsStore.builder(redisUri).keyPrefix("shop:").build();

      PersonaEngine engine =
          PersonaEngine.builder()
              .ruleSet(rules)
              .sessions(SessionConfig.store(sessions).idleTimeout(Duration.ofMinutes(30)).build())
              .experiments(ExperimentConfig.builder().statsStore(stats).build())
              .build();

      Decision decision = engine.decide(Visit.builder("s1").build());
      if (decision.flags().contains(Decision.Flag.STORE_DEGRADED)) {
        // Redis was slow or away: decided with what this instance knew of the session
      }
      engine.recordOutcome(Outcome.shown("s1", decision.variant("home.hero")));

      // at shutdown
      sessions.close();
      stats.close();
      // README example ends

      // A cold JVM may miss the 5 ms on the first calls; then a key is written by the next ones.
      assertThat(redis.keys())
          .isSubsetOf(sessions.redisKey("s1"), "shop:{stats}", "shop:{stats}:o", "shop:{alive}");
      assertThat(decision.isDefault()).isFalse();
    }
  }
}
