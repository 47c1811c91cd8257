package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.PredictionConfig;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rule file's {@code "models"}: the fitted models behind the predicted signals. */
final class ModelsReaderTest {
  private final RuleSetReader reader = RuleSetReader.create();

  private static final String PERSONAS =
      "\"personas\": [{\"id\": \"lapsing\", \"name\": \"Lapsing\", \"threshold\": 0.5}],"
          + "\"rules\": [{\"id\": \"r\", \"add\": {\"lapsing\": 1},"
          + " \"when\": {\"signal\": \"p_alive\", \"lt\": 0.3}}]";

  @Test
  void theModels_areRead_andTheEnginePredictsWithThem() {
    RuleSet rules =
        reader.read(
            """
            {
              "version": "v1",
              %s,
              "models": {
                "period": "week",
                "bg_nbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
                "gamma_gamma": {"p": 6.25, "q": 3.74, "gamma": 15.44},
                "horizon_days": 273,
                "clv_horizon_days": 730,
                "annual_discount_rate": 0.1
              }
            }"""
                .formatted(PERSONAS),
            "models.json");

    PredictionConfig m = rules.prediction();
    assertThat(m).isNotNull();
    assertThat(m.bgNbd()).isEqualTo(new BgNbd(0.243, 4.414, 0.793, 2.426));
    assertThat(m.gammaGamma()).isEqualTo(new GammaGamma(6.25, 3.74, 15.44));
    assertThat(m.period()).isEqualTo(Duration.ofDays(7));
    assertThat(m.horizon()).isEqualTo(Duration.ofDays(273));
    assertThat(m.clvHorizon()).isEqualTo(Duration.ofDays(730));
    assertThat(m.annualDiscountRate()).isEqualTo(0.1);

    Decision d =
        PersonaEngine.builder()
            .ruleSet(rules)
            .build()
            .decide(
                Visit.builder("s")
                    .profile("orders", 3)
                    .profile("days_since_first_order", 38.86 * 7)
                    .profile("days_since_last_order", (38.86 - 30.43) * 7)
                    .build());
    assertThat((Double) d.signal("expected_orders").value()).isCloseTo(1.226, within(0.001));
  }

  @Test
  void theDocumentedModels_load() throws Exception {
    String doc = Files.readString(RuleSetReaderTest.root().resolve("docs/prediction.md"));
    int start = doc.indexOf("```json\n") + 8;
    String models = doc.substring(start, doc.indexOf("```", start));

    PredictionConfig m =
        reader.read("{\"version\": \"doc\", " + models + "}", "docs/prediction.md").prediction();

    assertThat(m.bgNbd()).isEqualTo(new BgNbd(0.2425945, 4.413602, 0.7929219, 2.425906));
    assertThat(m.gammaGamma()).isEqualTo(new GammaGamma(6.249571, 3.744224, 15.44352));
    assertThat(m.annualDiscountRate()).isEqualTo(0.1);
  }

  @Test
  void oneModel_isEnough_andTheRestHasDefaults() {
    RuleSet rules =
        reader.read(
            rulesWith(
                "{\"period\": \"day\", \"gamma_gamma\": {\"p\": 6, \"q\": 4, \"gamma\": 15}}"),
            "one.json");

    assertThat(rules.prediction().bgNbd()).isNull();
    assertThat(rules.prediction().period()).isEqualTo(Duration.ofDays(1));
    assertThat(rules.prediction().horizon()).isEqualTo(Duration.ofDays(90));
    assertThat(reader.read(rulesWith(null), "none.json").prediction()).isNull();
  }

  @Test
  void everyProblem_isReportedAtItsPosition() {
    String json =
        """
        {
          "version": "v1",
          %s,
          "models": {
            "period": "fortnight",
            "bg_nbd": {"r": 0.243, "alpha": -4.414, "a": 0.793},
            "gamma_gamma": {"p": 6.25, "q": 0.5, "gamma": 15.44},
            "horizon_days": 0,
            "annual_discount_rate": "ten",
            "colour": 1
          }
        }"""
            .formatted(PERSONAS);

    assertThatThrownBy(() -> reader.read(json, "bad.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "bad.json:5:15: expected one of [day, week], found 'fortnight'"
                            + " (at $.models.period)",
                        "bad.json:6:15: missing required field 'b' (at $.models.bg_nbd)",
                        "bad.json:7:20: q must be greater than 1, or the mean order value is"
                            + " infinite: 0.5 (at $.models.gamma_gamma)",
                        "bad.json:8:21: expected a number of days above 0 and at most 3653 (ten"
                            + " years), found 0.0 (at $.models.horizon_days)",
                        "bad.json:9:29: expected a number, found a string"
                            + " (at $.models.annual_discount_rate)",
                        "bad.json:10:5: unknown field 'colour'; expected one of"
                            + " [annual_discount_rate, bg_nbd, clv_horizon_days, gamma_gamma,"
                            + " horizon_days, period] (at $.models.colour)"));
  }

  @Test
  void modelsWithoutAModel_orWithoutAPeriod_areRefused() {
    assertThatThrownBy(() -> reader.read(rulesWith("{\"period\": \"week\"}"), "empty.json"))
        .hasMessageContaining("models need bg_nbd, gamma_gamma or both (at $.models)");
    assertThatThrownBy(
            () ->
                reader.read(
                    rulesWith("{\"gamma_gamma\": {\"p\": 6, \"q\": 4, \"gamma\": 15}}"),
                    "noperiod.json"))
        .hasMessageContaining("missing required field 'period' (at $.models)");
  }

  private static String rulesWith(String models) {
    return "{\"version\": \"v1\", "
        + PERSONAS
        + (models == null ? "" : ", \"models\": " + models)
        + "}";
  }
}
