package dev.persona.rules;

import static dev.persona.ruleset.Condition.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CustomizingTheDefaultTest {

  @Test
  void aTeam_overridesAPersonaAndAddsAPersonaAndAPlacement() {
    RuleSet custom =
        RuleSetReader.defaultRuleSet().toBuilder()
            .removeRulesFor("value_hunter")
            .rule(
                Rule.builder("only-coupons")
                    .when(eq("priority", "price"))
                    .add("value_hunter", 0.9)
                    .build())
            .persona(new Persona("eco_shopper", "Eco shopper", 0.5))
            .rule(
                Rule.builder("eco")
                    .when(eq("priority", "sustainability"))
                    .add("eco_shopper", 0.8)
                    .build())
            .placement(
                Placement.of(
                    "footer.banner",
                    Variant.builder("green")
                        .targets("eco_shopper")
                        .content("Carbon neutral")
                        .build(),
                    Variant.builder("plain").asDefault().content("Newsletter").build()))
            .build();
    PersonaEngine engine = PersonaEngine.builder().ruleSet(custom).build();

    Decision saleBrowser =
        engine.decide(
            Visit.builder("s1")
                .event(Event.builder("product_view").attribute("on_sale", true).build())
                .event(Event.builder("product_view").attribute("on_sale", true).build())
                .event(Event.of("apply_coupon"))
                .build());
    Decision eco =
        engine.decide(Visit.builder("s2").declared("priority", "sustainability").build());

    assertThat(saleBrowser.score("value_hunter")).isZero();
    assertThat(eco.persona()).isEqualTo("eco_shopper");
    assertThat(eco.variant("footer.banner").content()).isEqualTo("Carbon neutral");
    assertThat(eco.variants())
        .containsKeys("home.hero", "product.badge", "cart.message", "email.subject");
  }

  @Test
  void theDefault_readsTheSameFromAPathAStringAndTheClasspath(@TempDir Path dir)
      throws IOException {
    String json;
    try (InputStream in =
        RuleSetReader.class.getResourceAsStream("/" + RuleSetReader.DEFAULT_RESOURCE)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path file = Files.writeString(dir.resolve("default.json"), json);

    RuleSet fromClasspath = RuleSetReader.defaultRuleSet();
    RuleSet fromPath = RuleSetReader.create().read(file);
    RuleSet fromString = RuleSetReader.create().read(json, "default.json");

    for (RuleSet r : new RuleSet[] {fromPath, fromString}) {
      assertThat(r.version()).isEqualTo(fromClasspath.version());
      assertThat(r.personas()).isEqualTo(fromClasspath.personas());
      assertThat(r.rules()).isEqualTo(fromClasspath.rules());
      assertThat(r.placements()).isEqualTo(fromClasspath.placements());
    }
  }
}
