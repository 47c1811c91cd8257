package dev.persona.spring.internal;

import dev.persona.PersonaEngine;
import dev.persona.rules.RuleFileWatcher;
import dev.persona.rules.WatcherStats;
import dev.persona.spi.SessionStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Persona's health, for whichever Actuator the application runs ({@link Boot3HealthIndicator},
 * {@link Boot4HealthIndicator}): the rule-set version in use; the rule file watcher's reloads and
 * last failure (down when it stopped watching; up with the failure when the file in place does not
 * load, as the previous rules keep serving); and whether the shared session store answers (down
 * when it does not). Thread-safe.
 */
public final class PersonaHealth {
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
   * What a check found. Immutable and thread-safe.
   *
   * @param up whether Persona is up
   * @param details what the health endpoint shows, without ids, keys or request data
   */
  public record Report(boolean up, Map<String, Object> details) {}

  /**
   * Makes the check.
   *
   * @param engine the engine
   * @param watcher the rule file watcher, or null without one
   * @param store the shared session store the engine uses, or null for the in-memory one
   */
  public PersonaHealth(
      PersonaEngine engine, @Nullable RuleFileWatcher watcher, @Nullable SessionStore store) {
    this.engine = engine;
    this.watcher = watcher;
    this.store = store;
  }

  /**
   * Checks now: reads the watcher's stats and asks the session store for a session.
   *
   * @return what was found
   */
  public Report check() {
    boolean up = true;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("ruleSetVersion", engine.ruleSet().version());
    if (watcher != null) {
      WatcherStats s = watcher.stats();
      details.put("rulesWatched", s.running());
      details.put("rulesReloads", s.reloads());
      details.put("rulesReloadFailures", s.failures());
      if (s.lastReload() != null) {
        details.put("rulesLastReload", String.valueOf(s.lastReload()));
      }
      if (s.failing()) {
        details.put("rulesLastFailure", String.valueOf(s.lastFailure()));
        details.put("rulesLastFailureReason", String.valueOf(s.lastFailureReason()));
      }
      if (!s.running()) {
        up = false;
        details.put("rulesStopReason", String.valueOf(s.stopReason()));
      }
    }
    if (store == null) {
      details.put("sessionStore", "in-memory");
    } else {
      try {
        store.get(PROBE_SESSION + probes.incrementAndGet());
        details.put("sessionStore", "reachable");
      } catch (RuntimeException e) {
        // the type only: a message is the store's, and may say more than a health page should
        up = false;
        details.put("sessionStore", "unreachable");
        details.put("sessionStoreError", e.getClass().getSimpleName());
      }
    }
    return new Report(up, Collections.unmodifiableMap(details));
  }
}
