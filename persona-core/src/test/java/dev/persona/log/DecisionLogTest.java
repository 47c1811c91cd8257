package dev.persona.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision log writes what {@code persona evaluate} needs, leaves ids out, rolls within its
 * bounds, and drops (and counts) rather than holding a request up.
 */
final class DecisionLogTest {
  private static final byte[] KEY =
      "0123456789abcdef-operator-key".getBytes(StandardCharsets.UTF_8);

  static RuleSet rules() {
    return RuleSet.builder("2026-12-01")
        .persona(new Persona("value_hunter", "Value hunter", 0.5))
        .rule(
            Rule.builder("coupon-user")
                .when(Condition.gte("coupons_applied", 1))
                .add("value_hunter", 0.6)
                .build())
        .placement(
            Placement.of(
                "home.hero",
                Variant.builder("flash-sale").targets("value_hunter").build(),
                Variant.builder("new-season").asDefault().build()))
        .build();
  }

  private static Visit visit(String session, boolean coupon) {
    Visit.Builder b =
        Visit.builder(session)
            .userId("user-" + session)
            .timestamp(Instant.parse("2026-12-01T10:00:00Z"))
            .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0");
    if (coupon) {
      b.event(Event.of("apply_coupon"));
    }
    return b.build();
  }

  @Test
  void decisionsAndOutcomes_areWrittenWithHashedIds(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(rules())
            .experiments(ExperimentConfig.builder().holdout(0.1).build())
            .extensions(ExtensionConfig.builder().listener(log).build())
            .build();
    Decision d = engine.decide(visit("session-secret-1", true));
    engine.close(); // its listener thread has handed the decision to the log
    VariantChoice hero = d.variant("home.hero");
    log.outcome(Outcome.clicked("session-secret-1", hero));
    log.outcome(
        Outcome.builder(Outcome.Kind.PURCHASE, "session-secret-1", hero)
            .value(59.9)
            .id("order-secret-7")
            .build());
    log.close();

    String text = Files.readString(file);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(text)
        .doesNotContain("session-secret-1")
        .doesNotContain("user-session-secret-1")
        .doesNotContain("order-secret-7");
    String decision = lines.get(0);
    assertThat(decision)
        .startsWith("{\"v\":1,\"type\":\"decision\",\"id\":\"" + d.id() + "\"")
        .contains("\"at\":\"2026-12-01T10:00:00Z\"")
        .containsPattern("\"session\":\"[0-9a-f]{32}\"")
        .containsPattern("\"user\":\"[0-9a-f]{32}\"")
        .contains("\"rules\":\"2026-12-01\"")
        .contains("\"persona\":\"value_hunter\"")
        .contains("\"scores\":{\"value_hunter\":0.6}")
        .contains("\"coupons_applied\":1.0");
    assertThat(decision)
        .contains(
            "\"home.hero\":{\"variant\":\""
                + hero.variant()
                + "\",\"basis\":\""
                + hero.basis().name().toLowerCase(java.util.Locale.ROOT)
                + "\",\"p\":"
                + hero.probability()
                + "}");
    assertThat(lines.get(1))
        .startsWith("{\"v\":1,\"type\":\"outcome\",\"decision\":\"" + d.id() + "\",\"at\":\"")
        .containsPattern(
            "\",\"kind\":\"click\",\"placement\":\"home.hero\",\"variant\":\""
                + hero.variant()
                + "\",\"value\":0.0,\"key\":\"[0-9a-f]{32}\"}$");
    assertThat(lines.get(2)).contains("\"kind\":\"purchase\"").contains("\"value\":59.9");
    assertThat(log.stats()).isEqualTo(new DecisionLog.Stats(1, 2, 0, 0, 0));
  }

