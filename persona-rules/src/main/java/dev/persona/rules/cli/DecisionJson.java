package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.persona.Decision;
import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.VariantChoice;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a decision as one JSON object with the streaming generator:
 *
 * <pre>{@code
 * {"session": "s1", "persona": "value_hunter", "scores": {"value_hunter": 0.9, ...},
 *  "lifecycle": "new_visitor", "stage": "consideration", "consent": "FULL",
 *  "ruleset": "2026-11-23", "variants": {"home.hero": "flash-sale", ...},
 *  "signals": {"explicit": {...}, "implicit": {...}, "contextual": {...}},
 *  "reasons": ["..."], "flags": []}
 * }</pre>
 *
 * <p>Absent persona, lifecycle and stage are {@code null}; numbers are JSON numbers, set signals
 * arrays.
 */
final class DecisionJson {
  private DecisionJson() {}

  /**
   * Writes one decision object.
   *
   * @param g the generator
   * @param session the visit's session id
   * @param d the decision
   * @throws IOException if the generator's target fails
   */
  static void write(JsonGenerator g, String session, Decision d) throws IOException {
    g.writeStartObject();
    g.writeStringField("session", session);
    g.writeStringField("persona", d.persona());
    g.writeObjectFieldStart("scores");
    for (Map.Entry<String, Double> e : d.scores().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeStringField("lifecycle", d.lifecycle());
    g.writeStringField("stage", d.stage());
    g.writeStringField("consent", d.consent().name());
    g.writeStringField("ruleset", d.ruleSetVersion());
    g.writeObjectFieldStart("variants");
    for (VariantChoice c : d.variants().values()) {
      g.writeStringField(c.placement(), c.variant());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("signals");
    for (SignalKind kind : SignalKind.values()) {
      g.writeObjectFieldStart(kind.name().toLowerCase(Locale.ROOT));
      for (Signal s : d.signals()) {
        if (s.kind() == kind) {
          g.writeFieldName(s.key());
          value(g, s.value());
        }
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeArrayFieldStart("reasons");
    for (Reason r : d.reasons()) {
      g.writeString(r.text());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("flags");
    for (Decision.Flag f : d.flags()) {
      g.writeString(f.name());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Set<?> set) {
      g.writeStartArray();
      for (Object o : set) {
        g.writeString(String.valueOf(o));
      }
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }
}
