package dev.persona.redis;

import static dev.persona.redis.Fixtures.patientStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.VariantChoice.Basis;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Experiment.Sticky;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionStore;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A sticky experiment's arms live in the session's state, so that every instance on one Redis keeps
 * them: an instance that already serves the ramped arms, or sees the visitor signed in, gives the
 * arm another instance gave first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StickyArmsTest {
  private static final int VISITORS = 2_000;

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

  private static RuleSet rules(Experiment experiment) {
    return RuleSet.builder("sticky-1")
        .placement(
            Placement.of(
                    "home.banner",
                    Variant.builder("a").build(),
                    Variant.builder("b").build(),
                    Variant.builder("control").asDefault().build())
                .withExperiment(experiment))
        .build();
  }

  private PersonaEngine engine(SessionStore store, RuleSet rules) {
    return PersonaEngine.builder()
        .ruleSet(rules)
        .clock(clock)
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  @Test
  void anInstanceServingTheRampedArms_keepsTheArmsAnotherGave() {
    assertThat(moved("ramp-on", Sticky.SESSION)).isZero();
    assertThat(moved("ramp-off", Sticky.OFF)).isCloseTo(0.5, within(0.1));
  }

  /**
   * Returns the share of the visitors in an arm on an instance with arms of 10/10 who are in
   * another arm on a second instance with arms of 50/50, a second later.
   */
  private double moved(String experiment, Sticky sticky) {
    try (RedisSessionStore one = patientStore(redis).build();
        RedisSessionStore two = patientStore(redis).build()) {
      PersonaEngine before =
          engine(
              one,
              rules(
                  Experiment.of(experiment, Arm.of("a", 10), Arm.of("b", 10)).withSticky(sticky)));
      PersonaEngine after =
          engine(
              two,
              rules(
                  Experiment.of(experiment, Arm.of("a", 50), Arm.of("b", 50)).withSticky(sticky)));
      Map<String, String> first = new HashMap<>();
      for (int i = 0; i < VISITORS; i++) {
        VariantChoice c = banner(before, Visit.builder(experiment + "-" + i).build());
        if (c.basis() == Basis.EXPERIMENT) {
          first.put(experiment + "-" + i, c.variant());
        }
      }
      clock.advance(Duration.ofSeconds(1));
      int moved = 0;
      for (Map.Entry<String, String> e : first.entrySet()) {
        if (!banner(after, Visit.builder(e.getKey()).build()).variant().equals(e.getValue())) {
          moved++;
        }
      }
      assertThat(first).hasSizeBetween(300, 500);
      return moved / (double) first.size();
    }
  }

  @Test
  void signingInOnAnotherInstance_keepsTheAnonymousArm() {
    RuleSet rules =
        rules(
            Experiment.of("sign-in", Arm.of("a", 50), Arm.of("b", 50)).withSticky(Sticky.SESSION));
    try (RedisSessionStore one = patientStore(redis).build();
        RedisSessionStore two = patientStore(redis).build()) {
      PersonaEngine anonymous = engine(one, rules);
      PersonaEngine signedIn = engine(two, rules);
      int moved = 0;
      int wouldMove = 0;
      for (int i = 0; i < VISITORS / 4; i++) {
        String arm = banner(anonymous, Visit.builder("sign-in-" + i).build()).variant();
        clock.advance(Duration.ofMillis(10));
        Visit visit = Visit.builder("sign-in-" + i).userId("user-" + i).build();
        if (!banner(signedIn, visit).variant().equals(arm)) {
          moved++;
        }
        if (!banner(signedIn, Visit.builder("fresh-" + i).userId("user-" + i).build())
            .variant()
            .equals(arm)) {
          wouldMove++;
        }
      }
      assertThat(moved).isZero();
      assertThat(wouldMove).as("the user id's own arm differs for about half").isBetween(200, 300);
    }
  }

  private static VariantChoice banner(PersonaEngine engine, Visit visit) {
    return engine.decide(visit).variant("home.banner");
  }
}
