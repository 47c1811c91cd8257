package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.redis.RedisSessionStore;
import dev.persona.rules.RuleFileWatcher;
import dev.persona.rules.RuleSetReader;
import dev.persona.spi.DecisionListener;
import dev.persona.spring.internal.PersonaFilter;
import dev.persona.spring.internal.PersonaMeters;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the starter configures, and what it leaves to the application, without a server. */
class AutoConfigurationTest {
  private static final AutoConfigurations PERSONA =
      AutoConfigurations.of(
          PersonaAutoConfiguration.class,
          PersonaWebAutoConfiguration.class,
          PersonaActuatorAutoConfiguration.class);

  private final ApplicationContextRunner plain =
      new ApplicationContextRunner().withConfiguration(PERSONA);
  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner().withConfiguration(PERSONA);

  @Test
  void byDefault_oneEngineOnTheDefaultRules_withTheApplicationsListeners_closedWithTheContext() {
    List<String> told = new CopyOnWriteArrayList<>();
    PersonaEngine[] kept = new PersonaEngine[1];
    plain
        .withBean(DecisionListener.class, () -> (visit, decision) -> told.add(decision.id()))
        .run(
            context -> {
              assertThat(context).hasSingleBean(PersonaEngine.class);
              assertThat(context).doesNotHaveBean(RuleFileWatcher.class);
              assertThat(context).doesNotHaveBean(RedisSessionStore.class);
              assertThat(context).doesNotHaveBean(PersonaFilter.class);
              assertThat(context).hasSingleBean(PersonaMeters.class);
              assertThat(context).hasBean("personaHealthIndicator");
              kept[0] = context.getBean(PersonaEngine.class);
              assertThat(kept[0].ruleSet().version())
                  .isEqualTo(RuleSetReader.defaultRuleSet().version());
              kept[0].decide(Visit.builder("s1").build());
            });
    assertThat(told).as("told before close, which waits for listeners").hasSize(1);

    kept[0].decide(Visit.builder("s1").build());

    assertThat(kept[0].stats().listenerDrops())
        .as("a closed engine tells no listener")
        .isEqualTo(1);
    assertThat(told).hasSize(1);
  }

  @Test
  void theProperties_reachTheEngine() {
    plain
        .withPropertyValues(
            "persona.context.time-zone=Europe/Warsaw",
            "persona.experiments.holdout=0.9999",
            "persona.limits.max-events-per-visit=1")
        .run(
            context -> {
              PersonaEngine engine = context.getBean(PersonaEngine.class);
              Decision twoEvents =
                  engine.decide(
                      Visit.builder("s1")
                          .event(dev.persona.Event.of("page_view"))
                          .event(dev.persona.Event.of("page_view"))
                          .build());
              assertThat(twoEvents.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
              assertThat(twoEvents.variant("home.hero").holdout()).isTrue();
              assertThat(context.getBean(PersonaProperties.class).getContext().getTimeZone())
                  .isEqualTo(ZoneId.of("Europe/Warsaw"));
            });
  }

  @Test
  void theLimits_defaultToTheEngines() {
    assertThat(PersonaAutoConfiguration.limits(new PersonaProperties().getLimits()))
        .isEqualTo(Limits.defaults());
  }

  @Test
  void anEngineOfTheApplication_replacesTheStarters() {
    plain
        .withUserConfiguration(OwnEngine.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(PersonaEngine.class);
              assertThat(context.getBean(PersonaEngine.class))
                  .isSameAs(context.getBean(OwnEngine.class).engine);
            });
  }

  @Test
  void inAServletApplication_theFilterDecides_unlessTurnedOff() {
    web.run(context -> assertThat(context).hasSingleBean(PersonaFilter.class));
    web.withPropertyValues("persona.web.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(PersonaFilter.class));
  }

  @Test
  void personaEnabledFalse_configuresNothing() {
    web.withPropertyValues("persona.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(PersonaEngine.class);
              assertThat(context).doesNotHaveBean(PersonaFilter.class);
              assertThat(context).doesNotHaveBean("personaHealthIndicator");
            });
  }

  @Test
  void aRedisUri_makesTheRedisStoresTheEngines() {
    plain
        .withPropertyValues(
            "persona.redis.uri=redis://127.0.0.1:1", "persona.redis.statistics=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RedisSessionStore.class);
              assertThat(context).doesNotHaveBean(dev.persona.redis.RedisStatsStore.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnEngine {
    final PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();

    @Bean
    PersonaEngine myEngine() {
      return engine;
    }
  }
}
