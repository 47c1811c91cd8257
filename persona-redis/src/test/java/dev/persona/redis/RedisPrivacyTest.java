package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.holdsState;
import static dev.persona.redis.Fixtures.patientStore;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Erasure and consent withdrawal reach Redis, for every instance. */
final class RedisPrivacyTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void noIdAppearsInAnyLogLine_whileRedisFails() {
    String session = "sess-SECRET-4711";
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (RedisServer own = RedisServer.start();
        RedisSessionStore store =
            RedisSessionStore.builder(own.uri()).commandTimeout(Duration.ofMillis(50)).build()) {
      PersonaEngine engine = engine(store);
      engine.decide(productView(session));
      own.stop();
      for (int i = 0; i < 3; i++) {
        engine.decide(Visit.builder(session).userId("user-SECRET-0815").build());
      }
      engine.forget(session); // waits in the queue: Redis is down
      own.startAgain();
      byte[] key = store.redisKey(session).getBytes(StandardCharsets.UTF_8);
      own.admin(r -> r.set(key, "SECRET garbage".getBytes(StandardCharsets.UTF_8)));
      engine.decide(productView(session));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log).contains("WARN dev.persona.redis", "DEBUG dev.persona.redis");
    assertThat(log).doesNotContain("SECRET");
  }

  @Test
  void forget_erasesTheState_forEveryInstance() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      first.decide(productView("erase-me"));
      second.decide(productView("erase-me"));
      assertThat(redis.keys()).contains(a.redisKey("erase-me"));

      first.forget("erase-me");

      assertThat(holdsState(redis, a.redisKey("erase-me"))).isFalse();
      Decision d = second.decide(productView("erase-me"));
      assertThat(signal(d, "requests")).isEqualTo(1);
      assertThat(signal(d, "product_views")).isEqualTo(1);
    }
  }

  @Test
  void forgetUser_erasesTheirSessions() {
    try (RedisSessionStore store = patientStore(redis).build()) {
      PersonaEngine engine = engine(store);
      engine.decide(Visit.builder("phone").userId("u1").event(Event.of("product_view")).build());
      engine.decide(Visit.builder("laptop").userId("u1").event(Event.of("product_view")).build());

      assertThat(engine.forgetUser("u1")).isEqualTo(2);

      assertThat(holdsState(redis, store.redisKey("phone"))).isFalse();
      assertThat(holdsState(redis, store.redisKey("laptop"))).isFalse();
      assertThat(redis.keys()).noneMatch(k -> k.contains("u1"));
    }
  }

  @Test
  void globalPrivacyControl_dropsTheStoredState() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      engine(a).decide(productView("gpc"));
      assertThat(redis.keys()).contains(a.redisKey("gpc"));

      Decision optedOut =
          engine(b)
              .decide(
                  Visit.builder("gpc")
                      .header("Sec-GPC", "1")
                      .event(Event.of("product_view"))
                      .build());

      assertThat(optedOut.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
      assertThat(optedOut.flags()).isEmpty();
      assertThat(holdsState(redis, a.redisKey("gpc"))).isFalse();
      assertThat(signal(engine(a).decide(productView("gpc")), "requests")).isEqualTo(1);
    }
  }

  @Test
  void aDenialMadeOnOneInstance_holds_whenAnotherInstanceDropsTheSessionRightAfter() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onB.decide(productView("deny")); // b's copy, confirmed now: within maxStaleness (1 s)
      onA.decide(Visit.builder("deny").declared("consent", "denied").build());
      RedisServer.sleep(500); // b heard of a's write; still within maxStaleness (1 s) of its copy

      // Sec-GPC on b: the session's state is dropped, unless it holds a denial, which is kept
      onB.decide(Visit.builder("deny").header("Sec-GPC", "1").build());

      assertThat(onA.decide(productView("deny")).consent())
          .as("the denial holds")
          .isEqualTo(ConsentMode.REQUEST_ONLY);
    }
  }
}
