package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.Limits;
import dev.persona.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LimitsTest {
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(TestRules.ruleSet())
          // an autumn Tuesday morning: no contextual value is longer than the 8-character limit
          .clock(new MutableClock(java.time.Instant.parse("2026-11-17T08:00:00Z")))
          .limits(
              Limits.builder()
                  .maxEventsPerVisit(10)
                  .maxStringLength(8)
                  .maxDeclaredKeys(3)
                  .maxSetSize(2)
                  .build())
          .build();

  @Test
  void eventsBeyondTheLimit_areDroppedCountedAndFlagged() {
    List<Event> many = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      many.add(Event.of("product_view"));
    }

    Decision d = engine.decide(Visit.builder("s1").events(many).build());

    assertThat(d.signal("product_views").value()).isEqualTo(10.0);
    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains("input truncated: 99990 events beyond the limit of 10");
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
  }

  @Test
  void longStringsAndBigSets_areCut() {
    Decision d =
        engine.decide(
            Visit.builder("s2")
                .declared("priority", "price-above-everything")
                .declared("interests", List.of("a", "b", "c"))
                .build());

    assertThat(d.signal("priority").value()).isEqualTo("price-ab");
    assertThat(d.signal("interests").value()).isEqualTo(java.util.Set.of("a", "b"));
    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
  }

  @Test
  void declaredAttributesPerSession_areBounded() {
    engine.decide(
        Visit.builder("s3").declared("a1", "x").declared("a2", "x").declared("a3", "x").build());

    Decision d = engine.decide(Visit.builder("s3").declared("a4", "x").build());

    assertThat(d.signals(SignalKind.EXPLICIT))
        .extracting(Signal::key)
        .containsExactly("a2", "a3", "a4");
    assertThat(d.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains("input truncated: declared attributes beyond the session limit of 3");
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
  }

  @Test
  void categoriesAndBrandsBeyondTheLimit_displaceOne_andAreCountedAndFlagged() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(java.time.Instant.parse("2026-11-17T08:00:00Z")))
            .limits(Limits.builder().maxAffinityKeys(2).build())
            .build();

    Decision atTheLimit =
        engine.decide(
            Visit.builder("s")
                .event(view("shoes", "acme"))
                .event(view("shoes", "acme"))
                .event(view("bags", "zenith"))
                .build());

    assertThat(atTheLimit.flags()).isEmpty();
    assertThat(engine.stats().truncatedInputs()).isZero();

    Decision beyond = engine.decide(Visit.builder("s").event(view("hats", "nova")).build());

    assertThat(beyond.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(beyond.reasons())
        .extracting(Reason::text)
        .contains(
            "input truncated: categories or brands beyond the session limit of 2 each: the"
                + " lightest kept");
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
    assertThat(beyond.signal("top_category").value()).isEqualTo("shoes");
  }

  @Test
  void queryParametersBeyondTheHeaderLimit_areReadOnlyThatFar_andFlagged() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxHeaderLength(16).build())
            .build();

    Decision exact =
        engine.decide(
            Visit.builder("q1")
                .query("utm_source", "x".repeat(16))
                .query("not_read", "y".repeat(1_000))
                .build());

    assertThat(exact.flags()).isEmpty();
    assertThat(engine.stats().truncatedInputs()).isZero();

    Decision over =
        engine.decide(
            Visit.builder("q2")
                .query("UTM_Source", "x".repeat(17))
                .query("gclid", "g".repeat(100_000))
                .build());

    assertThat(over.signal("traffic_source")).isNotNull();
    assertThat(over.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(over.reasons())
        .extracting(Reason::text)
        .contains(
            "input truncated: a query parameter longer than 16 characters was read only that far");
    assertThat(engine.stats().truncatedInputs()).isEqualTo(2);
  }

  @Test
  void categoriesAndBrands_areCutAfterLowerCasing_soThatNoneOutgrowsTheLimit() {
    // 'İ' (one character) lower-cases to 'i' and a combining dot (two)
    Decision d = engine.decide(Visit.builder("tr").event(view("İİİİİİİİ", "İİİİİİİİ")).build());

    assertThat((String) d.signal("top_category").value()).isEqualTo("i̇i̇i̇i̇");
    assertThat((String) d.signal("top_brand").value()).hasSize(8);
    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
  }

  @Test
  void overlongUserIds_areLeftOut_soThatNoneIsKept() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxUserIdLength(64).build())
            .build();
    String fits = "u".repeat(64);
    String tooLong = "v".repeat(65);

    Decision kept = engine.decide(Visit.builder("s1").userId(fits).build());
    Decision left = engine.decide(Visit.builder("s2").userId(tooLong).build());

    assertThat(kept.flags()).isEmpty();
    assertThat(left.isDefault()).isFalse();
    assertThat(left.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(left.reasons())
        .extracting(Reason::text)
        .contains("input truncated: user id longer than 64 characters: decided as anonymous");
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
    assertThat(engine.forgetUser(fits)).isEqualTo(1);
    assertThat(engine.forgetUser(tooLong)).isZero(); // never linked to its session
    assertThat(Limits.defaults().maxUserIdLength()).isEqualTo(256);
  }

  private static Event view(String category, String brand) {
    return Event.of("product_view", java.util.Map.of("category", category, "brand", brand));
  }

  @Test
  void headersBeyondTheLimit_areReadOnlyThatFar_andFlagged() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxHeaderLength(64).build())
            .build();
    String phone = SignalKindsTest.iphone();

    Decision d =
        engine.decide(
            Visit.builder("s").header("User-Agent", phone + "x".repeat(1_000_000)).build());

    assertThat(d.signal("device").value()).isEqualTo("mobile");
    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(engine.stats().truncatedInputs()).isEqualTo(1);
  }

  @Test
  void limits_mustBePositive() {
    assertThatThrownBy(() -> Limits.builder().maxEventsPerVisit(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEventsPerVisit must be positive, was 0");
  }
}
