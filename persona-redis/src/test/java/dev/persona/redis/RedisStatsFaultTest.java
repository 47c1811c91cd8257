package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.redis.internal.WithRedis;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Increments that Redis did not acknowledge in time are tried again with their ids: each counts
 * once, and only what was never applied counts as lost.
 */
final class RedisStatsFaultTest extends WithRedis {
  /** A store with a short command timeout, which a paused Redis exceeds. */
  private RedisStatsStore.Builder impatient() {
    return RedisStatsStore.builder(redis.uri())
        .commandTimeout(Duration.ofMillis(50))
        .snapshotTimeout(Duration.ofSeconds(5));
  }

  private static PersonaEngine engine(RedisStatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(Fixtures.RULES)
        .clock(Fixtures.CLOCK)
        .experiments(ExperimentConfig.builder().statsStore(stats).build())
        .build();
  }

  /** Waits until the condition holds; fails after a minute, however slow the machine. */
  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited a minute").isNegative();
      RedisServer.sleep(10);
    }
  }

  @Test
  void anIncrementThatTimedOut_butWasApplied_countsOnce_andIsNotAFailure() {
    try (RedisStatsStore stats = impatient().build()) {
      PersonaEngine engine = engine(stats);
      Decision d = engine.decide(Visit.builder("s1").build());
      engine.recordOutcome(Outcome.clicked("s1", d.variant("home.hero"))); // connected, warm

      redis.pause(Duration.ofMillis(1_500));
      long start = System.nanoTime();
      engine.recordOutcome(Outcome.shown("s1", d.variant("home.hero")));
      stats.add(VariantStats.builder("home.hero", "other", null).exposures(1).build());
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      awaitUntil(() -> stats.queued() == 0);
      List<VariantStats> totals = engine.variantStats();
      assertThat(totals)
          .extracting(VariantStats::variant, VariantStats::exposures)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(d.variant("home.hero").variant(), 1L),
              org.assertj.core.groups.Tuple.tuple("other", 1L));
      assertThat(stats.failures()).isGreaterThanOrEqualTo(2); // the timeouts, then any retry
      assertThat(stats.retried()).isEqualTo(2);
      assertThat(stats.lost()).isZero();
      assertThat(engine.stats().statsStoreFailures()).isZero();
      assertThat(waitedMillis)
          .as("the callers waited the timeout, not the pause")
          .isLessThan(1_500);
    }
  }

  @Test
  void aRetriedPurchase_withRedisStalling_isCreditedOncePerPlacement() {
    try (RedisStatsStore stats = impatient().build()) {
      PersonaEngine engine = engine(stats);
      Decision d = engine.decide(Visit.builder("s2").build());
      engine.recordOutcome(Outcome.shown("s2", d.variant("home.hero")));
      engine.recordOutcome(Outcome.shown("s2", d.variant("cart.message")));
      Visit purchase =
          Visit.builder("s2")
              .event(Event.of("purchase", Map.of("value", 40.0, "order_id", "o-1")))
              .build();

      redis.pause(Duration.ofSeconds(1));
      engine.decide(purchase); // the credits time out, and are queued
      engine.decide(purchase); // the storefront retried: again
      awaitUntil(() -> stats.queued() == 0);
      engine.decide(purchase); // and once more, with Redis answering

      assertThat(engine.variantStats())
          .allSatisfy(
              s -> {
                assertThat(s.exposures()).isEqualTo(1);
                assertThat(s.purchases()).isEqualTo(1);
                assertThat(s.value()).isEqualTo(40.0);
              })
          .extracting(VariantStats::placement)
          .containsExactlyInAnyOrder("home.hero", "cart.message");
      assertThat(stats.lost()).isZero();
    }
  }

  @Test
  void incrementsMadeWhileRedisIsDown_areAppliedWhenItReturns() {
    try (RedisStatsStore stats = impatient().build()) {
      stats.add("a", VariantStats.builder("p", "v", null).clicks(1).build());
      redis.stop();
      stats.add("b", VariantStats.builder("p", "v", null).clicks(1).build());
      stats.add("c", VariantStats.builder("p", "v", null).clicks(1).build());
      assertThat(stats.queued()).isEqualTo(2);

      redis.startAgain(); // empty: it had no persistence; the queued increments still land

      awaitUntil(() -> stats.queued() == 0);
      assertThat(stats.snapshot())
          .singleElement()
          .satisfies(v -> assertThat(v.clicks()).isEqualTo(2));
      assertThat(stats.lost()).isZero();
    }
  }

  @Test
  void whenTheQueueIsFull_theIncrementIsLost_counted_andTheEngineCountsAFailure() {
    try (RedisStatsStore stats = impatient().retryQueueSize(1).build()) {
      PersonaEngine engine = engine(stats);
      Decision d = engine.decide(Visit.builder("s3").build());
      redis.stop();

      engine.recordOutcome(Outcome.shown("s3", d.variant("home.hero"))); // queued
      engine.recordOutcome(Outcome.clicked("s3", d.variant("home.hero"))); // the queue is full
      RedisUnavailableException refused =
          catchThrowableOfType(
              RedisUnavailableException.class,
              () -> stats.add(VariantStats.builder("p", "v", null).clicks(1).build()));

      assertThat(refused).isNotNull();
      assertThat(engine.stats().statsStoreFailures()).isEqualTo(1);
      assertThat(stats.lost()).isEqualTo(2);
      assertThat(stats.retried()).isEqualTo(1);
      assertThat(stats.queued()).isEqualTo(1);
    }
  }

  @Test
  void anIncrementTriedInVainForItsRetryTime_isLost_andCounted() {
    try (RedisStatsStore stats = impatient().retryFor(Duration.ofMillis(300)).build()) {
      redis.stop();

      stats.add("a", VariantStats.builder("p", "v", null).clicks(1).build());

      assertThat(stats.retried()).isEqualTo(1);
      awaitUntil(() -> stats.lost() == 1);
      assertThat(stats.queued()).isZero();
    }
  }
}
