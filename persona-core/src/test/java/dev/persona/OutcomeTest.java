package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class OutcomeTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(TestRules.ruleSet())
          .clock(clock)
          .experiments(ExperimentConfig.builder().attributionWindow(Duration.ofMinutes(30)).build())
          .build();

  private Decision valueHunter(String session) {
    return engine.decide(
        Visit.builder(session)
            .declared("priority", "price")
            .event(Event.of("apply_coupon"))
            .build());
  }

  private VariantStats stats(String placement, String variant, String segment) {
    return engine.variantStats().stream()
        .filter(
            s ->
                s.placement().equals(placement)
                    && s.variant().equals(variant)
                    && Objects.equals(s.segment(), segment))
        .findFirst()
        .orElse(VariantStats.builder(placement, variant, segment).build());
  }

  private void show(String session, Decision d, String placement) {
    engine.recordOutcome(Outcome.shown(session, d.variant(placement)));
  }

  @Test
  void recordedOutcomes_countPerPlacementVariantAndSegment() {
    Decision d = valueHunter("s1");
    VariantChoice hero = d.variant("home.hero");
    assertThat(hero.segment()).isEqualTo("value_hunter");

    engine.recordOutcome(Outcome.shown("s1", hero));
    engine.recordOutcome(Outcome.clicked("s1", hero));
    engine.recordOutcome(Outcome.purchased("s1", hero, 49.5));

    assertThat(stats("home.hero", "flash-sale", "value_hunter"))
        .isEqualTo(
            VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                .basis(Basis.PERSONA)
                .exposures(1)
                .clicks(1)
                .purchases(1)
                .value(49.5)
                .build());
    assertThat(engine.stats().outcomes()).isEqualTo(3);
  }

  @Test
  void laterPurchaseAndAddToCart_areCreditedToTheLastExposure_withinTheWindow() {
    Decision d = valueHunter("s2");
    show("s2", d, "home.hero");
    show("s2", d, "cart.message");
    clock.advance(Duration.ofMinutes(10));

    engine.decide(
        Visit.builder("s2")
            .event(Event.of("add_to_cart", Map.of("product", "sku-1")))
            .event(Event.of("purchase", Map.of("value", 120.0)))
            .build());

    assertThat(stats("home.hero", "flash-sale", "value_hunter"))
        .isEqualTo(
            VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                .basis(Basis.PERSONA)
                .exposures(1)
                .addsToCart(1)
                .purchases(1)
                .value(120)
                .build());
    assertThat(stats("cart.message", "free-shipping", "value_hunter").purchases()).isEqualTo(1);
    assertThat(engine.stats().attributedOutcomes()).isEqualTo(4);
  }

  @Test
  void eventsAfterTheWindow_areNotCredited() {
    show("s3", valueHunter("s3"), "home.hero");
    clock.advance(Duration.ofMinutes(31));

    engine.decide(Visit.builder("s3").event(Event.of("purchase", Map.of("value", 80.0))).build());

    assertThat(stats("home.hero", "flash-sale", "value_hunter").purchases()).isZero();
  }

  @Test
  void eventsDatedBeforeTheExposure_areNotCredited() {
    Instant before = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    show("s4", valueHunter("s4"), "home.hero");

    engine.decide(Visit.builder("s4").event(Event.builder("purchase").at(before).build()).build());

    assertThat(stats("home.hero", "flash-sale", "value_hunter").purchases()).isZero();
  }

  @Test
  void onlyTheLatestExposureOfAPlacement_isCredited() {
    show("s5", valueHunter("s5"), "home.hero");
    engine.recordOutcome(
        Outcome.shown(
            "s5",
            VariantChoice.builder("home.hero", "reviews", VariantChoice.Basis.PERSONA)
                .segment("researcher")
                .build()));

    engine.decide(Visit.builder("s5").event(Event.of("purchase")).build());

    assertThat(stats("home.hero", "flash-sale", "value_hunter").purchases()).isZero();
    assertThat(stats("home.hero", "reviews", "researcher").purchases()).isEqualTo(1);
  }

  @Test
  void forgottenSessions_andSessionsWithoutConsent_keepNoExposures() {
    show("s6", valueHunter("s6"), "home.hero");
    engine.forget("s6");
    engine.decide(Visit.builder("s6").event(Event.of("purchase")).build());

    Decision gpc =
        engine.decide(
            Visit.builder("s7").header("Sec-GPC", "1").declared("priority", "price").build());
    engine.recordOutcome(Outcome.shown("s7", gpc.variant("home.hero")));
    engine.recordOutcome( // known by ids, as from a beacon
        Outcome.builder(Outcome.Kind.EXPOSURE, "s7", "home.hero", "flash-sale")
            .segment("value_hunter")
            .build());
    engine.decide(Visit.builder("s7").event(Event.of("purchase")).build());

    List<VariantStats> hero =
        engine.variantStats().stream().filter(x -> x.placement().equals("home.hero")).toList();
    assertThat(hero.stream().mapToLong(VariantStats::purchases).sum()).isZero();
    assertThat(hero.stream().mapToLong(VariantStats::exposures).sum()).isEqualTo(3);
  }

  @Test
  void zeroWindow_turnsAttributionOff() {
    PersonaEngine off =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(clock)
            .experiments(ExperimentConfig.builder().attributionWindow(Duration.ZERO).build())
            .build();
    Decision d = off.decide(Visit.builder("s").declared("priority", "price").build());
    off.recordOutcome(Outcome.shown("s", d.variant("home.hero")));

    off.decide(Visit.builder("s").event(Event.of("purchase")).build());

    assertThat(off.stats().attributedOutcomes()).isZero();
  }

  @Test
  void concurrentOutcomes_loseNoUpdate() throws Exception {
    VariantChoice hero = valueHunter("s8").variant("home.hero");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                String thread = Thread.currentThread().getName();
                for (int i = 0; i < 5_000; i++) {
                  engine.recordOutcome(
                      Outcome.builder(Outcome.Kind.EXPOSURE, "s8", hero)
                          .id(thread + "-" + i)
                          .build());
                  if (i % 5 == 0) {
                    engine.recordOutcome(
                        Outcome.builder(Outcome.Kind.PURCHASE, "s8", hero)
                            .value(2.5)
                            .id(thread + "-" + i)
                            .build());
                  }
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    VariantStats s = stats("home.hero", "flash-sale", "value_hunter");
    assertThat(s.exposures()).isEqualTo(40_000);
    assertThat(s.purchases()).isEqualTo(8_000);
    assertThat(s.value()).isEqualTo(20_000.0);
  }

  @Test
  void failingStatsStore_costsOnlyTheStatistics() {
    StatsStore broken =
        new StatsStore() {
          @Override
          public void add(VariantStats increment) {
            throw new IllegalStateException("down");
          }

          @Override
          public List<VariantStats> snapshot() {
            throw new IllegalStateException("down");
          }
        };
    RuleSet rules =
        TestRules.builder()
            .placement(
                Placement.of(
                        "home.tiles",
                        Variant.builder("deals").build(),
                        Variant.builder("popular").asDefault().build())
                    .optimized(Optimization.DEFAULTS))
            .build();
    PersonaEngine e =
        PersonaEngine.builder()
            .ruleSet(rules)
            .clock(clock)
            .experiments(ExperimentConfig.builder().statsStore(broken).build())
            .build();

    Decision d = e.decide(Visit.builder("s").build());
    e.recordOutcome(Outcome.shown("s", d.variant("home.tiles")));

    assertThat(d.variant("home.tiles").basis()).isEqualTo(VariantChoice.Basis.OPTIMIZED);
    assertThat(d.flags()).isEmpty();
    assertThat(e.variantStats()).isEmpty();
    assertThat(e.stats().statsStoreFailures()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void inMemoryStatsStore_isBounded() {
    StatsStore store = StatsStore.inMemory(2);
    store.add(VariantStats.builder("p", "a", null).exposures(1).build());
    store.add(VariantStats.builder("p", "b", null).exposures(1).build());
    store.add(VariantStats.builder("p", "c", null).exposures(1).build());
    store.add(VariantStats.builder("p", "a", null).exposures(1).build());

    assertThat(store.snapshot())
        .extracting(VariantStats::variant, VariantStats::exposures)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", 2L),
            org.assertj.core.groups.Tuple.tuple("b", 1L));
    assertThatThrownBy(() -> StatsStore.inMemory(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outcomeValues_mustBeFiniteAndNotNegative() {
    VariantChoice hero = valueHunter("s9").variant("home.hero");
    assertThatThrownBy(() -> Outcome.purchased("s9", hero, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Outcome.purchased("s9", hero, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
