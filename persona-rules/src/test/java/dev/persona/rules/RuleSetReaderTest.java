package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RuleSetReaderTest {
  private final RuleSetReader reader = RuleSetReader.create();

  @Test
  void documentedExample_loadsAndDecides() throws IOException {
    String doc = Files.readString(root().resolve("docs/rules.md"));
    int start = doc.indexOf("```json\n") + 8;
    String json = doc.substring(start, doc.indexOf("```", start));

    RuleSet rules = reader.read(json, "docs/rules.md");
    PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).build();
    Decision d = engine.decide(Visit.builder("s").event(Event.of("apply_coupon")).build());

    assertThat(rules.version()).isEqualTo("2026-11-23");
    assertThat(rules.signals()).extracting(SignalSpec::key).containsExactly("vip_tier");
    assertThat(d.persona()).isEqualTo("value_hunter");
    assertThat(d.variant("home.hero").content())
        .isEqualTo(new JsonContent("{\"title\": \"Flash sale\", \"ends_in_hours\": 24}"));
  }

  @Test
  void everyConditionForm_readsAsDocumented() {
    String json =
        rules(
            "\"personas\": [{\"id\": \"p\", \"name\": \"P\", \"threshold\": 0.5}],"
                + "\"rules\": [{\"id\": \"r\", \"add\": {\"p\": 1}, \"when\": {\"all\": ["
                + "{\"signal\": \"device\", \"eq\": \"mobile\"},"
                + "{\"signal\": \"device\", \"ne\": \"bot\"},"
                + "{\"signal\": \"country\", \"in\": [\"PL\", \"DE\"]},"
                + "{\"signal\": \"orders\", \"between\": [1, 3]},"
                + "{\"signal\": \"product_views\", \"gt\": 0},"
                + "{\"any\": [{\"signal\": \"sale_views\", \"gte\": 2}, {\"signal\": \"requests\", \"lt\": 9}]},"
                + "{\"signal\": \"requests\", \"lte\": 9},"
                + "{\"signal\": \"loyalty_member\", \"exists\": false},"
                + "{\"signal\": \"campaign\", \"prefix\": \"BF\", \"ignore_case\": true},"
                + "{\"not\": {\"signal\": \"campaign\", \"contains\": \"test\"}}]}}]");

    RuleSet rules = reader.read(json, "all.json");

    assertThat(rules.rules().get(0).when())
        .hasToString(
            "device = \"mobile\" and device != \"bot\" and country in [\"PL\", \"DE\"] and orders"
                + " between 1 and 3 and product_views > 0 and (sale_views >= 2 or requests < 9) and"
                + " requests <= 9 and not (loyalty_member exists) and campaign prefix (any case)"
                + " \"BF\" and not (campaign contains \"test\")");
  }

  @Test
  void everyProblem_isReportedTogetherWithItsPosition() {
    String json =
        """
        {
          "version": "v1",
          "personas": [
            {"id": "p", "name": "P", "threshold": "high"},
            {"id": "q", "name": "Q", "threshold": 0.5, "colour": "red"},
            {"id": "q", "name": "Q2", "threshold": 0.5}
          ],
          "rules": [
            {"id": "r1", "add": {"q": 0.5}, "when": {"signal": "sale_view", "gte": 2}},
            {"id": "r2", "add": {"q": 0.5}, "when": {"signal": "device", "gte": 2}},
            {"id": "r3", "add": {"ghost": 0.5}}
          ]
        }""";

    assertThatThrownBy(() -> reader.read(json, "bad.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "bad.json:4:43: expected a number, found a string (at $.personas[0].threshold)",
                        "bad.json:5:48: unknown field 'colour'; expected one of [id, name, threshold]"
                            + " (at $.personas[1].colour)",
                        "bad.json:6:12: duplicate persona id 'q' (first at 5:12) (at $.personas[2].id)",
                        "bad.json:9:45: unknown signal 'sale_view'; did you mean 'sale_views'?"
                            + " (at $.rules[0].when)",
                        "bad.json:10:45: 'device' is TEXT: >= needs a NUMBER signal"
                            + " (at $.rules[1].when)",
                        "bad.json:11:26: rule 'r3' adds to unknown persona 'ghost'; known personas:"
                            + " [q] (at $.rules[2].add.ghost)"));
  }

  @Test
  void structuralProblems_doNotHideReferenceProblems_norInventOnesOfBrokenEntries() {
    String json =
        """
        {
          "version": "v1",
          "signals": [{"key": "tier", "kind": "explicit", "type": "colour"}],
          "personas": [
            {"id": "p", "name": "P", "threshold": "high"},
            {"id": "q", "name": "Q", "threshold": 0.5}
          ],
          "rules": [
            {"id": "r0", "add": {"q": "much"}},
            {"id": "r1", "add": {"p": 0.5}, "when": {"signal": "tier", "eq": "gold"}},
            {"id": "r2", "add": {"q": 0.5}, "when": {"signal": "sale_view", "gte": 2}},
            {"id": "r3", "add": {"ghost": 0.5}}
          ],
          "lifecycle": [
            {"segment": "a", "priority": "high"},
            {"segment": "b", "priority": 1, "when": {"signal": "device", "gte": 2}}
          ],
          "placements": [
            {"id": "x", "variants": [{"id": "d", "default": true, "colour": 1}]},
            {"id": "y", "variants": [{"id": "d", "default": true}, {"id": "v", "targets": ["nobody"]}]}
          ]
        }""";

    assertThatThrownBy(() -> reader.read(json, "seven.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "seven.json:3:59: expected one of [text, number, flag, set], found 'colour'"
                            + " (at $.signals[0].type)",
                        "seven.json:5:43: expected a number, found a string"
                            + " (at $.personas[0].threshold)",
                        "seven.json:9:31: expected a number, found a string (at $.rules[0].add.q)",
                        "seven.json:11:45: unknown signal 'sale_view'; did you mean 'sale_views'?"
                            + " (at $.rules[2].when)",
                        "seven.json:12:26: rule 'r3' adds to unknown persona 'ghost'; known"
                            + " personas: [q] (at $.rules[3].add.ghost)",
                        "seven.json:15:34: expected a whole number, found a string"
                            + " (at $.lifecycle[0].priority)",
                        "seven.json:16:45: 'device' is TEXT: >= needs a NUMBER signal"
                            + " (at $.lifecycle[1].when)",
                        "seven.json:19:59: unknown field 'colour'; expected one of [content,"
                            + " default, id, targets, weight, when] (at $.placements[0].variants[0].colour)",
                        "seven.json:20:84: variant 'v' targets unknown persona 'nobody'; known"
                            + " personas: [q] (at $.placements[1].variants[1].targets)"));
  }

  @Test
  void referencesAndSignals_areAllReportedTogether() {
    String json =
        """
        {
          "version": "v1",
          "personas": [{"id": "q", "name": "Q", "threshold": 0.5}],
          "rules": [
            {"id": "r1", "add": {"q": 0.5}, "when": {"signal": "sale_view", "gte": 2}},
            {"id": "r2", "add": {"q": 0.5}, "when": {"signal": "device", "gte": 2}},
            {"id": "r3", "add": {"ghost": 0.5}}
          ]
        }""";

    assertThatThrownBy(() -> reader.read(json, "refs.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "refs.json:5:45: unknown signal 'sale_view'; did you mean 'sale_views'?"
                            + " (at $.rules[0].when)",
                        "refs.json:6:45: 'device' is TEXT: >= needs a NUMBER signal"
                            + " (at $.rules[1].when)",
                        "refs.json:7:26: rule 'r3' adds to unknown persona 'ghost'; known personas:"
                            + " [q] (at $.rules[2].add.ghost)"));
  }

  @Test
  void unknownSignalsAndTypeMismatches_pointAtTheCondition() {
    String json =
        """
        {
          "version": "v1",
          "personas": [{"id": "q", "name": "Q", "threshold": 0.5}],
          "rules": [
            {"id": "r1", "add": {"q": 0.5}, "when": {"signal": "sale_view", "gte": 2}},
            {"id": "r2", "add": {"q": 0.5}, "when": {"signal": "device", "gte": 2}}
          ]
        }""";

    assertThatThrownBy(() -> reader.read(json, "signals.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "signals.json:5:45: unknown signal 'sale_view'; did you mean 'sale_views'?"
                            + " (at $.rules[0].when)",
                        "signals.json:6:45: 'device' is TEXT: >= needs a NUMBER signal"
                            + " (at $.rules[1].when)"));
  }

  @Test
  void aVersionThatCouldForgeLogLines_isRefusedAtItsPosition() {
    String json = "{\n  \"version\": \"v1\\nINFO reloaded rules v9\\u001b[2K\"\n}";

    assertThatThrownBy(() -> reader.read(json, "forged.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "forged.json:2:14: version must not hold control or format characters"
                            + " (such as a newline or an escape), found U+000A at index 2"
                            + " (at $.version)"));
  }

  @Test
  void aFileRedeclaringABuiltInSignal_isRefusedAtTheKey() {
    String json =
        """
        {
          "version": "v1",
          "signals": [{"key": "device", "kind": "explicit", "type": "number"}],
          "personas": [{"id": "q", "name": "Q", "threshold": 0.5}],
          "rules": [{"id": "r", "add": {"q": 0.5}, "when": {"signal": "device", "eq": "mobile"}}]
        }""";

    assertThatThrownBy(() -> reader.read(json, "redeclared.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "redeclared.json:3:23: signal 'device' is built in; remove its declaration"
                            + " (at $.signals[0].key)"));
  }

  @Test
  void customSignals_becomeKnownThroughWithSignals() {
    String json =
        rules(
            "\"personas\": [{\"id\": \"q\", \"name\": \"Q\", \"threshold\": 0.5}],"
                + "\"rules\": [{\"id\": \"r\", \"add\": {\"q\": 1}, \"when\": {\"signal\": \"vip\", \"eq\": true}}]");
    SignalSpec vip =
        new SignalSpec("vip", SignalKind.CONTEXTUAL, SignalType.FLAG, "from a custom extractor");

    assertThatThrownBy(() -> reader.read(json, "x.json"))
        .hasMessageContaining("unknown signal 'vip'");
    assertThat(reader.withSignals(List.of(vip)).read(json, "x.json").rules()).hasSize(1);
  }

  @Test
  void unknownTargets_areReportedAtTheTarget() {
    String json =
        rules(
            "\"personas\": [{\"id\": \"q\", \"name\": \"Q\", \"threshold\": 0.5}],"
                + "\"placements\": [{\"id\": \"home.hero\", \"variants\": ["
                + "{\"id\": \"a\", \"targets\": [\"q\", \"phantom\"]},"
                + "{\"id\": \"b\", \"default\": true}]}]");

    assertThatThrownBy(() -> reader.read(json, "t.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "t.json:1:153: variant 'a' targets unknown persona 'phantom'; known"
                            + " personas: [q] (at $.placements[0].variants[0].targets)"));
  }

  @Test
  void placementWithoutDefault_isRefused() {
    String json =
        rules(
            "\"placements\": [{\"id\": \"p\", \"variants\": [{\"id\": \"a\", \"when\": {\"signal\": \"device\", \"eq\": \"mobile\"}}]}]");

    assertThatThrownBy(() -> reader.read(json, "d.json"))
        .hasMessageContaining(
            "d.json:1:34: placement 'p' needs exactly one default variant, has 0");
  }

  @Test
  void malformedFiles_getAPositionNotAStackTrace(@TempDir Path dir) throws IOException {
    String nested = "{\"version\": \"v\", \"rules\": [" + "[".repeat(100) + "]".repeat(100) + "]}";
    byte[] invalidUtf8 = "{\"version\": \"v\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    String huge = "{\"version\": \"" + "x".repeat(70_000) + "\"}";

    assertProblem("", "empty.json:1:1: the file is empty; expected a rule-set object (at $)");
    assertProblem("{\"version\": \"v\", \"personas\": [", "truncated.json:1:");
    assertProblem(
        "{\"version\": \"v\"} {}",
        "garbage.json:1:18: unexpected content after the rule-set object");
    assertProblem(
        "{\"version\": \"v\", \"version\": \"w\"}", "dup.json:1:18: duplicate key 'version'");
    assertProblem("[1, 2]", "array.json:1:1: expected an object, found an array (at $)");
    assertProblem(nested, "nested.json:1:");
    assertProblem(huge, "huge.json:1:");
    assertProblem("{}", "noversion.json:1:1: missing required field 'version' (at $)");
    Path file = dir.resolve("utf8.json");
    Files.write(file, invalidUtf8);
    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems().get(0).toString())
                    .startsWith(file + ":1:")
                    .contains("UTF-8"));
  }

  @Test
  void bytesJacksonTakesForUtf32OfNoKnownByteOrder_areAProblemAtTheStart_throughEveryEntryPoint(
      @TempDir Path dir) throws IOException {
    // 00 00 5B 00: two NULs make Jackson guess UTF-32, and no byte order fits; it threw
    // CharConversionException (an UncheckedIOException out of read) before reading a token
    Path file = dir.resolve("ucs4.json");
    Files.write(file, new byte[] {0, 0, '[', 0});
    String resource = "dev/persona/rules/hostile/crashes/utf32-unsupported-byte-order-short.json";

    assertUnreadableAtTheStart(() -> reader.read(file), file.toString());
    assertUnreadableAtTheStart(() -> reader.read("\0\0[\0", "ucs4.json"), "ucs4.json");
    assertUnreadableAtTheStart(() -> reader.readResource(resource), "classpath:" + resource);
  }

  private static void assertUnreadableAtTheStart(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable read, String source) {
    assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              assertThat(e.problems().get(0).toString())
                  .startsWith(source + ":1:1: the file is not readable as UTF-8 text: ")
                  .endsWith("(at $)");
            });
  }

  @Test
  void missingFile_isAnIoError() {
    assertThatThrownBy(() -> reader.read(Path.of("/no/such/rules.json")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("/no/such/rules.json");
  }

  private void assertProblem(String json, String expectedStart) {
    String name = expectedStart.substring(0, expectedStart.indexOf(':'));
    assertThatThrownBy(() -> reader.read(json, name))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e -> {
              assertThat(e.problems()).isNotEmpty();
              assertThat(e.problems().get(0).toString()).startsWith(expectedStart);
            });
  }

  private static String rules(String body) {
    return "{\"version\": \"v1\", " + body + "}";
  }

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/rules.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the project root from " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
