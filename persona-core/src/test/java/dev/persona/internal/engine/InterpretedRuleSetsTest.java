package dev.persona.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.TestRules;
import dev.persona.Visit;
import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.internal.rules.CompiledRuleSet;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A rule set that scores on the interpreted path, because its scorer could not be generated,
 * decides as a generated one would and is counted in the engine's stats, at build and at reload.
 */
final class InterpretedRuleSetsTest {

  @Test
  void interpretedRuleSets_areCountedAtBuildAndReload_andDecideTheSame() {
    Engine interpreted = engine(CompiledRuleSet.Scoring.INTERPRETED);
    Engine generated = engine(CompiledRuleSet.Scoring.GENERATED);
    Visit visit =
        Visit.builder("s")
            .declared("priority", "price")
            .event(Event.of("apply_coupon"))
            .event(Event.of("view_reviews"))
            .build();

    Decision a = interpreted.decide(visit);
    Decision b = generated.decide(visit);
    interpreted.reload(TestRules.ruleSet());

    assertThat(a.persona()).isEqualTo("value_hunter");
    assertThat(a.scores()).isEqualTo(b.scores());
    assertThat(a.variants()).isEqualTo(b.variants());
    assertThat(interpreted.stats().interpretedRuleSets()).isEqualTo(2);
    assertThat(generated.stats().interpretedRuleSets()).isZero();
    assertThat(PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build().stats())
        .extracting(s -> s.interpretedRuleSets())
        .isEqualTo(0L);
  }

  private static Engine engine(CompiledRuleSet.Scoring scoring) {
    return new Engine(
        TestRules.ruleSet(),
        SessionConfig.defaults(),
        ContextConfig.defaults(),
        ExperimentConfig.defaults(),
        ExtensionConfig.defaults(),
        Limits.defaults(),
        false,
        Clock.systemUTC(),
        scoring);
  }
}
