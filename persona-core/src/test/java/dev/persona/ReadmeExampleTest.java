package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ContextConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The README's embedding example, compiled and run so that it cannot rot, and kept the same. */
final class ReadmeExampleTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path SOURCE = Path.of("src/test/java/dev/persona/ReadmeExampleTest.java");

  @Test
  void readmeShowsThisTestsExample() throws IOException {
    String shown = Snippets.javaBlock(README, "## Embedding");
    String run = Snippets.region(SOURCE, "README example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void readmeExample_runsAsShown() {
    String sessionId = "f3a9c1";
    String userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) Mobile/15E148";

    // README example begins
    RuleSet rules =
        RuleSet.builder("2026-11-23")
            .persona(new Persona("value_hunter", "Value hunter", 0.5))
            .rule(
                Rule.builder("coupon-user")
                    .when(Condition.gte("coupons_applied", 1))
                    .add("value_hunter", 0.6)
                    .build())
            .placement(
                Placement.of(
                    "home.hero",
                    Variant.builder("flash-sale")
                        .targets("value_hunter")
                        .content("Flash sale")
                        .build(),
                    Variant.builder("new-season").asDefault().content("New season").build()))
            .build();

    PersonaEngine engine =
        PersonaEngine.builder() // once, at start-up
            .ruleSet(rules)
            .context(ContextConfig.builder().timeZone(ZoneId.of("Europe/Warsaw")).build())
            .build();

    Visit visit =
        Visit.builder(sessionId) // per request
            .header("User-Agent", userAgent)
            .event(Event.of("apply_coupon"))
            .build();
    Decision decision = engine.decide(visit);
    Object hero = decision.variant("home.hero").content();
    decision.reasons().forEach(System.out::println);
    // README example ends

    assertThat(hero).isEqualTo("Flash sale");
    assertThat(decision.persona()).isEqualTo("value_hunter");
    assertThat(decision.signal("device").value()).isEqualTo("mobile");
    assertThat(decision.reasons())
        .extracting(Reason::text)
        .containsExactly(
            "rule 'coupon-user' [coupons_applied >= 1] fired: value_hunter +0.60 on coupons_applied=1",
            "placement home.hero: variant flash-sale for persona value_hunter (fit 0.60)");
  }
}
