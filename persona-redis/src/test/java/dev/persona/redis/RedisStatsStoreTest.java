package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Outcome counts of several instances merged in Redis, on one server; {@link
 * RedisStatsStoreClusterTest} runs the same tests on a Redis Cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisStatsStoreTest {
  LocalRedis redis;

  /** Starts the Redis the tests run on. */
  LocalRedis startRedis() {
    return RedisServer.start();
  }

  @BeforeAll
  void start() {
    redis = startRedis();
  }

  @AfterAll
  void stop() {
    redis.close();
  }

  private RedisStatsStore.Builder store(String prefix) {
    return RedisStatsStore.builder(redis.uri())
        .cluster(redis.cluster())
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(5))
        .snapshotTimeout(Duration.ofSeconds(5));
  }

  @Test
  void twoInstances_mergeParallelIncrements_exactly() throws Exception {
    int rounds = 250 * Fixtures.scale();
    try (RedisStatsStore a = store("merge:").build();
        RedisStatsStore b = store("merge:").build()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        RedisStatsStore s = t % 2 == 0 ? a : b;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < rounds; i++) {
                    s.add(
                        VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                            .exposures(1)
                            .build());
                    s.add(
                        VariantStats.builder("home.hero", "gift-guide", null)
                            .exposures(1)
                            .clicks(1)
                            .build());
                  }
                  s.add(
                      VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                          .addsToCart(1)
                          .purchases(1)
                          .value(12.5)
                          .build());
                }));
      }
      for (Future<?> f : done) {
        f.get(60L * Fixtures.scale(), TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(a.snapshot())
          .containsExactlyInAnyOrder(
              VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                  .exposures(4L * rounds)
                  .addsToCart(4)
                  .purchases(4)
                  .value(50.0)
                  .build(),
              VariantStats.builder("home.hero", "gift-guide", null)
                  .exposures(4L * rounds)
                  .clicks(4L * rounds)
                  .build());
      assertThat(b.snapshot()).containsExactlyInAnyOrderElementsOf(a.snapshot());
    }
  }

  @Test
  void twoEngines_seeEachOthersOutcomes() {
    try (RedisStatsStore a = store("engines:").build();
        RedisStatsStore b = store("engines:").build()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      VariantChoice choice = first.decide(Visit.builder("s1").build()).variant("home.hero");
      VariantChoice other = second.decide(Visit.builder("s2").build()).variant("home.hero");

      first.recordOutcome(Outcome.shown("s1", choice));
      second.recordOutcome(Outcome.shown("s2", other));
      second.recordOutcome(Outcome.clicked("s2", other));

      assertThat(first.variantStats())
          .containsExactly(
              VariantStats.builder(choice.placement(), choice.variant(), choice.segment())
                  .basis(choice.basis())
                  .exposures(2)
                  .clicks(1)
                  .build());
      assertThat(second.variantStats()).isEqualTo(first.variantStats());
      assertThat(first.stats().statsStoreFailures()).isZero();
    }
  }

  @Test
  void theSameOutcome_recordedOnTwoInstances_andAgain_countsOnce() {
    try (RedisStatsStore a = store("once:").build();
        RedisStatsStore b = store("once:").build()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      VariantChoice choice = first.decide(Visit.builder("s1").build()).variant("home.hero");

      for (PersonaEngine instance : List.of(first, second, first)) {
        instance.recordOutcome(Outcome.shown("s1", choice));
        instance.recordOutcome(Outcome.purchased("s1", choice, 25));
      }

      assertThat(first.variantStats())
          .containsExactly(
              VariantStats.builder(choice.placement(), choice.variant(), choice.segment())
                  .basis(choice.basis())
                  .exposures(1)
                  .purchases(1)
                  .value(25)
                  .build());
      assertThat(a.duplicates() + b.duplicates()).isEqualTo(4);
      assertThat(first.stats().statsStoreFailures() + second.stats().statsStoreFailures()).isZero();
    }
  }

  @Test
  void outcomeIds_areKeptWithinTheirBounds_theOldestForgottenFirst() {
    VariantStats click = VariantStats.builder("p", "v", null).clicks(1).build();
    try (RedisStatsStore s = store("window:").maxOutcomeIds(3).build()) {
      for (String id : List.of("a", "b", "c", "d", "b", "d")) {
        s.add(id, click);
      }
      assertThat(s.snapshot()).singleElement().satisfies(v -> assertThat(v.clicks()).isEqualTo(4));

      s.add("a", click); // forgotten: the fourth id pushed it out
      assertThat(s.snapshot()).singleElement().satisfies(v -> assertThat(v.clicks()).isEqualTo(5));
      assertThat(s.duplicates()).isEqualTo(2);
      assertThat(redis.keys()).contains("window:{stats}", "window:{stats}:o");
      Long kept = redis.commands(r -> r.zcard("window:{stats}:o".getBytes(StandardCharsets.UTF_8)));
      assertThat(kept).isEqualTo(3);
    }
    try (RedisStatsStore s =
        store("ttl:")
            .outcomeIdTtl(Duration.ofMillis(200))
            .retryFor(Duration.ofMillis(100))
            .build()) {
      s.add("a", click);
      s.add("a", click);
      RedisServer.sleep(1_000); // five times the TTL, by the server's clock
      s.add("a", click);

      assertThat(s.snapshot()).singleElement().satisfies(v -> assertThat(v.clicks()).isEqualTo(2));
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
          VariantStats.of(Outcome.builder(Outcome.Kind.EXPOSURE, "s1", "p", "v").build());
      VariantStats bought =
          VariantStats.of(
              Outcome.builder(Outcome.Kind.PURCHASE, "s1", "p", "v").value(0.1).build());
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
  void discountedCounts_fromTwoInstancesInAnyOrder_sumAsInOneProcess() {
    // Increments as engines record them: at the point each instance's snapshot shows, so not in
    // order, some at the same point, with exposures and clicks mixed.
    SplittableRandom random = new SplittableRandom(5);
    List<VariantStats> increments = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long at = 10L * i + random.nextInt(40);
      Outcome.Kind kind = random.nextInt(10) == 0 ? Outcome.Kind.CLICK : Outcome.Kind.EXPOSURE;
      increments.add(
          VariantStats.builder("p", "v", "seg")
              .count(kind, 1)
              .discounted(DiscountedCounts.one(kind, at, 500))
              .build());
    }
    VariantStats inOrder = increments.stream().reduce(VariantStats::plus).orElseThrow();
    List<VariantStats> shuffled = new ArrayList<>(increments);
    Collections.shuffle(shuffled, new Random(9));
    try (RedisStatsStore a = store("discounted:").build();
        RedisStatsStore b = store("discounted:").build()) {
      for (int i = 0; i < shuffled.size(); i++) {
        (i % 2 == 0 ? a : b).add(shuffled.get(i));
      }

      VariantStats total = b.snapshot().get(0);
      assertThat(total.exposures()).isEqualTo(inOrder.exposures());
      assertThat(total.clicks()).isEqualTo(inOrder.clicks());
      DiscountedCounts d = total.discounted();
      DiscountedCounts expected = inOrder.discounted();
      assertThat(d.at()).isEqualTo(expected.at());
      assertThat(d.halfLife()).isEqualTo(500);
      assertThat(d.exposures()).isCloseTo(expected.exposures(), withinPercentage(1e-9));
      assertThat(d.count(Outcome.Kind.CLICK))
          .isCloseTo(expected.count(Outcome.Kind.CLICK), withinPercentage(1e-9));
      // what 300 exposures over ~3,000 points of a 500-exposure half-life leave: far fewer
      assertThat(d.exposures()).isBetween(50.0, 80.0);
    }
  }

  @Test
  void idsOfAnyShape_roundTrip() {
    try (RedisStatsStore s = store("shapes:").build()) {
      VariantStats odd = VariantStats.builder("a|b:3:", "é|e", "|v").exposures(7).build();
      VariantStats empty = VariantStats.builder("", "", null).clicks(1).build();
      s.add(odd);
      s.add(empty);

      assertThat(s.snapshot()).containsExactlyInAnyOrder(odd, empty);
    }
  }

  @Test
  void aLargeHash_isReadWholeInPages() {
    try (RedisStatsStore s = store("large:").build()) {
      for (int i = 0; i < 2_000; i++) {
        s.add(VariantStats.builder("p", "v" + i, "seg").exposures(1).clicks(i).build());
      }

      List<VariantStats> all = s.snapshot();

      assertThat(all)
          .hasSize(2_000)
          .contains(VariantStats.builder("p", "v1999", "seg").exposures(1).clicks(1999).build());
      assertThat(all.stream().mapToLong(VariantStats::exposures).sum()).isEqualTo(2_000);
    }
  }

  @Test
  void beyondMaxEntries_newCombinationsAreRefusedAndCounted() {
    try (RedisStatsStore s = store("bounded:").maxEntries(2).build()) {
      s.add(VariantStats.builder("p", "a", null).exposures(1).build());
      s.add(VariantStats.builder("p", "b", null).exposures(1).build());
      s.add(VariantStats.builder("p", "c", null).exposures(1).build());
      s.add(VariantStats.builder("p", "a", null).exposures(1).build());

      assertThat(s.snapshot())
          .containsExactlyInAnyOrder(
              VariantStats.builder("p", "a", null).exposures(2).build(),
              VariantStats.builder("p", "b", null).exposures(1).build());
      assertThat(s.dropped()).isEqualTo(1);
    }
  }

  @Test
  void foreignFields_areSkippedAndCounted() {
    try (RedisStatsStore s = store("foreign:").build()) {
      s.add(VariantStats.builder("p", "a", null).exposures(1).build());
      redis.commands(
          r ->
              r.hset(
                  "foreign:{stats}".getBytes(StandardCharsets.UTF_8),
                  "not a field".getBytes(StandardCharsets.UTF_8),
                  "x".getBytes(StandardCharsets.UTF_8)));

      assertThat(s.snapshot())
          .containsExactly(VariantStats.builder("p", "a", null).exposures(1).build());
      assertThat(s.foreignFields()).isEqualTo(1);
    }
  }

  @Test
  void absentRedis_failsQuickly_withTheReason_andIncrementsWaitForIt() throws Exception {
    try (RedisStatsStore s =
        RedisStatsStore.builder("redis://127.0.0.1:" + RedisServer.freePort())
            .cluster(redis.cluster())
            .connectTimeout(Duration.ofMillis(200))
            .build()) {
      long start = System.nanoTime();
      s.add(VariantStats.builder("p", "a", null).exposures(1).build());
      RedisUnavailableException e =
          catchThrowableOfType(RedisUnavailableException.class, s::snapshot);

      assertThat(e.kind()).isEqualTo(RedisUnavailableException.Kind.DOWN);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      assertThat(s.queued()).isEqualTo(1);
      assertThat(s.retried()).isEqualTo(1);
      assertThat(s.lost()).isZero();
      assertThat(s.failures()).isGreaterThanOrEqualTo(2);
    }
  }
}
