package dev.persona.rules.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.rules.JsonContent;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class DefaultRuleSetTest {
  private final RuleSet rules = RuleSetReader.defaultRuleSet();

  @Test
  void loads_withTheDocumentedVersion_andCompilesInAnEngine() {
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(rules).clock(new MutableClock(Scenarios.START)).build();

    assertThat(rules.version()).isEqualTo("default-2026.12");
    assertThat(engine.ruleSet().version()).isEqualTo("default-2026.12");
  }

  @Test
  void hasExactlyTheSevenPersonas_eachWithThresholdOneHalf() {
    assertThat(rules.personas())
        .extracting(Persona::id)
        .containsExactlyElementsOf(Scenarios.PERSONAS);
    assertThat(rules.personas()).extracting(Persona::threshold).containsOnly(0.5);
    assertThat(rules.personas()).allSatisfy(p -> assertThat(p.name()).isNotBlank());
  }

  @Test
  void hasExactlyTheLifecycleSegments_andStages() {
    assertThat(rules.lifecycle())
        .extracting(Assignment::value)
        .containsExactlyInAnyOrder(
            "new_visitor",
            "returning_visitor",
            "first_time_buyer",
            "repeat_buyer",
            "at_risk",
            "cart_abandoner");
    assertThat(rules.stages())
        .extracting(Assignment::value)
        .containsExactlyInAnyOrder(
            "awareness", "consideration", "purchase", "retention", "advocacy");
    assertThat(distinctPriorities(rules.lifecycle())).isTrue();
    assertThat(distinctPriorities(rules.stages())).isTrue();
  }

  @Test
  void hasExactlyTheFourPlacements_eachWithOneDefaultAndAVariantForEveryPersona() {
    assertThat(rules.placements())
        .extracting(Placement::id)
        .containsExactlyInAnyOrder("home.hero", "product.badge", "cart.message", "email.subject");
    for (Placement p : rules.placements()) {
      assertThat(p.variants().stream().filter(Variant::isDefault).count())
          .as("defaults of %s", p.id())
          .isEqualTo(1);
      Variant fallback = p.defaultVariant();
      assertThat(fallback.targets()).as("default of %s targets", p.id()).isEmpty();
      assertThat(fallback.content()).isInstanceOf(JsonContent.class);
      assertThat(((JsonContent) fallback.content()).json()).startsWith("{");
      Set<String> targeted =
          p.variants().stream().flatMap(v -> v.targets().stream()).collect(Collectors.toSet());
      assertThat(targeted).as("personas targeted in %s", p.id()).containsAll(Scenarios.PERSONAS);
      assertThat(p.variants())
          .allSatisfy(v -> assertThat(v.content()).isInstanceOf(JsonContent.class));
    }
  }

  @Test
  void cartPlacements_welcomeBackCartAbandoners() {
    for (String id : List.of("cart.message", "email.subject")) {
      Placement p =
          rules.placements().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      assertThat(p.variants())
          .anySatisfy(
              v -> {
                assertThat(v.targets()).isEmpty();
                assertThat(v.when()).hasToString("lifecycle = \"cart_abandoner\"");
              });
    }
  }

  @Test
  void everyPersonaHasThreeToSixRulesForIt_andEveryRuleIsDescribed() {
    for (String persona : Scenarios.PERSONAS) {
      long rulesFor =
          rules.rules().stream().filter(r -> r.adds().getOrDefault(persona, 0.0) > 0).count();
      assertThat(rulesFor).as("rules raising %s", persona).isBetween(3L, 6L);
    }
    assertThat(rules.rules()).allSatisfy(r -> assertThat(r.description()).isNotBlank());
  }

  @Test
  void aBotCountsAgainstEveryPersona() {
    Rule bot =
        rules.rules().stream().filter(r -> r.id().equals("bot-visit")).findFirst().orElseThrow();
    Map<String, Double> adds = bot.adds();

    assertThat(adds.keySet()).containsExactlyInAnyOrderElementsOf(Scenarios.PERSONAS);
    assertThat(adds.values()).allSatisfy(w -> assertThat(w).isNegative());
  }

  private static boolean distinctPriorities(List<Assignment> assignments) {
    Set<Integer> seen = new HashSet<>();
    return assignments.stream().allMatch(a -> seen.add(a.priority()));
  }
}
