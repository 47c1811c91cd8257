package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.productView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.config.PredictionConfig;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default rules with fitted models (CDNOW's, in weeks): a replenisher due and still active gets
 * more of the restock reminder, a repeat buyer who has most likely stopped ordering is "at risk"
 * and gets the win-back email instead; without models neither rule nor segment applies.
 */
final class PredictionScenarioTest {
  private static final PredictionConfig CDNOW =
      PredictionConfig.builder()
          .bgNbd(new BgNbd(0.243, 4.414, 0.793, 2.426))
          .gammaGamma(new GammaGamma(6.25, 3.74, 15.44))
          .period(Duration.ofDays(7))
          .build();

  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine withModels =
      PersonaEngine.builder()
          .ruleSet(RuleSetReader.defaultRuleSet())
          .clock(clock)
          .prediction(CDNOW)
          .build();
  private final PersonaEngine without = Scenarios.engine(clock);

  /** Six orders a month apart, the latest {@code daysSince} days ago. */
  private Session monthly(PersonaEngine engine, String id, int daysSince) {
    return new Session(engine, clock, id, WINDOWS_CHROME)
        .profile("orders", 6)
        .profile("lifetime_value", 240.0)
        .profile("repeat_skus", List.of("coffee-beans-1kg"))
        .profile("avg_days_between_orders", 30)
        .profile("days_since_last_order", daysSince);
  }

  @Test
  void aReplenisherDueAndLikelyActive_scoresHigherWithTheModels() {
    Decision with =
        monthly(withModels, "due-models", 31).land(v -> v.event(productView("coffee", "Roastery")));
    Decision plain =
        monthly(without, "due-plain", 31).land(v -> v.event(productView("coffee", "Roastery")));

    assertThat(number(with, "days_overdue")).isEqualTo(1.0);
    assertThat(number(with, "p_alive")).isGreaterThan(0.5);
    assertThat(firedRules(with)).contains("rp-due-and-active").doesNotContain("rp-likely-lapsed");
    assertThat(firedRules(plain)).doesNotContain("rp-due-and-active");
    assertThat(with.score("replenisher"))
        .isCloseTo(plain.score("replenisher") + 0.15, within(1e-9));
    assertThat(with.persona()).isEqualTo("replenisher");
    assertThat(with.lifecycle()).isEqualTo("repeat_buyer");
  }

  @Test
  void aRepeatBuyerSilentForMonths_isAtRisk_andGetsTheWinBackEmail_notTheRestockOne() {
    Decision with =
        monthly(withModels, "lapsed-models", 300)
            .land(v -> v.event(productView("coffee", "Roastery")));
    Decision plain =
        monthly(without, "lapsed-plain", 300).land(v -> v.event(productView("coffee", "Roastery")));

    assertThat(number(with, "p_alive")).isLessThan(0.3);
    assertThat(with.lifecycle()).isEqualTo("at_risk");
    assertThat(choice(with, "email.subject").variant()).isEqualTo("win-back");
    assertThat(firedRules(with)).contains("rp-likely-lapsed", "rp-overdue");
    assertThat(with.persona()).isNotEqualTo("replenisher");

    assertThat(plain.lifecycle()).isEqualTo("repeat_buyer");
    assertThat(plain.persona()).isEqualTo("replenisher");
    assertThat(choice(plain, "email.subject").variant()).isEqualTo("restock");
  }

  @Test
  void anOpenCart_stillOutranksTheRisk() {
    Decision d = monthly(withModels, "lapsed-cart", 300).profile("open_cart_items", 2).land(v -> v);

    assertThat(d.lifecycle()).isEqualTo("cart_abandoner");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("cart-reminder");
  }
}
