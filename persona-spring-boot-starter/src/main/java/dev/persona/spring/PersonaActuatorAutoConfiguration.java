package dev.persona.spring;

import dev.persona.PersonaEngine;
import dev.persona.rules.RuleFileWatcher;
import dev.persona.spi.SessionStore;
import dev.persona.spring.internal.Boot3HealthIndicator;
import dev.persona.spring.internal.Boot4HealthIndicator;
import dev.persona.spring.internal.PersonaHealth;
import dev.persona.spring.internal.PersonaMeters;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator (Spring Boot 3's or 4's) or Micrometer on the class path: the health indicator
 * {@code persona} (rule-set version, the rule file watcher's reloads and last failure, whether the
 * shared session store answers) and Micrometer meters named {@code persona.*} (the engine's
 * counters, the filter's decide time and flags by kind).
 *
 * <p>Thread-safe as Spring uses it: read once, at start-up.
 *
 * @since 0.5.0
 */
@AutoConfiguration(after = PersonaAutoConfiguration.class)
@ConditionalOnBean(PersonaEngine.class)
public class PersonaActuatorAutoConfiguration {
  /** Made by Spring. */
  public PersonaActuatorAutoConfiguration() {}

  /** Micrometer meters. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Meters {
    @Bean
    @ConditionalOnMissingBean
    PersonaMeters personaMeters(PersonaEngine engine, ObjectProvider<RuleFileWatcher> watcher) {
      return new PersonaMeters(engine, watcher.getIfAvailable());
    }
  }

  /** Spring Boot 3's Actuator health. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "personaHealthIndicator")
    Boot3HealthIndicator personaHealthIndicator(
        PersonaEngine engine,
        ObjectProvider<RuleFileWatcher> watcher,
        ObjectProvider<SessionStore> store) {
      return new Boot3HealthIndicator(health(engine, watcher, store));
    }
  }

  /** Spring Boot 4's health. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4Health {
    @Bean
    @ConditionalOnMissingBean(name = "personaHealthIndicator")
    Boot4HealthIndicator personaHealthIndicator(
        PersonaEngine engine,
        ObjectProvider<RuleFileWatcher> watcher,
        ObjectProvider<SessionStore> store) {
      return new Boot4HealthIndicator(health(engine, watcher, store));
    }
  }

  static PersonaHealth health(
      PersonaEngine engine,
      ObjectProvider<RuleFileWatcher> watcher,
      ObjectProvider<SessionStore> store) {
    return new PersonaHealth(engine, watcher.getIfAvailable(), store.getIfUnique(() -> null));
  }
}