  @Test
  void theSameIdHashesAlikeUnderOneKeyOnly(@TempDir Path dir) throws IOException {
    String a = sessionHash(dir.resolve("a.jsonl"), KEY);
    String b = sessionHash(dir.resolve("b.jsonl"), KEY);
    String c =
        sessionHash(
            dir.resolve("c.jsonl"), "another-key-of-sixteen".getBytes(StandardCharsets.UTF_8));
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  private static String sessionHash(Path file, byte[] key) throws IOException {
    DecisionLog log = DecisionLog.builder(file).hashKey(key).build();
    try (PersonaEngine engine = PersonaEngine.builder().ruleSet(rules()).build()) {
      Visit v = visit("s-1", false);
      log.onDecision(v, engine.decide(v));
    }
    log.close();
    String line = Files.readString(file);
    int at = line.indexOf("\"session\":\"") + 11;
    return line.substring(at, at + 32);
  }

  @Test
  void limitedConsent_writesNoIdsAndNoSignals(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    try (PersonaEngine engine = PersonaEngine.builder().ruleSet(rules()).build()) {
      Visit v =
          Visit.builder("s-gpc")
              .userId("u-gpc")
              .header("Sec-GPC", "1")
              .event(Event.of("apply_coupon"))
              .build();
      log.onDecision(v, engine.decide(v));
    }
    log.close();
    String line = Files.readString(file);
    assertThat(line)
        .contains("\"consent\":\"request_only\"")
        .doesNotContain("\"session\"")
        .doesNotContain("\"user\"")
        .doesNotContain("\"signals\"");
  }

  @Test
  void textIsEscapedAsJson(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    try (PersonaEngine engine = PersonaEngine.builder().ruleSet(rules()).build()) {
      Visit v = Visit.builder("s-1").query("utm_campaign", "say \"hi\" \\o/").build();
      log.onDecision(v, engine.decide(v));
    }
    log.outcome(
        Outcome.builder(Outcome.Kind.CLICK, "s-1", "a\"b\\c\nd\u0001e\ud800f\ud83d\ude00", "v")
            .build());
    log.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"campaign\":\"say \\\"hi\\\" \\\\o/\"");
    assertThat(lines.get(1))
        .contains("\"placement\":\"a\\\"b\\\\c\\u000ad\\u0001e\\ud800f\ud83d\ude00\"");
  }

  @Test
  void theFileRollsBySize_keepingAtMostMaxFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log =
        DecisionLog.builder(file)
            .hashKey(KEY)
            .maxFileBytes(4_000)
            .maxFiles(3)
            .waitWhenFull(true)
            .queueCapacity(4)
            .build();
    List<String> ids = new ArrayList<>();
    try (PersonaEngine engine = PersonaEngine.builder().ruleSet(rules()).build()) {
      for (int i = 0; i < 60; i++) {
        Visit v = visit("s-" + i, i % 2 == 0);
        Decision d = engine.decide(v);
        ids.add(d.id());
        log.onDecision(v, d);
      }
    }
    log.close();

    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("decisions.jsonl", "decisions.jsonl.1", "decisions.jsonl.2");
    for (Path f : files) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(4_000);
    }
    List<String> kept = new ArrayList<>();
    for (Path f : List.of(files.get(2), files.get(1), files.get(0))) {
      for (String l : Files.readAllLines(f)) {
        int at = l.indexOf("\"id\":\"") + 6;
        kept.add(l.substring(at, at + 32));
      }
    }
    // the newest decisions, in order, and only whole lines
    assertThat(kept).isEqualTo(ids.subList(ids.size() - kept.size(), ids.size()));
    assertThat(kept.size()).isLessThan(60);
    assertThat(log.stats().decisions()).isEqualTo(60);
    assertThat(log.stats().dropped()).isZero();
  }

  @Test
  void aFullQueue_dropsAndCountsInsteadOfWaiting(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).queueCapacity(4).unstarted();
    try (PersonaEngine engine = PersonaEngine.builder().ruleSet(rules()).build()) {
      for (int i = 0; i < 10; i++) {
        Visit v = visit("s-" + i, false);
        log.onDecision(v, engine.decide(v)); // the writer is stalled: returns at once
      }
      log.outcome(Outcome.builder(Outcome.Kind.CLICK, "s-1", "home.hero", "new-season").build());
    }
    assertThat(log.stats().dropped()).isEqualTo(7);

    log.start();
    log.close();
    assertThat(log.stats()).isEqualTo(new DecisionLog.Stats(4, 0, 7, 0, 0));
    assertThat(Files.readAllLines(file)).hasSize(4);
    log.onDecision(null, PersonaEngine.builder().ruleSet(rules()).build().decide(null));
    assertThat(log.stats().dropped()).as("after close").isEqualTo(8);
  }
}
