package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExperimentConfig;
import dev.persona.config.Limits;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Outcomes are taken only for what the rule set in use has: its placements, their variants, and its
 * personas (or none) as segments. Anything else is refused and counted, never stored, so that junk
 * cannot fill the stats store and crowd out real exposures.
 */
final class OutcomeValidationTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));

  private PersonaEngine engine(RuleSet rules, StatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(rules)
        .clock(clock)
        .experiments(
            ExperimentConfig.builder()
                .statsStore(stats)
                .attributionWindow(Duration.ofMinutes(30))
                .build())
        .build();
  }

  private static Decision valueHunter(PersonaEngine engine, String session) {
    return engine.decide(
        Visit.builder(session)
            .declared("priority", "price")
            .event(Event.of("apply_coupon"))
            .build());
  }

  private static VariantStats stats(
      PersonaEngine engine, String placement, String variant, String segment) {
    return engine.variantStats().stream()
        .filter(
            s ->
                s.placement().equals(placement)
                    && s.variant().equals(variant)
                    && Objects.equals(s.segment(), segment))
        .findFirst()
        .orElse(VariantStats.builder(placement, variant, segment).build());
  }

  private static Outcome click(String placement, String variant, String segment) {
    return Outcome.builder(Outcome.Kind.CLICK, "s1", placement, variant).segment(segment).build();
  }

  @Test
  void unknownPlacementsVariantsAndSegments_areRefusedAndCounted_neverStored() {
    PersonaEngine engine = engine(TestRules.ruleSet(), StatsStore.inMemory(1_000));

    engine.recordOutcome(click("home.banner", "flash-sale", "value_hunter"));
    engine.recordOutcome(click("home.hero", "banner", "value_hunter"));
    engine.recordOutcome(click("home.hero", "free-shipping", null)); // cart.message's variant
    engine.recordOutcome(click("home.hero", "flash-sale", "bargain_hunter"));
    engine.recordOutcome(click("home.hero", "flash-sale", "value_hunter"));
    engine.recordOutcome(click("home.hero", "flash-sale", null));

    assertThat(engine.variantStats())
        .extracting(s -> s.variant() + "/" + s.segment() + "/" + s.clicks())
        .containsExactlyInAnyOrder("flash-sale/value_hunter/1", "flash-sale/null/1");
    assertThat(engine.stats().refusedOutcomes()).isEqualTo(4);
    assertThat(engine.stats().outcomes()).isEqualTo(6);
    assertThat(engine.stats().truncatedInputs()).isZero();
  }

  @Test
  void junkOutcomes_cannotFillTheStore_andCrowdOutRealExposures() {
    PersonaEngine engine = engine(TestRules.ruleSet(), StatsStore.inMemory(10));
    for (int i = 0; i < 1_000; i++) {
      engine.recordOutcome(click("placement-" + i, "v", null));
      engine.recordOutcome(click("home.hero", "variant-" + i, null));
    }

    VariantChoice hero = valueHunter(engine, "s1").variant("home.hero");
    engine.recordOutcome(Outcome.shown("s1", hero));

    assertThat(engine.variantStats())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.variant()).isEqualTo("flash-sale");
              assertThat(s.exposures()).isEqualTo(1);
            });
    assertThat(engine.stats().refusedOutcomes()).isEqualTo(2_000);
  }

  @Test
  void aRefusedExposure_isNotRemembered_soNothingIsCreditedToIt() {
    PersonaEngine engine = engine(TestRules.ruleSet(), StatsStore.inMemory(1_000));
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.EXPOSURE, "s1", "home.banner", "spring").build());

    engine.decide(Visit.builder("s1").event(Event.of("purchase")).build());

    assertThat(engine.variantStats()).isEmpty();
    assertThat(engine.stats().attributedOutcomes()).isZero();
    assertThat(engine.stats().refusedOutcomes()).isEqualTo(1);
  }

  @Test
  void aSessionIdBeyondTheLimit_isRefused_andCountedAsTruncated() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxSessionIdLength(64).build())
            .build();
    VariantChoice hero = engine.decide(Visit.builder("s1").build()).variant("home.hero");

    engine.recordOutcome(Outcome.shown("s".repeat(65), hero));
    engine.recordOutcome(Outcome.shown("s".repeat(64), hero));

    assertThat(engine.variantStats())
        .singleElement()
        .satisfies(s -> assertThat(s.exposures()).isEqualTo(1));
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
  }

  @Test
  void afterAReloadRemovingAPlacement_itsOutcomesAndCredits_areRefused_theOthersCount() {
    RuleSet withBanner =
        TestRules.builder()
            .placement(
                Placement.of(
                    "home.banner",
                    Variant.builder("spring").targets("value_hunter").build(),
                    Variant.builder("plain").asDefault().build()))
            .build();
    PersonaEngine engine = engine(withBanner, StatsStore.inMemory(1_000));
    Decision before = valueHunter(engine, "s1");
    engine.recordOutcome(Outcome.shown("s1", before.variant("home.banner")));
    engine.recordOutcome(Outcome.shown("s1", before.variant("home.hero")));

    engine.reload(TestRules.ruleSet());
    clock.advance(Duration.ofMinutes(1));
    engine.recordOutcome(Outcome.clicked("s1", before.variant("home.banner")));
    engine.recordOutcome(Outcome.clicked("s1", before.variant("home.hero")));
    engine.decide(
        Visit.builder("s1").event(Event.of("purchase", Map.of("order_id", "o-1"))).build());

    assertThat(stats(engine, "home.banner", "spring", "value_hunter"))
        .isEqualTo(
            VariantStats.builder("home.banner", "spring", "value_hunter")
                .basis(VariantChoice.Basis.PERSONA)
                .exposures(1)
                .build());
    assertThat(stats(engine, "home.hero", "flash-sale", "value_hunter"))
        .isEqualTo(
            VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                .basis(VariantChoice.Basis.PERSONA)
                .exposures(1)
                .clicks(1)
                .purchases(1)
                .build());
    assertThat(engine.stats().refusedOutcomes()).isEqualTo(2); // the click, the banner's credit
  }
}
