package dev.persona.spring;

import dev.persona.PersonaEngine;
import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.redis.RedisSessionStore;
import dev.persona.redis.RedisStatsStore;
import dev.persona.rules.RuleFileWatcher;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.DecisionListener;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.StatsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures one {@link PersonaEngine} from {@link PersonaProperties}, closed at shutdown: the rule
 * file (reloaded when it changes, by a {@link RuleFileWatcher}) or the default rule set, and the
 * Redis stores when persona-redis is on the class path and {@code persona.redis.uri} is set. Beans
 * of {@link SessionStore}, {@link StatsStore}, {@link SignalExtractor} and {@link DecisionListener}
 * that the application declares are the engine's; an engine it declares replaces this one. Off with
 * {@code persona.enabled=false}.
 *
 * <p>Thread-safe as Spring uses it: read once, at start-up.
 *
 * @since 0.5.0
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "persona", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PersonaProperties.class)
public class PersonaAutoConfiguration {
  /** Made by Spring. */
  public PersonaAutoConfiguration() {}

  /**
   * The engine.
   *
   * @param properties the settings
   * @param sessionStore the application's or Redis's session store, if any
   * @param statsStore the application's or Redis's stats store, if any
   * @param extractors the application's signal extractors
   * @param listeners the application's decision listeners
   * @return the engine, closed at shutdown
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public PersonaEngine personaEngine(
      PersonaProperties properties,
      Optional<SessionStore> sessionStore,
      Optional<StatsStore> statsStore,
      ObjectProvider<SignalExtractor> extractors,
      ObjectProvider<DecisionListener> listeners) {
    ExtensionConfig.Builder extensions = ExtensionConfig.builder();
    List<SignalExtractor> custom = extractors.orderedStream().toList();
    custom.forEach(extensions::extractor);
    listeners.orderedStream().forEach(extensions::listener);
    RuleSetReader reader = RuleSetReader.create();
    for (SignalExtractor e : custom) {
      reader = reader.withSignals(e.signals());
    }
    Path file = properties.getRules().getFile();
    RuleSet rules = file == null ? RuleSetReader.defaultRuleSet() : reader.read(file);

    PersonaProperties.Sessions s = properties.getSessions();
    SessionConfig.Builder sessions =
        sessionStore.isPresent()
            ? SessionConfig.store(sessionStore.get())
            : SessionConfig.inMemory(s.getMaxSessions());
    sessions.idleTimeout(s.getIdleTimeout()).halfLife(s.getHalfLife());

    PersonaProperties.Experiments x = properties.getExperiments();
    ExperimentConfig.Builder experiments =
        ExperimentConfig.builder()
            .holdout(x.getHoldout())
            .attributionWindow(x.getAttributionWindow());
    statsStore.ifPresent(experiments::statsStore);

    PersonaProperties.Context c = properties.getContext();
    return PersonaEngine.builder()
        .ruleSet(rules)
        .context(
            ContextConfig.builder().timeZone(c.getTimeZone()).siteHosts(c.getSiteHosts()).build())
        .sessions(sessions.build())
        .experiments(experiments.build())
        .extensions(extensions.build())
        .limits(limits(properties.getLimits()))
        .requireConsent(properties.isRequireConsent())
        .build();
  }

  static Limits limits(PersonaProperties.Limits l) {
    return Limits.builder()
        .maxEventsPerVisit(l.getMaxEventsPerVisit())
        .maxStringLength(l.getMaxStringLength())
        .maxHeaderLength(l.getMaxHeaderLength())
        .maxDeclaredKeys(l.getMaxDeclaredKeys())
        .maxSetSize(l.getMaxSetSize())
        .maxAffinityKeys(l.getMaxAffinityKeys())
        .maxSessionIdLength(l.getMaxSessionIdLength())
        .maxUserIdLength(l.getMaxUserIdLength())
        .maxOutcomeIdLength(l.getMaxOutcomeIdLength())
        .build();
  }

  /** The rule file's watcher, with {@code persona.rules.file} set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "persona.rules", name = "file")
  static class RuleFileWatching {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "persona.rules", name = "watch", matchIfMissing = true)
    RuleFileWatcher personaRuleFileWatcher(PersonaEngine engine, PersonaProperties properties) {
      Path file = properties.getRules().getFile();
      if (file == null) {
        throw new IllegalStateException("persona.rules.file is empty");
      }
      return RuleFileWatcher.start(file, engine);
    }
  }

  /** Sessions and statistics on Redis, with persona-redis and {@code persona.redis.uri}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.persona.redis.RedisSessionStore")
  @ConditionalOnProperty(prefix = "persona.redis", name = "uri")
  static class RedisStores {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SessionStore.class)
    RedisSessionStore personaRedisSessionStore(PersonaProperties properties) {
      PersonaProperties.Redis r = properties.getRedis();
      return RedisSessionStore.builder(uri(r))
          .keyPrefix(r.getKeyPrefix())
          .commandTimeout(r.getCommandTimeout())
          .sessionTtl(properties.getSessions().getIdleTimeout())
          .build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(StatsStore.class)
    @ConditionalOnProperty(prefix = "persona.redis", name = "statistics", matchIfMissing = true)
    RedisStatsStore personaRedisStatsStore(PersonaProperties properties) {
      PersonaProperties.Redis r = properties.getRedis();
      return RedisStatsStore.builder(uri(r))
          .keyPrefix(r.getKeyPrefix())
          .commandTimeout(r.getCommandTimeout())
          .build();
    }

    private static String uri(PersonaProperties.Redis r) {
      String uri = r.getUri();
      if (uri == null) {
        throw new IllegalStateException("persona.redis.uri is empty");
      }
      return uri;
    }
  }
}
