package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.log.DecisionLog;
import dev.persona.rules.RuleSetReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Writes decision logs for the report's tests through an engine and {@link DecisionLog}: a
 * personalized hero, an experiment on the banner, optimized tiles and a 10% holdout, with exposures
 * of every placement and seeded clicks and purchases.
 */
final class ReportLogs {
  private ReportLogs() {}

  /** Value hunters use coupons, researchers read reviews; three placements of three kinds. */
  static String rules(String version) {
    return String.join(
        "\n",
        "{",
        "  \"version\": \"" + version + "\",",
        "  \"personas\": [",
        "    {\"id\": \"value_hunter\", \"name\": \"Value hunter\", \"threshold\": 0.5},",
        "    {\"id\": \"researcher\", \"name\": \"Researcher\", \"threshold\": 0.5}",
        "  ],",
        "  \"rules\": [",
        "    {\"id\": \"coupon-user\", \"when\": {\"signal\": \"coupons_applied\", \"gte\": 0.5},",
        "     \"add\": {\"value_hunter\": 0.6}},",
        "    {\"id\": \"reads-reviews\", \"when\": {\"signal\": \"reviews_read\", \"gte\": 0.5},",
        "     \"add\": {\"researcher\": 0.6}}",
        "  ],",
        "  \"lifecycle\": [{\"segment\": \"new_visitor\", \"priority\": 0},",
        "    {\"segment\": \"deal_seeker\", \"priority\": 10,",
        "     \"when\": {\"signal\": \"coupons_applied\", \"gte\": 0.5}}],",
        "  \"stages\": [",
        "    {\"stage\": \"awareness\", \"priority\": 0},",
        "    {\"stage\": \"consideration\", \"priority\": 10,",
        "     \"when\": {\"signal\": \"product_views\", \"gte\": 1.5}}",
        "  ],",
        "  \"placements\": [",
        "    {\"id\": \"home.hero\", \"variants\": [",
        "      {\"id\": \"flash-sale\", \"targets\": [\"value_hunter\"]},",
        "      {\"id\": \"top-rated\", \"targets\": [\"researcher\"]},",
        "      {\"id\": \"new-season\", \"default\": true}]},",
        "    {\"id\": \"pdp.banner\",",
        "     \"experiment\": {\"id\": \"banner-test\",",
        "       \"arms\": [{\"variant\": \"a\", \"percent\": 50}, {\"variant\": \"b\", \"percent\": 50}]},",
        "     \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"control\", \"default\": true}]},",
        "    {\"id\": \"home.tiles\", \"optimize\": {\"goal\": \"click\", \"warmup\": 50},",
        "     \"variants\": [{\"id\": \"deals\"}, {\"id\": \"new-in\"},",
        "       {\"id\": \"popular\", \"default\": true}]}",
        "  ]",
        "}");
  }

  /**
   * Writes {@code n} decisions, spread evenly over {@code hours} hours from 2026-12-01, and their
   * outcomes to {@code log}.
   *
   * @param signals whether the log carries signals (needed to evaluate a candidate)
   */
  static void write(Path rules, Path log, int n, int hours, boolean signals) throws IOException {
    DecisionLog decisions =
        DecisionLog.builder(log)
            .hashKey(new byte[16])
            .signals(signals)
            .maxFileBytes(Long.MAX_VALUE)
            .closeTimeout(Duration.ofMinutes(5))
            .waitWhenFull(true)
            .queueCapacity(65_536)
            .build();
    SplittableRandom random = new SplittableRandom(17);
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    long step = hours * 3_600_000L / n;
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RuleSetReader.create().read(rules))
            .experiments(ExperimentConfig.builder().holdout(0.1).randomSeed(3).build())
            .extensions(
                ExtensionConfig.builder().listener(decisions).listenerQueueCapacity(65_536).build())
            .build()) {
      for (int i = 0; i < n; i++) {
        String session = "visitor-" + i;
        Instant at = t0.plusMillis(i * step);
        Visit.Builder v = Visit.builder(session).timestamp(at);
        int kind = i % 3;
        if (kind == 0) {
          v.event(Event.of("apply_coupon"));
        } else if (kind == 1) {
          v.event(Event.of("view_reviews"));
        }
        if (i % 4 == 0) {
          v.event(Event.of("product_view")).event(Event.of("product_view"));
        }
        Decision d = engine.decide(v.build());
        for (String placement : new String[] {"home.hero", "pdp.banner", "home.tiles"}) {
          VariantChoice c = d.variant(placement);
          Outcome shown = Outcome.shown(session, c);
          engine.recordOutcome(shown);
          decisions.outcome(shown, at);
          double ctr =
              switch (c.variant()) {
                case "flash-sale" -> 0.12;
                case "top-rated", "b", "deals" -> 0.08;
                default -> 0.04;
              };
          if (random.nextDouble() < ctr) {
            Outcome click = Outcome.clicked(session, c);
            engine.recordOutcome(click);
            decisions.outcome(click, at.plusSeconds(5));
            if (random.nextDouble() < 0.2) {
              decisions.outcome(
                  Outcome.builder(Outcome.Kind.PURCHASE, session, c).value(40).build(),
                  at.plusSeconds(60));
            }
          }
        }
      }
      assertThat(engine.stats().listenerDrops()).isZero();
    }
    decisions.close();
    assertThat(decisions.stats().dropped()).isZero();
  }
}
