package dev.persona.spring.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@link PersonaHealth} for Spring Boot 4's health (org.springframework.boot.health.contributor).
 * Thread-safe.
 */
public final class Boot4HealthIndicator implements HealthIndicator {
  private final PersonaHealth health;

  /**
   * Makes the indicator.
   *
   * @param health the check
   */
  public Boot4HealthIndicator(PersonaHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    PersonaHealth.Report report = health.check();
    return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
  }
}
