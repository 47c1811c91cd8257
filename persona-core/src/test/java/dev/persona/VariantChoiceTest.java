package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class VariantChoiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine =
      PersonaEngine.builder().ruleSet(TestRules.ruleSet()).clock(clock).build();

  @Test
  void noMatchedPersona_getsEveryPlacementsDefault() {
    Decision d = engine.decide(Visit.builder("s1").build());

    assertThat(d.persona()).isNull();
    assertThat(d.variants()).containsOnlyKeys("home.hero", "cart.message");
    assertThat(d.variant("home.hero"))
        .satisfies(
            c -> {
              assertThat(c.variant()).isEqualTo("new-season");
              assertThat(c.basis()).isEqualTo(VariantChoice.Basis.DEFAULT);
              assertThat(c.content()).isEqualTo("New season");
            });
  }

  @Test
  void matchedPersona_getsItsVariant() {
    Decision d =
        engine.decide(
            Visit.builder("s2")
                .event(Event.of("apply_coupon"))
                .declared("priority", "price")
                .build());

    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(d.variant("home.hero"))
        .satisfies(
            c -> {
              assertThat(c.variant()).isEqualTo("flash-sale");
              assertThat(c.basis()).isEqualTo(VariantChoice.Basis.PERSONA);
              assertThat(c.persona()).isEqualTo("value_hunter");
              assertThat(c.content()).isEqualTo("Flash sale: 24h only");
            });
  }

  @Test
  void personaBelowThreshold_doesNotGetItsVariant() {
    Decision d = engine.decide(Visit.builder("s3").declared("priority", "price").build());

    assertThat(d.score("value_hunter")).isEqualTo(0.3);
    assertThat(d.persona()).isNull();
    assertThat(d.variant("home.hero").variant()).isEqualTo("new-season");
  }

  @Test
  void bestFitWins_weightTimesScore() {
    Visit both =
        Visit.builder("s4")
            .event(Event.of("apply_coupon"))
            .declared("priority", "price")
            .declared("shopping_for_gift", true)
            .build();

    Decision d = engine.decide(both);

    assertThat(d.score("value_hunter")).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.score("gift_giver")).isEqualTo(0.6);
    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(d.variant("home.hero"))
        .satisfies(
            c -> {
              assertThat(c.variant()).isEqualTo("gift-guide");
              assertThat(c.fit()).isCloseTo(0.72, org.assertj.core.data.Offset.offset(1e-9));
            });
  }

  @Test
  void variantConditions_canTestTheLifecycle() {
    engine.decide(Visit.builder("s5").event(Event.of("add_to_cart")).build());
    clock.advance(Duration.ofMinutes(25));

    Decision d = engine.decide(Visit.builder("s5").build());

    assertThat(d.lifecycle()).isEqualTo("cart_abandoner");
    assertThat(d.variant("cart.message"))
        .satisfies(
            c -> {
              assertThat(c.variant()).isEqualTo("come-back");
              assertThat(c.basis()).isEqualTo(VariantChoice.Basis.CONDITION);
            });
  }

  @Test
  void targetedVariant_alsoNeedsItsCondition() {
    Visit fromSearch =
        Visit.builder("s6")
            .header("User-Agent", SignalKindsTest.iphone())
            .header("Referer", "https://www.bing.com/")
            .build();
    Visit direct = Visit.builder("s7").header("User-Agent", SignalKindsTest.iphone()).build();

    assertThat(engine.decide(fromSearch).variant("cart.message").variant())
        .isEqualTo("free-shipping");
    assertThat(engine.decide(direct).variant("cart.message").variant()).isEqualTo("express");
  }

  @Test
  void unknownPlacement_isEmpty() {
    assertThat(engine.decide(Visit.builder("s8").build()).variant("nowhere")).isNull();
  }
}
