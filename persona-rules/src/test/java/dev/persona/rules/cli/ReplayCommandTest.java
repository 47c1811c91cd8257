package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReplayCommandTest {
  @TempDir Path dir;

  @Test
  void outcomes_areReportedPerVariant_withPurchasesCreditedToEarlierExposures() throws IOException {
    Path rules = Cli.write(dir, "rules.json", Cli.rules(0.6));
    String coupon = "\"events\": [{\"type\": \"apply_coupon\"}]";
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", \"at\": \"2026-11-10T12:00:00Z\", "
                + coupon
                + ","
                + " \"outcomes\": [{\"type\": \"exposure\", \"placement\": \"home.hero\"},"
                + " {\"type\": \"click\", \"placement\": \"home.hero\"}]}",
            "{\"session\": \"s1\", \"at\": \"2026-11-10T12:05:00Z\","
                + " \"events\": [{\"type\": \"purchase\", \"value\": 59.9}]}",
            "{\"session\": \"s2\", \"at\": \"2026-11-10T12:06:00Z\","
                + " \"outcomes\": [{\"type\": \"exposure\", \"placement\": \"home.hero\"},"
                + " {\"type\": \"exposure\", \"placement\": \"nowhere\"}]}",
            "{\"session\": \"s3\", \"outcomes\": [{\"type\": \"view\", \"placement\": \"home.hero\"}]}");

    Cli r = Cli.run("replay", "--rules", rules.toString(), sessions.toString());

    assertThat(r.code()).isZero();
    assertThat(r.outLines()).hasSize(3);
    String err = String.join("\n", r.errLines());
    assertThat(err)
        .contains(":3: outcome for unknown placement nowhere; ignored")
        .contains(
            ":4: \"outcomes[0].type\": expected exposure, click, add_to_cart or purchase, found"
                + " \"view\"");
    assertThat(r.errLines())
        .containsSubsequence(
            "  outcomes",
            "      variant      exposures  clicks    ctr  carts purchases   conv      value",
            "    home.hero",
            "      flash-sale           1       1 100.0%      0         1 100.0%      59.90",
            "      new-season           1       0   0.0%      0         0   0.0%       0.00");
  }

  @Test
  void goodLines_becomeOneDecisionLineEach() throws IOException {
    Path rules = Cli.write(dir, "rules.json", Cli.rules(0.6));
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", \"user\": \"u9\", \"at\": \"2026-11-10T12:00:00Z\","
                + " \"headers\": {\"User-Agent\": \"Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like"
                + " Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1"
                + " Mobile/15E148 Safari/604.1\", \"CF-IPCountry\": \"PL\"},"
                + " \"query\": {\"utm_source\": \"newsletter\", \"utm_medium\": \"email\"},"
                + " \"explicit\": {\"shopping_for_gift\": true, \"interests\": [\"hiking\"]},"
                + " \"profile\": {\"orders\": 3},"
                + " \"events\": [{\"type\": \"product_view\", \"at\": \"2026-11-10T11:59:30Z\","
                + " \"sku\": \"A1\", \"price\": 19.9, \"on_sale\": true},"
                + " {\"type\": \"apply_coupon\", \"code\": \"BF20\"}]}",
            "{\"session\": \"s2\"}");

    Cli r = Cli.run("replay", "--rules", rules.toString(), sessions.toString());

    assertThat(r.code()).isZero();
    assertThat(r.outLines()).hasSize(2);
    Map<String, Object> first = parse(r.outLines().get(0));
    assertThat(first)
        .containsEntry("session", "s1")
        .containsEntry("persona", "value_hunter")
        .containsEntry("lifecycle", "new_visitor")
        .containsEntry("stage", "awareness")
        .containsEntry("consent", "FULL")
        .containsEntry("ruleset", "test-0.6")
        .containsEntry("variants", Map.of("home.hero", "flash-sale"))
        .containsEntry("scores", Map.of("value_hunter", 0.6, "researcher", 0.0))
        .containsEntry("flags", List.of());
    Map<String, Object> signals = map(first.get("signals"));
    assertThat(signals.keySet()).containsExactly("explicit", "implicit", "contextual");
    assertThat(map(signals.get("implicit"))).containsEntry("coupons_applied", 1.0);
    assertThat(map(signals.get("contextual"))).containsEntry("traffic_source", "email");
    assertThat((List<?>) first.get("reasons"))
        .anyMatch(x -> x.toString().startsWith("rule 'coupon-user'"));
    Map<String, Object> second = parse(r.outLines().get(1));
    assertThat(second).containsEntry("session", "s2").containsEntry("persona", null);
    assertThat(second.get("variants")).isEqualTo(Map.of("home.hero", "new-season"));
    assertThat(r.err())
        .contains("lines 2 read, 2 decided, 0 skipped")
        .contains("visits/s")
        .contains("primary persona", "value_hunter", "(none)", "home.hero", "flash-sale");
  }

  @Test
  void aBadLine_isReportedWithItsNumberAndSkipped() throws IOException {
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", \"events\": [{\"type\": \"product_view\"}]}",
            "{\"session\": \"s1\", \"events\": [{\"type\": \"product_view\"}",
            "",
            "{\"session\": 42}",
            "{\"user\": \"u1\"}",
            "{\"session\": \"s1\", \"at\": \"yesterday\"}",
            "{\"session\": \"s1\", \"colour\": \"red\"}",
            "{\"session\": \"s1\", \"session\": \"s2\"}",
            "[1, 2]",
            "{\"session\": \"s1\", \"events\": [{\"type\": \"product_view\"}]}");

    Cli r = Cli.run("replay", sessions.toString());

    assertThat(r.code()).isZero();
    assertThat(r.outLines()).hasSize(2);
    String name = sessions.toString();
    assertThat(r.errLines())
        .anyMatch(l -> l.startsWith(name + ":2: "))
        .anyMatch(l -> l.startsWith(name + ":4: \"session\": expected a string"))
        .anyMatch(l -> l.startsWith(name + ":5: missing \"session\""))
        .anyMatch(l -> l.startsWith(name + ":6: \"at\": expected an ISO-8601 instant"))
        .anyMatch(l -> l.startsWith(name + ":7: \"colour\": unknown field"))
        .anyMatch(l -> l.startsWith(name + ":8: ") && l.contains("'session'"))
        .anyMatch(l -> l.startsWith(name + ":9: expected a visit object"))
        .noneMatch(l -> l.startsWith(name + ":3:"));
    assertThat(r.err()).contains("lines 10 read, 2 decided, 8 skipped (7 bad, 1 blank)");
    ValidateCommandTest.assertNoStackTrace(r);
  }

  @Test
  void linesOfOneSession_accumulate() throws IOException {
    String view = "\"events\": [{\"type\": \"product_view\", \"sku\": \"A1\"}]";
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", \"at\": \"2026-11-10T12:00:00Z\", " + view + "}",
            "{\"session\": \"other\", \"at\": \"2026-11-10T12:00:00Z\", " + view + "}",
            "{\"session\": \"s1\", \"at\": \"2026-11-10T12:00:00Z\", " + view + "}",
            "{\"session\": \"s1\", \"at\": \"2026-11-10T12:00:00Z\", " + view + "}");

    Cli r = Cli.run("replay", sessions.toString());

    List<Object> views = new ArrayList<>();
    List<Object> stages = new ArrayList<>();
    for (String line : r.outLines()) {
      Map<String, Object> d = parse(line);
      views.add(implicit(d).get("product_views"));
      stages.add(d.get("stage"));
    }
    assertThat(views).containsExactly(1.0, 1.0, 2.0, 3.0);
    assertThat(stages).containsExactly("awareness", "awareness", "consideration", "consideration");
  }

  @Test
  void theEngineClock_followsTheVisits_soIdleSessionsExpireAsTheyDidLive() throws IOException {
    String view = "\"events\": [{\"type\": \"product_view\"}]";
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", \"at\": \"2025-01-10T12:00:00Z\", " + view + "}",
            "{\"session\": \"s1\", \"at\": \"2025-01-10T12:10:00Z\", " + view + "}",
            "{\"session\": \"s1\", \"at\": \"2025-01-10T14:10:00Z\", " + view + "}");

    Cli r = Cli.run("replay", sessions.toString());

    List<Object> requests = new ArrayList<>();
    for (String line : r.outLines()) {
      requests.add(implicit(parse(line)).get("requests"));
    }
    // Ten minutes apart: the same session. Two idle hours later: forgotten, a new start.
    assertThat(requests).containsExactly(1.0, 2.0, 1.0);
  }

  @Test
  void readsStandardInput() {
    Cli r = Cli.runWithInput("{\"session\": \"s1\"}\n", "replay", "-");

    assertThat(r.code()).isZero();
    assertThat(r.outLines()).singleElement().asString().startsWith("{\"session\":\"s1\"");
  }

  @Test
  void unreadableFile_orBadRules_exit1WithoutAStackTrace() throws IOException {
    Path sessions = Cli.write(dir, "sessions.jsonl", "{\"session\": \"s1\"}");
    Path badRules = Cli.write(dir, "bad.json", "{\"version\": 1}");

    Cli missing = Cli.run("replay", dir.resolve("nope.jsonl").toString());
    Cli bad = Cli.run("replay", "--rules", badRules.toString(), sessions.toString());

    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.jsonl: cannot read: no such file");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains(badRules + ":1:");
    assertThat(bad.out()).isEmpty();
    ValidateCommandTest.assertNoStackTrace(missing);
    ValidateCommandTest.assertNoStackTrace(bad);
  }

  private static Map<String, Object> implicit(Map<String, Object> decision) {
    return map(map(decision.get("signals")).get("implicit"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** Parses a decision line into maps, lists, strings, doubles, booleans and nulls. */
  static Map<String, Object> parse(String line) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      p.nextToken();
      Map<String, Object> m = map(value(p));
      assertThat(p.nextToken()).isNull();
      return m;
    }
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, value(p));
        }
        return m;
      case START_ARRAY:
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      default:
        return null;
    }
  }
}
