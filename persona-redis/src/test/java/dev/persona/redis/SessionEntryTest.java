package dev.persona.redis;

import static dev.persona.redis.Fixtures.patientStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionStore;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The session's entry lives in its shared state: a shopper who landed through one instance keeps
 * the entry on the in-site pages another instance serves, and a campaign landing on either replaces
 * it for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionEntryTest {
  private static final String HOST = "shop.example.com";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private LocalRedis redis;

  @BeforeAll
  void start() {
    redis = RedisServer.start();
  }

  @AfterAll
  void stop() {
    redis.close();
  }

  private PersonaEngine engine(SessionStore store) {
    return PersonaEngine.builder()
        .ruleSet(
            RuleSet.builder("entry-1")
                .placement(Placement.of("home.hero", Variant.builder("d").asDefault().build()))
                .build())
        .clock(clock)
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  @Test
  void theEntry_isSharedByTheInstances_andACampaignLandingOnEitherReplacesIt() {
    try (RedisSessionStore one = patientStore(redis).build();
        RedisSessionStore two = patientStore(redis).build()) {
      PersonaEngine a = engine(one);
      PersonaEngine b = engine(two);

      a.decide(
          Visit.builder("s1")
              .header("Host", HOST)
              .header("Referer", "https://l.instagram.com/")
              .query("utm_campaign", "spring-influencer-drop")
              .build());
      clock.advance(Duration.ofMinutes(1));
      Decision inSite = b.decide(page("s1"));

      assertThat(inSite.signal("traffic_source").value()).isEqualTo("internal");
      assertThat(inSite.signal("entry_source").value()).isEqualTo("organic_social");
      assertThat(inSite.signal("entry_campaign").value()).isEqualTo("spring-influencer-drop");
      assertThat(inSite.signal("entry_referrer_host").value()).isEqualTo("l.instagram.com");

      clock.advance(Duration.ofMinutes(1));
      b.decide(
          Visit.builder("s1")
              .header("Host", HOST)
              .query("utm_source", "newsletter")
              .query("utm_medium", "email")
              .query("utm_campaign", "winter-sale")
              .build());
      clock.advance(Duration.ofMinutes(1));
      Decision after = a.decide(page("s1"));

      assertThat(after.signal("entry_source").value()).isEqualTo("email");
      assertThat(after.signal("entry_campaign").value()).isEqualTo("winter-sale");
      assertThat(after.signal("entry_referrer_host")).isNull();
    }
  }

  private static Visit page(String session) {
    return Visit.builder(session)
        .header("Host", HOST)
        .header("Referer", "https://" + HOST + "/")
        .build();
  }
}
