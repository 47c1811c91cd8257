package dev.persona.spring.internal;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@link PersonaHealth} for Spring Boot 3's Actuator (org.springframework.boot.actuate.health).
 * Thread-safe.
 */
public final class Boot3HealthIndicator implements HealthIndicator {
  private final PersonaHealth health;

  /**
   * Makes the indicator.
   *
   * @param health the check
   */
  public Boot3HealthIndicator(PersonaHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    PersonaHealth.Report report = health.check();
    return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
  }
}
