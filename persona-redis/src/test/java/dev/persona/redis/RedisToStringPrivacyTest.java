package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.RedisServer;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No {@code toString} of persona-redis's public types shows an id, as {@code ToStringPrivacyTest}
 * checks for persona-core: every public type of {@code dev.persona.redis} has an instance here,
 * made while requests with planted session, user, order and outcome ids go through Redis and while
 * Redis is down. A new public type fails the test until it has one.
 */
final class RedisToStringPrivacyTest {
  private static final String SESSION = "planted-session-7f3a";
  private static final String USER = "planted-user-91c2";
  private static final String ORDER = "planted-order-5d0e";
  private static final String OUTCOME_ID = "planted-outcome-b4e8";

  @Test
  void noPublicTypesToString_showsAnId() throws Exception {
    List<Object> shown = new ArrayList<>();
    Set<String> ids = new TreeSet<>(List.of(SESSION, USER, ORDER, OUTCOME_ID));
    try (RedisServer redis = RedisServer.start()) {
      RedisSessionStore.Builder sessionsBuilder =
          RedisSessionStore.builder(redis.uri()).commandTimeout(Duration.ofMillis(200));
      RedisStatsStore.Builder statsBuilder =
          RedisStatsStore.builder(redis.uri()).commandTimeout(Duration.ofMillis(200));
      shown.add(sessionsBuilder);
      shown.add(statsBuilder);
      try (RedisSessionStore sessions = sessionsBuilder.build();
          RedisStatsStore stats = statsBuilder.build()) {
        PersonaEngine engine =
            PersonaEngine.builder()
                .ruleSet(Fixtures.RULES)
                .clock(Fixtures.CLOCK)
                .sessions(SessionConfig.store(sessions).build())
                .experiments(ExperimentConfig.builder().statsStore(stats).build())
                .build();
        Visit visit =
            Visit.builder(SESSION)
                .userId(USER)
                .event(Event.builder("product_view").attribute("product", USER).build())
                .event(Event.builder("purchase").attribute("order_id", ORDER).build())
                .build();
        engine.decide(visit);
        Decision decision = engine.decide(visit);
        ids.add(decision.id());
        for (VariantChoice c : decision.variants().values()) {
          engine.recordOutcome(Outcome.shown(SESSION, c));
          engine.recordOutcome(
              Outcome.builder(Outcome.Kind.CLICK, SESSION, c).id(OUTCOME_ID).build());
        }
        shown.add(sessions.get(SESSION));
        shown.addAll(stats.snapshot());

        redis.stop(); // what a failing Redis makes
        try {
          sessions.update(SESSION, s -> s);
        } catch (SessionStoreException e) {
          shown.add(e);
          shown.add(e.getCause());
        }
        try {
          stats.snapshot();
        } catch (RedisUnavailableException e) {
          shown.add(e);
        }
        engine.decide(visit);
        engine.forget(SESSION);
        shown.add(sessions);
        shown.add(sessions.stats());
        shown.add(stats);
      }
    }

    for (Object o : shown) {
      assertThat(String.valueOf(o)).as("toString of %s", o).doesNotContain(ids);
    }
    assertThat(shown).anyMatch(RedisUnavailableException.class::isInstance);
    Set<String> unchecked = new TreeSet<>();
    for (Class<?> type : publicTypes()) {
      if (!type.isEnum() && shown.stream().noneMatch(type::isInstance)) {
        unchecked.add(type.getName());
      }
    }
    assertThat(unchecked).as("public types of dev.persona.redis not checked here").isEmpty();
  }

  /** The public types of the exported package, nested ones included. */
  private static List<Class<?>> publicTypes() throws Exception {
    Path classes =
        Path.of(
            RedisSessionStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes.resolve("dev/persona/redis"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String file = f.getFileName().toString();
        if (file.equals("package-info.class")) {
          continue;
        }
        Class<?> type = Class.forName("dev.persona.redis." + file.substring(0, file.length() - 6));
        if (isPublic(type)) {
          types.add(type);
        }
      }
    }
    return types;
  }

  private static boolean isPublic(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }
}
