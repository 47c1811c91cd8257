package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/cli.md's visit line is true: the tool reads it, and each event attribute it passes is read
 * by the engine, so that leaving it out changes the decision's signals.
 */
final class CliDocTest {

  @Test
  void theDocumentedVisitLine_isRead_andEachOfItsEventAttributesCounts() throws Exception {
    Visit visit = VisitJson.parseLine(documentedVisit()).visit();
    Event event = visit.events().get(0);

    assertThat(event.attributes()).isNotEmpty();
    for (String attribute : event.attributes().keySet()) {
      Map<String, Object> fewer = new LinkedHashMap<>(event.attributes());
      fewer.remove(attribute);
      Event.Builder without = Event.builder(event.type()).at(event.at());
      fewer.forEach(without::attribute);
      Visit other =
          Visit.builder(visit.sessionId())
              .timestamp(visit.timestamp())
              .event(without.build())
              .build();
      Visit withAll =
          Visit.builder(visit.sessionId()).timestamp(visit.timestamp()).event(event).build();

      assertThat(signals(other))
          .as("the decision without the event attribute '%s'", attribute)
          .isNotEqualTo(signals(withAll));
    }
  }

  private static List<?> signals(Visit visit) {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RuleSetReader.defaultRuleSet())
            .clock(new MutableClock(visit.timestamp()))
            .build();
    Decision d = engine.decide(visit);
    return d.signals();
  }

  /** The visit line of docs/cli.md, its lines joined. */
  private static String documentedVisit() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("docs/cli.md"))) {
      dir = dir.getParent();
    }
    String doc = Files.readString(dir.resolve("docs/cli.md"));
    int start = doc.indexOf("```json\n") + 8;
    return doc.substring(start, doc.indexOf("```", start)).replace('\n', ' ');
  }
}
