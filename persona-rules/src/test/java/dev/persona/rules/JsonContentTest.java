package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import org.junit.jupiter.api.Test;

/**
 * A variant's content from a rule file is read with persona-core alone, as docs/rules.md shows: its
 * {@code toString()} is the JSON text, exactly as the file has it.
 */
final class JsonContentTest {

  @Test
  void contentsToString_isItsJsonText_asWritten() {
    String content = "{\"title\": \"Flash sale\",  \"ends_in_hours\": 24, \"tags\": [\"a\", 1.50]}";
    String file =
        """
        {
          "version": "v1",
          "placements": [
            {"id": "home.hero", "variants": [
              {"id": "hero", "default": true, "content": %s}
            ]}
          ]
        }"""
            .formatted(content);
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file, "c.json")).build();

    Decision decision = engine.decide(Visit.builder("s1").build());
    Object shown = decision.variant("home.hero").content();
    String json = shown == null ? null : shown.toString();

    assertThat(json).isEqualTo(content);
    engine.close();
  }
}
