package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a request's view of its decision records, and what its toString leaves out. */
class PersonaRequestTest {
  private static final String SESSION = "5f0c8a2e9b7d4c1a";

  private final PersonaEngine engine =
      PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();
  private final Decision decision = engine.decide(Visit.builder(SESSION).build());
  private final PersonaRequest request = new PersonaRequest(engine, SESSION, decision);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void showingAPlacementTwice_recordsOneExposure_andLookingRecordsNone() {
    request.variant("product.badge");
    request.show("home.hero");
    Object content = request.content("home.hero");

    assertThat(content).isEqualTo(decision.variant("home.hero").content());
    assertThat(request.shown("home.hero")).isTrue();
    assertThat(request.shown("product.badge")).isFalse();
    assertThat(engine.variantStats())
        .filteredOn(s -> s.exposures() > 0)
        .extracting(VariantStats::placement, VariantStats::exposures)
        .containsExactly(org.assertj.core.api.Assertions.tuple("home.hero", 1L));
  }

  @Test
  void anUnknownPlacement_isNull_andRecordsNothing() {
    assertThat(request.show("no.such.placement")).isNull();
    assertThat(request.content("no.such.placement")).isNull();
    assertThat(engine.stats().outcomes()).isZero();
  }

  @Test
  void toString_holdsNoSessionOrDecisionId() {
    request.show("home.hero");

    assertThat(request.toString())
        .contains("home.hero")
        .doesNotContain(SESSION)
        .doesNotContain(decision.id());
  }
}
