package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ExplanationTest {
  private final PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();

  @Test
  void scoreReasons_nameTheRuleItsSignalsAndWhatItAdded() {
    Decision d =
        engine.decide(
            Visit.builder("s1")
                .event(Event.of("view_reviews"))
                .event(Event.of("view_reviews"))
                .event(Event.of("compare"))
                .build());

    Reason reviews =
        d.reasons().stream()
            .filter(r -> r.source().equals("reads-reviews"))
            .findFirst()
            .orElseThrow();
    assertThat(reviews.kind()).isEqualTo(Reason.Kind.SCORE);
    assertThat(reviews.adds()).containsEntry("researcher", 0.3);
    assertThat(reviews.signals()).extracting(Signal::key).containsExactly("reviews_read");
    assertThat(reviews.text())
        .isEqualTo(
            "rule 'reads-reviews' [reviews_read >= 1] fired: researcher +0.30"
                + " (0.15 x reviews_read 2.00) on reviews_read=2");
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains(
            "rule 'compares' [compares >= 1] fired: researcher +0.30 on compares=1",
            "placement home.hero: variant reviews for persona researcher (fit 0.60)",
            "stage awareness (priority 0) because always",
            "placement cart.message: default variant free-shipping, no other was eligible");
  }

  @Test
  void rulesThatDidNotFire_giveNoReason() {
    Decision d = engine.decide(Visit.builder("s2").build());

    assertThat(d.reasons()).noneMatch(r -> r.kind() == Reason.Kind.SCORE);
  }

  @Test
  void decisionToString_leavesOutIdsAndValues() {
    Decision d =
        engine.decide(
            Visit.builder("secret-session")
                .userId("secret-user")
                .declared("priority", "secret")
                .build());

    assertThat(d.toString()).doesNotContain("secret").contains("home.hero=new-season");
  }
}
