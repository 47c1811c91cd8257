package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ContextConfig;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class SignalKindsTest {
  private static final Instant TUESDAY_9PM_UTC = Instant.parse("2026-11-10T21:00:00Z");

  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(TestRules.ruleSet())
          .clock(new MutableClock(TUESDAY_9PM_UTC))
          .context(ContextConfig.builder().timeZone(ZoneId.of("Europe/Warsaw")).build())
          .build();

  @Test
  void decide_classifiesEveryInputAsExactlyOneKind() {
    Visit visit =
        Visit.builder("s1")
            .header("User-Agent", iphone())
            .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
            .header("CF-IPCountry", "pl")
            .header("Referer", "https://www.google.com/search?q=shoes")
            .declared("shopping_for_gift", true)
            .declared("interests", List.of("hiking", "running"))
            .profile("orders", 3)
            .event(
                Event.builder("product_view")
                    .attribute("sku", "A1")
                    .attribute("on_sale", true)
                    .build())
            .build();

    Decision d = engine.decide(visit);

    assertThat(d.signals(SignalKind.EXPLICIT))
        .extracting(Signal::key, Signal::value, Signal::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("shopping_for_gift", true, "declared"),
            org.assertj.core.groups.Tuple.tuple(
                "interests", Set.of("hiking", "running"), "declared"));
    assertThat(d.signal("product_views"))
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.IMPLICIT);
              assertThat(s.value()).isEqualTo(1.0);
              assertThat(s.source()).isEqualTo("events");
            });
    assertThat(d.signal("sale_views").value()).isEqualTo(1.0);
    assertThat(d.signal("orders"))
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.IMPLICIT);
              assertThat(s.source()).isEqualTo("profile");
              assertThat(s.value()).isEqualTo(3.0);
            });
    assertThat(d.signals(SignalKind.CONTEXTUAL))
        .extracting(Signal::key, Signal::value)
        .contains(
            org.assertj.core.groups.Tuple.tuple("device", "mobile"),
            org.assertj.core.groups.Tuple.tuple("language", "pl"),
            org.assertj.core.groups.Tuple.tuple("country", "PL"),
            org.assertj.core.groups.Tuple.tuple("traffic_source", "organic_search"),
            org.assertj.core.groups.Tuple.tuple("daypart", "evening"),
            org.assertj.core.groups.Tuple.tuple("weekday", "tuesday"));
    assertThat(d.signals()).extracting(Signal::key).doesNotHaveDuplicates();
    assertThat(d.signalsByKind()).containsOnlyKeys(SignalKind.values());
  }

  @Test
  void decide_keepsExplicitSignalsForTheSession() {
    engine.decide(Visit.builder("s2").declared("priority", "price").build());

    Decision later = engine.decide(Visit.builder("s2").build());

    assertThat(later.signal("priority"))
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.EXPLICIT);
              assertThat(s.value()).isEqualTo("price");
            });
    assertThat(later.scores().get("value_hunter")).isEqualTo(0.3);
  }

  @Test
  void decide_accumulatesImplicitSignalsAcrossVisits() {
    engine.decide(Visit.builder("s3").event(Event.of("product_view")).build());
    engine.decide(Visit.builder("s3").event(Event.of("product_view")).build());

    Decision d = engine.decide(Visit.builder("s3").event(Event.of("add_to_cart")).build());

    assertThat(d.signal("product_views").value()).isEqualTo(2.0);
    assertThat(d.signal("cart_adds").value()).isEqualTo(1.0);
    assertThat(d.signal("cart_items").value()).isEqualTo(1.0);
    assertThat(d.signal("requests").value()).isEqualTo(3.0);
    assertThat(d.stage()).isEqualTo("purchase");
  }

  @Test
  void decide_countsUnknownEventTypesWithoutFailing() {
    Decision d = engine.decide(Visit.builder("s4").event(Event.of("teleport")).build());

    assertThat(d.isDefault()).isFalse();
    assertThat(d.signal("unknown_events").value()).isEqualTo(1.0);
    assertThat(engine.stats().unknownEvents()).isEqualTo(1);
  }

  @Test
  void decide_tracksTopCategoryAndBrand() {
    Visit visit =
        Visit.builder("s5")
            .event(Event.of("product_view", java.util.Map.of("category", "Shoes", "brand", "Acme")))
            .event(Event.of("product_view", java.util.Map.of("category", "shoes", "brand", "Acme")))
            .event(Event.of("product_view", java.util.Map.of("category", "hats", "brand", "Other")))
            .build();

    Decision d = engine.decide(visit);

    assertThat(d.signal("top_category").value()).isEqualTo("shoes");
    assertThat(d.signal("top_brand").value()).isEqualTo("acme");
    assertThat((Double) d.signal("top_brand_share").value())
        .isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void decide_rejectsDeclaredValuesOfTheWrongType() {
    Decision d =
        engine.decide(
            Visit.builder("s6").declared("shopping_for_gift", 42).declared("orders", 5).build());

    assertThat(d.signal("shopping_for_gift")).isNull();
    assertThat(d.signal("orders")).isNull();
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(engine.stats().rejectedInputs()).isEqualTo(2);
  }

  @Test
  void decide_withBotUserAgent_doesNotUpdateTheSession() {
    String bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    engine.decide(
        Visit.builder("s7").header("User-Agent", bot).event(Event.of("product_view")).build());

    Decision d = engine.decide(Visit.builder("s7").build());

    assertThat(d.signal("product_views")).isNull();
    assertThat(d.signal("requests").value()).isEqualTo(1.0);
  }

  static String iphone() {
    return "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
        + " like Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
  }
}
