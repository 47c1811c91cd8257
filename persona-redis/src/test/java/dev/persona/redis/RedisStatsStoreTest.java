package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Outcome counts of several instances merged in Redis. */
final class RedisStatsStoreTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static RedisStatsStore.Builder store(String prefix) {
    return RedisStatsStore.builder(redis.uri())
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(5))
        .snapshotTimeout(Duration.ofSeconds(5));
  }

  @Test
  void twoInstances_mergeParallelIncrements_exactly() throws Exception {
    try (RedisStatsStore a = store("merge:").build();
        RedisStatsStore b = store("merge:").build()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        RedisStatsStore s = t % 2 == 0 ? a : b;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    s.add(
                        new VariantStats("home.hero", "flash-sale", "value_hunter", 1, 0, 0, 0, 0));
                    s.add(new VariantStats("home.hero", "gift-guide", "", 1, 1, 0, 0, 0));
                  }
                  s.add(
                      new VariantStats(
                          "home.hero", "flash-sale", "value_hunter", 0, 0, 1, 1, 12.5));
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(a.snapshot())
          .containsExactlyInAnyOrder(
              new VariantStats("home.hero", "flash-sale", "value_hunter", 1000, 0, 4, 4, 50.0),
              new VariantStats("home.hero", "gift-guide", "", 1000, 1000, 0, 0, 0));
      assertThat(b.snapshot()).containsExactlyInAnyOrderElementsOf(a.snapshot());
    }
  }

  @Test
  void twoEngines_seeEachOthersOutcomes() {
    try (RedisStatsStore a = store("engines:").build();
        RedisStatsStore b = store("engines:").build()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      VariantChoice choice = first.decide(Visit.builder("s1").build()).variant("home.hero").get();

      first.recordOutcome(Outcome.shown("s1", choice));
      second.recordOutcome(Outcome.shown("s2", choice));
      second.recordOutcome(Outcome.clicked("s2", choice));

      assertThat(first.variantStats())
          .containsExactly(
              new VariantStats(
                  choice.placement(), choice.variant(), choice.segment(), 2, 1, 0, 0, 0));
      assertThat(second.variantStats()).isEqualTo(first.variantStats());
      assertThat(first.stats().statsStoreFailures()).isZero();
    }
  }

  private static PersonaEngine engine(RedisStatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(Fixtures.RULES)
        .experiments(ExperimentConfig.builder().statsStore(stats).build())
        .build();
  }

  @Test
  void outcomes_becomeIncrements() {
    try (RedisStatsStore s = store("outcomes:").build()) {
      VariantStats shown =
          VariantStats.of(new Outcome("s1", "p", "v", "", Outcome.Kind.EXPOSURE, 0));
      VariantStats bought =
          VariantStats.of(new Outcome("s1", "p", "v", "", Outcome.Kind.PURCHASE, 0.1));
      s.add(shown);
      s.add(bought);
      s.add(bought);

      assertThat(s.snapshot())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.exposures()).isEqualTo(1);
                assertThat(v.purchases()).isEqualTo(2);
                assertThat(v.value()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
              });
    }
  }

  @Test
  void idsOfAnyShape_roundTrip() {
    try (RedisStatsStore s = store("shapes:").build()) {
      VariantStats odd = new VariantStats("a|b:3:", "é|e", "|v", 7, 0, 0, 0, 0);
      VariantStats empty = new VariantStats("", "", "", 0, 1, 0, 0, 0);
      s.add(odd);
      s.add(empty);

      assertThat(s.snapshot()).containsExactlyInAnyOrder(odd, empty);
    }
  }

  @Test
  void aLargeHash_isReadWholeInPages() {
    try (RedisStatsStore s = store("large:").build()) {
      for (int i = 0; i < 2_000; i++) {
        s.add(new VariantStats("p", "v" + i, "seg", 1, i, 0, 0, 0));
      }

      List<VariantStats> all = s.snapshot();

      assertThat(all)
          .hasSize(2_000)
          .contains(new VariantStats("p", "v1999", "seg", 1, 1999, 0, 0, 0));
      assertThat(all.stream().mapToLong(VariantStats::exposures).sum()).isEqualTo(2_000);
    }
  }

  @Test
  void beyondMaxEntries_newCombinationsAreRefusedAndCounted() {
    try (RedisStatsStore s = store("bounded:").maxEntries(2).build()) {
      s.add(new VariantStats("p", "a", "", 1, 0, 0, 0, 0));
      s.add(new VariantStats("p", "b", "", 1, 0, 0, 0, 0));
      s.add(new VariantStats("p", "c", "", 1, 0, 0, 0, 0));
      s.add(new VariantStats("p", "a", "", 1, 0, 0, 0, 0));

      assertThat(s.snapshot())
          .containsExactlyInAnyOrder(
              new VariantStats("p", "a", "", 2, 0, 0, 0, 0),
              new VariantStats("p", "b", "", 1, 0, 0, 0, 0));
      assertThat(s.dropped()).isEqualTo(1);
    }
  }

  @Test
  void foreignFields_areSkippedAndCounted() {
    try (RedisStatsStore s = store("foreign:").build()) {
      s.add(new VariantStats("p", "a", "", 1, 0, 0, 0, 0));
      redis.admin(
          r ->
              r.hset(
                  "foreign:stats".getBytes(StandardCharsets.UTF_8),
                  "not a field".getBytes(StandardCharsets.UTF_8),
                  "x".getBytes(StandardCharsets.UTF_8)));

      assertThat(s.snapshot()).containsExactly(new VariantStats("p", "a", "", 1, 0, 0, 0, 0));
      assertThat(s.foreignFields()).isEqualTo(1);
    }
  }

  @Test
  void absentRedis_failsQuickly_withTheReason() throws Exception {
    try (RedisStatsStore s =
        RedisStatsStore.builder("redis://127.0.0.1:" + RedisServer.freePort())
            .connectTimeout(Duration.ofMillis(200))
            .build()) {
      long start = System.nanoTime();
      RedisUnavailableException e =
          catchThrowableOfType(
              RedisUnavailableException.class,
              () -> s.add(new VariantStats("p", "a", "", 1, 0, 0, 0, 0)));

      assertThat(e.kind()).isEqualTo(RedisUnavailableException.Kind.DOWN);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      assertThat(catchThrowableOfType(RedisUnavailableException.class, s::snapshot)).isNotNull();
      assertThat(s.failures()).isEqualTo(2);
    }
  }
}
