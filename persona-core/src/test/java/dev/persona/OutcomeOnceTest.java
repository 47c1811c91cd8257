package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.VariantChoice.Basis;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.Limits;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each outcome counts once: recorded twice, retried, or arriving both as an event and recorded. */
final class OutcomeOnceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine = engine(StatsStore.inMemory(1_000));

  private PersonaEngine engine(StatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(TestRules.ruleSet())
        .clock(clock)
        .experiments(
            ExperimentConfig.builder()
                .statsStore(stats)
                .attributionWindow(Duration.ofMinutes(30))
                .build())
        .build();
  }

  private Decision valueHunter(String session) {
    return engine.decide(
        Visit.builder(session)
            .declared("priority", "price")
            .event(Event.of("apply_coupon"))
            .build());
  }

  private VariantStats stats(String placement, String variant) {
    return engine.variantStats().stream()
        .filter(
            s ->
                s.placement().equals(placement)
                    && s.variant().equals(variant)
                    && Objects.equals(s.segment(), "value_hunter"))
        .findFirst()
        .orElse(VariantStats.builder(placement, variant, "value_hunter").build());
  }

  private VariantStats hero() {
    return stats("home.hero", "flash-sale");
  }

  private VariantStats cartMessage() {
    return stats("cart.message", "free-shipping");
  }

  @Test
  void theSameOutcomeRecordedTwice_countsOnce() {
    VariantChoice hero = valueHunter("s1").variant("home.hero");

    for (int i = 0; i < 2; i++) {
      engine.recordOutcome(Outcome.shown("s1", hero));
      engine.recordOutcome(Outcome.clicked("s1", hero));
      engine.recordOutcome(Outcome.addedToCart("s1", hero));
      engine.recordOutcome(Outcome.purchased("s1", hero, 49.5));
    }

    assertThat(hero())
        .isEqualTo(
            VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                .basis(Basis.PERSONA)
                .exposures(1)
                .clicks(1)
                .addsToCart(1)
                .purchases(1)
                .value(49.5)
                .build());
    assertThat(engine.stats().outcomes()).isEqualTo(8);
  }

  @Test
  void outcomesOfTwoDecisions_countApart() {
    engine.recordOutcome(Outcome.shown("s2", valueHunter("s2").variant("home.hero")));
    engine.recordOutcome(Outcome.shown("s2", valueHunter("s2").variant("home.hero")));

    assertThat(hero().exposures()).isEqualTo(2);
  }

  @Test
  void anOrderId_countsOncePerPlacement() {
    Decision d = valueHunter("s3");
    for (int i = 0; i < 2; i++) {
      for (String placement : List.of("home.hero", "cart.message")) {
        engine.recordOutcome(
            Outcome.builder(Outcome.Kind.PURCHASE, "s3", d.variant(placement))
                .value(80)
                .id("order-1")
                .build());
      }
    }

    assertThat(hero().purchases()).isEqualTo(1);
    assertThat(hero().value()).isEqualTo(80.0);
    assertThat(cartMessage().purchases()).isEqualTo(1);
  }

  @Test
  void aRetriedPurchaseVisit_isCreditedOncePerPlacement() {
    Decision d = valueHunter("s4");
    engine.recordOutcome(Outcome.shown("s4", d.variant("home.hero")));
    engine.recordOutcome(Outcome.shown("s4", d.variant("cart.message")));
    clock.advance(Duration.ofMinutes(5));
    Visit purchase =
        Visit.builder("s4")
            .event(Event.of("purchase", Map.of("value", 120.0, "order_id", "o-77")))
            .build();

    engine.decide(purchase);
    clock.advance(Duration.ofSeconds(3));
    engine.decide(purchase); // the storefront retried the request

    assertThat(hero().purchases()).isEqualTo(1);
    assertThat(hero().value()).isEqualTo(120.0);
    assertThat(cartMessage().purchases()).isEqualTo(1);
    assertThat(cartMessage().value()).isEqualTo(120.0);
  }

  @Test
  void onePurchase_retriedAsEventsAndRecorded_isOnePurchaseOfEachPlacementShown() {
    Decision first = valueHunter("s13");
    engine.recordOutcome(Outcome.shown("s13", first.variant("home.hero")));
    clock.advance(Duration.ofMinutes(1));
    Decision second = valueHunter("s13"); // the page shown again: hero twice, cart.message once
    engine.recordOutcome(Outcome.shown("s13", second.variant("home.hero")));
    engine.recordOutcome(Outcome.shown("s13", second.variant("cart.message")));
    clock.advance(Duration.ofMinutes(5));
    Visit purchase =
        Visit.builder("s13")
            .event(Event.of("purchase", Map.of("value", 120.0, "order_id", "o-88")))
            .build();

    for (int attempt = 0; attempt < 2; attempt++) { // the storefront retries everything
      engine.decide(purchase);
      for (String placement : List.of("home.hero", "cart.message")) {
        engine.recordOutcome(
            Outcome.builder(Outcome.Kind.PURCHASE, "s13", second.variant(placement))
                .value(120)
                .id("o-88")
                .build());
      }
      clock.advance(Duration.ofSeconds(3));
    }

    assertThat(hero())
        .isEqualTo(
            VariantStats.builder("home.hero", "flash-sale", "value_hunter")
                .basis(VariantChoice.Basis.PERSONA)
                .exposures(2)
                .purchases(1)
                .value(120)
                .build());
    assertThat(cartMessage().purchases()).isEqualTo(1);
    assertThat(cartMessage().value()).isEqualTo(120.0);
  }

  @Test
  void aRetriedEventWithItsTime_isCreditedOnce_andDistinctEventsEach() {
    Decision d = valueHunter("s5");
    engine.recordOutcome(Outcome.shown("s5", d.variant("home.hero")));
    clock.advance(Duration.ofMinutes(1));
    Instant at = clock.instant();
    Visit add = Visit.builder("s5").event(Event.builder("add_to_cart").at(at).build()).build();
    engine.decide(add);
    clock.advance(Duration.ofSeconds(2));
    engine.decide(add);
    assertThat(hero().addsToCart()).isEqualTo(1);

    // without an order id or a time of their own, two purchase events are two purchases
    engine.decide(Visit.builder("s5").event(Event.of("purchase")).build());
    clock.advance(Duration.ofSeconds(2));
    engine.decide(Visit.builder("s5").event(Event.of("purchase")).build());
    assertThat(hero().purchases()).isEqualTo(2);
  }

  @Test
  void aPurchaseEvent_andTheRecordedPurchaseWithItsOrderId_countOnce() {
    Decision d = valueHunter("s6");
    VariantChoice hero = d.variant("home.hero");
    engine.recordOutcome(Outcome.shown("s6", hero));
    clock.advance(Duration.ofMinutes(2));

    engine.decide(
        Visit.builder("s6")
            .event(Event.of("purchase", Map.of("value", 30.0, "order_id", 1234)))
            .build());
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.PURCHASE, "s6", hero).value(30).id("1234").build());

    assertThat(hero().purchases()).isEqualTo(1);
    assertThat(hero().value()).isEqualTo(30.0);
  }

  @Test
  void anOrderIdOfTheWrongTypeOrTooLong_isReported_andTheEventStillCredited() {
    PersonaEngine strict =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(clock)
            .limits(Limits.builder().maxOutcomeIdLength(128).build())
            .build();
    Decision d =
        strict.decide(
            Visit.builder("s7")
                .declared("priority", "price")
                .event(Event.of("apply_coupon"))
                .build());
    strict.recordOutcome(Outcome.shown("s7", d.variant("home.hero")));

    Decision tooLong =
        strict.decide(
            Visit.builder("s7")
                .event(Event.of("purchase", Map.of("order_id", "9".repeat(129))))
                .build());
    clock.advance(Duration.ofSeconds(1)); // a later event, not the same one again
    Decision wrongType =
        strict.decide(
            Visit.builder("s7").event(Event.of("purchase", Map.of("order_id", 1.5))).build());

    assertThat(tooLong.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
    assertThat(wrongType.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(strict.variantStats())
        .filteredOn(s -> s.placement().equals("home.hero"))
        .singleElement()
        .satisfies(s -> assertThat(s.purchases()).isEqualTo(2));
  }

  @Test
  void anOutcomeWithATooLongId_isRefused_andCounted() {
    PersonaEngine strict =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxOutcomeIdLength(128).build())
            .build();
    VariantChoice hero = strict.decide(Visit.builder("s8").build()).variant("home.hero");

    strict.recordOutcome(
        Outcome.builder(Outcome.Kind.CLICK, "s8", hero).id("9".repeat(129)).build());
    strict.recordOutcome(
        Outcome.builder(Outcome.Kind.CLICK, "s8", hero).id("8".repeat(128)).build());

    assertThat(strict.variantStats())
        .singleElement()
        .satisfies(s -> assertThat(s.clicks()).isEqualTo(1));
    assertThat(strict.stats().truncatedInputs()).isEqualTo(1);
  }

  @Test
  void anOutcomeWithoutId_countsEveryTime() {
    for (int i = 0; i < 3; i++) {
      engine.recordOutcome(
          Outcome.builder(Outcome.Kind.CLICK, "s9", "home.hero", "flash-sale")
              .segment("value_hunter")
              .build());
    }

    assertThat(hero().clicks()).isEqualTo(3);
  }

  @Test
  void aStoreWithoutIds_isStillGivenEveryIncrement() {
    List<VariantStats> added = new ArrayList<>();
    StatsStore old =
        new StatsStore() {
          @Override
          public synchronized void add(VariantStats increment) {
            added.add(increment);
          }

          @Override
          public synchronized List<VariantStats> snapshot() {
            return List.copyOf(added);
          }
        };
    PersonaEngine e = engine(old);
    VariantChoice hero = e.decide(Visit.builder("s10").build()).variant("home.hero");

    e.recordOutcome(Outcome.shown("s10", hero));
    e.recordOutcome(Outcome.shown("s10", hero));

    assertThat(added).hasSize(2);
  }

  @Test
  void everyDecision_hasItsOwnRandomId_carriedByItsChoices_andKeptOutOfToString() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      Decision d = engine.decide(Visit.builder("same-session").build());
      assertThat(d.id()).matches("[0-9a-f]{32}");
      assertThat(d.variants().values())
          .allSatisfy(c -> assertThat(c.decisionId()).isEqualTo(d.id()));
      ids.add(d.id());
    }
    Decision invalid = engine.decide(Visit.builder(null).build());
    Decision d = valueHunter("s11");

    assertThat(ids).hasSize(10_000);
    assertThat(invalid.isDefault()).isTrue();
    assertThat(invalid.variant("home.hero").decisionId()).isEqualTo(invalid.id());
    assertThat(d.toString()).doesNotContain(d.id());
    assertThat(d.variant("home.hero").toString()).doesNotContain(d.id());
    assertThat(Outcome.shown("s11", d.variant("home.hero")).toString()).doesNotContain(d.id());
  }

  @Test
  void outcomeIds_derivedFromTheDecision_orGiven() {
    Decision d = valueHunter("s12");
    VariantChoice hero = d.variant("home.hero");

    assertThat(Outcome.shown("s12", hero).id()).isEqualTo(d.id() + ":exposure:home.hero");
    assertThat(Outcome.purchased("s12", hero, 1).id()).isEqualTo(d.id() + ":purchase:home.hero");
    assertThat(Outcome.builder(Outcome.Kind.PURCHASE, "s12", hero).id("o-1").build().id())
        .isEqualTo("o-1");
    assertThat(Outcome.builder(Outcome.Kind.PURCHASE, "s12", "p", "v").build().id()).isNull();
    assertThat(
            Outcome.shown(
                    "s12", VariantChoice.builder("p", "v", VariantChoice.Basis.DEFAULT).build())
                .id())
        .isNull();
    assertThat(Outcome.shown("s12", hero))
        .isNotEqualTo(Outcome.shown("s12", valueHunter("s12").variant("home.hero")));
    assertThatThrownBy(() -> Outcome.builder(Outcome.Kind.CLICK, "s12", hero).id(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
