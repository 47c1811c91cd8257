package dev.persona;

import static dev.persona.ruleset.Condition.all;
import static dev.persona.ruleset.Condition.eq;
import static dev.persona.ruleset.Condition.exists;
import static dev.persona.ruleset.Condition.gte;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ContinueWhereYouLeftOffTest {
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(
              TestRules.builder()
                  .placement(
                      Placement.of(
                          "home.continue",
                          Variant.builder("pick-up-cart")
                              .when(all(exists("open_cart"), gte("requests", 2)))
                              .weight(2)
                              .content("Your cart is waiting")
                              .build(),
                          Variant.builder("recently-viewed")
                              .when(all(exists("recently_viewed"), gte("requests", 2)))
                              .content("Continue where you left off")
                              .build(),
                          Variant.builder("bestsellers").asDefault().build()))
                  .placement(
                      Placement.of(
                          "pdp.reminder",
                          Variant.builder("still-thinking")
                              .when(eq("recently_viewed", "sku-9"))
                              .build(),
                          Variant.builder("none").asDefault().build()))
                  .build())
          .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
          .build();

  @Test
  void viewedProducts_areRememberedMostRecentFirst_withoutRepeats() {
    engine.decide(
        Visit.builder("s1")
            .event(view("sku-1"))
            .event(view("sku-2"))
            .event(view("sku-1"))
            .event(view("sku-3"))
            .build());

    Decision d = engine.decide(Visit.builder("s1").build());

    assertThat(set(d, "recently_viewed")).containsExactly("sku-3", "sku-1", "sku-2");
    assertThat(d.signal("recently_viewed").kind()).isEqualTo(SignalKind.IMPLICIT);
  }

  @Test
  void skuAttribute_namesTheProduct_whenThereIsNoProductAttribute() {
    Decision d =
        engine.decide(
            Visit.builder("s7")
                .event(Event.of("product_view", Map.of("sku", "HP-1")))
                .event(Event.of("product_view", Map.of("product", "HP-2", "sku", "ignored")))
                .event(Event.of("product_view", Map.of("product", 1234567)))
                .event(Event.of("product_view", Map.of("product", 1.5)))
                .build());

    assertThat(set(d, "recently_viewed")).containsExactly("1234567", "HP-2", "HP-1");
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
  }

  @Test
  void recentlyViewed_isBounded_droppingTheOldest() {
    Visit.Builder v = Visit.builder("s2");
    for (int i = 1; i <= 30; i++) {
      v.event(view("sku-" + i));
    }
    Decision d = engine.decide(v.build());

    List<String> kept = new ArrayList<>(set(d, "recently_viewed"));
    assertThat(kept).hasSize(12).startsWith("sku-30").endsWith("sku-19");
  }

  @Test
  void openCart_followsAddsRemovesAndPurchase() {
    engine.decide(
        Visit.builder("s3")
            .event(add("sku-1"))
            .event(add("sku-2"))
            .event(add("sku-3"))
            .event(Event.of("remove_from_cart", Map.of("product", "sku-2")))
            .build());

    assertThat(set(engine.decide(Visit.builder("s3").build()), "open_cart"))
        .containsExactly("sku-3", "sku-1");

    engine.decide(Visit.builder("s3").event(Event.of("purchase", Map.of("value", 80.0))).build());

    Decision after = engine.decide(Visit.builder("s3").build());
    assertThat(after.signal("open_cart")).isNull();
  }

  @Test
  void returningShoppers_getTheContinueVariants_newOnesDoNot() {
    Decision first = engine.decide(Visit.builder("s4").event(view("sku-9")).build());
    assertThat(first.variant("home.continue").variant()).isEqualTo("bestsellers");
    assertThat(first.variant("pdp.reminder").variant()).isEqualTo("still-thinking");

    Decision back = engine.decide(Visit.builder("s4").build());
    assertThat(back.variant("home.continue").variant()).isEqualTo("recently-viewed");

    engine.decide(Visit.builder("s4").event(add("sku-9")).build());
    Decision withCart = engine.decide(Visit.builder("s4").build());
    assertThat(withCart.variant("home.continue").variant()).isEqualTo("pick-up-cart");
  }

  @Test
  void withoutConsent_nothingIsRemembered() {
    engine.decide(Visit.builder("s5").header("Sec-GPC", "1").event(view("sku-1")).build());

    Decision d = engine.decide(Visit.builder("s5").build());

    assertThat(d.signal("recently_viewed")).isNull();
  }

  @Test
  void productIds_areBoundedLikeOtherStrings() {
    Decision d = engine.decide(Visit.builder("s6").event(view("x".repeat(10_000))).build());

    assertThat(set(d, "recently_viewed").iterator().next()).hasSizeLessThanOrEqualTo(256);
    assertThat(d.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
  }

  private static Event view(String product) {
    return Event.of("product_view", Map.of("product", product));
  }

  private static Event add(String product) {
    return Event.of("add_to_cart", Map.of("product", product));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(Decision d, String key) {
    return (Set<String>) d.signal(key).value();
  }
}
