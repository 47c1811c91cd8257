package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExtensionConfig;
import dev.persona.log.DecisionLog;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persona evaluate} and {@code persona report} count the purchases the engine credits by
 * itself from {@code purchase} events, which reach the log through the engine's listener without
 * the storefront logging them, and count an outcome logged twice once.
 */
final class EngineOutcomesEvaluateTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;
  private Path rules;
  private Path log;

  /**
   * 20 coupon users, each shown the hero (flash-sale, as value hunters); 5 of them buy five minutes
   * later, known to the engine only by their {@code purchase} events. One exposure is recorded
   * twice and also given to the log.
   */
  @BeforeEach
  void logThroughTheEngine() throws IOException {
    rules = Cli.write(dir, "rules.json", Cli.rules(0.6));
    log = dir.resolve("decisions.jsonl");
    MutableClock clock = new MutableClock(T);
    DecisionLog decisions = DecisionLog.builder(log).hashKey(new byte[16]).clock(clock).build();
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RuleSetReader.create().read(rules))
            .clock(clock)
            .extensions(ExtensionConfig.builder().listener(decisions).build())
            .build()) {
      for (int i = 0; i < 20; i++) {
        String session = "visitor-" + i;
        Decision d = engine.decide(Visit.builder(session).event(Event.of("apply_coupon")).build());
        VariantChoice hero = d.variant("home.hero");
        engine.recordOutcome(Outcome.shown(session, hero));
        if (i == 0) {
          engine.recordOutcome(Outcome.shown(session, hero)); // a retry
          decisions.outcome(Outcome.shown(session, hero)); // and the storefront's own line
        }
        clock.advance(Duration.ofSeconds(1));
      }
      clock.advance(Duration.ofMinutes(5));
      for (int i = 0; i < 5; i++) {
        engine.decide(
            Visit.builder("visitor-" + i)
                .event(Event.of("purchase", Map.of("value", 40.0, "order_id", "order-" + i)))
                .build());
      }
    }
    decisions.close();
  }

  @Test
  void evaluate_countsThePurchasesTheEngineCredited_andEachOutcomeOnce() throws IOException {
    assertThat(Files.readString(log)).doesNotContain("order-").doesNotContain("visitor-");

    Cli r = Cli.run("evaluate", "--rules", rules.toString(), log.toString());

    assertThat(r.code()).as(r.all()).isZero();
    List<String> out = r.outLines();
    assertThat(out)
        .contains(
            "  25 decisions, 25 evaluated", "  25 outcomes, 25 joined to an evaluated decision");
    assertThat(String.join("\n", out))
        .contains("  all personas: 20 exposures, the candidate changes 0%");
    assertThat(out)
        .anySatisfy(l -> assertThat(l).matches("^ {4}purchase +0\\.25 .*"))
        .anySatisfy(l -> assertThat(l).matches("^ {4}value +10 .*"));
  }

  @Test
  void evaluate_ofTheSameOutcomesInTwoFiles_countsThemOnce() throws IOException {
    List<String> outcomes =
        Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"outcome\"")).toList();
    Path again = Cli.write(dir, "again.jsonl", outcomes.toArray(String[]::new));

    Cli r = Cli.run("evaluate", "--rules", rules.toString(), log.toString(), again.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.outLines())
        .contains(
            "  25 outcomes, 25 joined to an evaluated decision; 25 logged twice, counted once")
        .anySatisfy(l -> assertThat(l).matches("^ {4}purchase +0\\.25 .*"));
  }

  @Test
  void report_countsThePurchasesTheEngineCredited() throws IOException {
    Path out = dir.resolve("report.html");

    Cli r = Cli.run("report", "--out", out.toString(), log.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("from 25 decisions and 25 outcomes");
    assertThat(Files.readString(out)).contains("20 exposures, 5 purchases");
  }
}
