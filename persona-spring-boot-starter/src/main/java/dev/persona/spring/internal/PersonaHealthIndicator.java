package dev.persona.spring.internal;

import dev.persona.PersonaEngine;
import dev.persona.rules.RuleFileWatcher;
import dev.persona.rules.WatcherStats;
import dev.persona.spi.SessionStore;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Persona's health: the rule-set version in use; the rule file watcher's reloads and last failure
 * (DOWN when it stopped watching; UP with the failure when the file in place does not load, as the
 * previous rules keep serving); and whether the shared session store answers (DOWN when it does
 * not). Thread-safe.
 */
public final class PersonaHealthIndicator implements HealthIndicator {
  /**
   * What the session ids the store is asked for start with: never one the filter makes (those are
   * hex). Each check asks for a new one, so that no store answers it from a local copy.
   */
  static final String PROBE_SESSION = "persona:health-probe:";

  private final AtomicLong probes = new AtomicLong();

  private final PersonaEngine engine;
  private final @Nullable RuleFileWatcher watcher;
  private final @Nullable SessionStore store;

  /**
   * Makes the indicator.
   *
   * @param engine the engine
   * @param watcher the rule file watcher, or null without one
   * @param store the shared session store the engine uses, or null for the in-memory one
   */
  public PersonaHealthIndicator(
      PersonaEngine engine, @Nullable RuleFileWatcher watcher, @Nullable SessionStore store) {
    this.engine = engine;
    this.watcher = watcher;
    this.store = store;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up().withDetail("ruleSetVersion", engine.ruleSet().version());
    if (watcher != null) {
      WatcherStats s = watcher.stats();
      health
          .withDetail("rulesWatched", s.running())
          .withDetail("rulesReloads", s.reloads())
          .withDetail("rulesReloadFailures", s.failures());
      if (s.lastReload() != null) {
        health.withDetail("rulesLastReload", String.valueOf(s.lastReload()));
      }
      if (s.failing()) {
        health
            .withDetail("rulesLastFailure", String.valueOf(s.lastFailure()))
            .withDetail("rulesLastFailureReason", String.valueOf(s.lastFailureReason()));
      }
      if (!s.running()) {
        health.down().withDetail("rulesStopReason", String.valueOf(s.stopReason()));
      }
    }
    if (store == null) {
      health.withDetail("sessionStore", "in-memory");
    } else {
      try {
        store.get(PROBE_SESSION + probes.incrementAndGet());
        health.withDetail("sessionStore", "reachable");
      } catch (RuntimeException e) {
        // the type only: a message is the store's, and may say more than a health page should
        health
            .down()
            .withDetail("sessionStore", "unreachable")
            .withDetail("sessionStoreError", e.getClass().getSimpleName());
      }
    }
    return health.build();
  }
}
