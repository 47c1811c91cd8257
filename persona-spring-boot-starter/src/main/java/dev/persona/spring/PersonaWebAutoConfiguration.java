package dev.persona.spring;

import dev.persona.PersonaEngine;
import dev.persona.spring.internal.DecisionObserver;
import dev.persona.spring.internal.PersonaArgumentResolver;
import dev.persona.spring.internal.PersonaFilter;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * In a servlet web application: the filter that decides once per request ({@link PersonaRequest}
 * and its {@link dev.persona.Decision} as request attributes) and the argument resolver that gives
 * them to controller methods. Off with {@code persona.web.enabled=false}.
 *
 * <p>Thread-safe as Spring uses it: read once, at start-up.
 *
 * @since 0.5.0
 */
@AutoConfiguration(after = PersonaAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebMvcConfigurer.class)
@ConditionalOnBean(PersonaEngine.class)
@ConditionalOnProperty(prefix = "persona.web", name = "enabled", matchIfMissing = true)
public class PersonaWebAutoConfiguration {
  /** Made by Spring. */
  public PersonaWebAutoConfiguration() {}

  /**
   * The filter, registered for every request but the excluded paths.
   *
   * @param engine the engine
   * @param properties the settings
   * @param customizers the application's visit customizers
   * @param observers the meters, when Micrometer is there
   * @return the filter
   */
  @Bean
  public PersonaFilter personaFilter(
      PersonaEngine engine,
      PersonaProperties properties,
      ObjectProvider<VisitCustomizer> customizers,
      ObjectProvider<DecisionObserver> observers) {
    List<VisitCustomizer> all = customizers.orderedStream().toList();
    return new PersonaFilter(
        engine, properties, all, observers.getIfUnique(() -> DecisionObserver.NONE));
  }

  /**
   * Lets controller methods take {@link dev.persona.Decision} and {@link PersonaRequest}.
   *
   * @return the MVC configuration
   */
  @Bean
  public WebMvcConfigurer personaArgumentResolvers() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new PersonaArgumentResolver());
      }
    };
  }
}
