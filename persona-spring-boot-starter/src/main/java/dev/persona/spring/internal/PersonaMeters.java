package dev.persona.spring.internal;

import dev.persona.Decision;
import dev.persona.EngineStats;
import dev.persona.PersonaEngine;
import dev.persona.rules.RuleFileWatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The engine's counters ({@link EngineStats}) and the rule file watcher's as Micrometer function
 * counters, and, for the filter's decisions, the time {@code decide} took and the flags by kind.
 * Thread-safe; bound once.
 */
public final class PersonaMeters implements MeterBinder, DecisionObserver {
  private final PersonaEngine engine;
  private final @Nullable RuleFileWatcher watcher;
  private volatile @Nullable Timer decide;
  private volatile Map<Decision.Flag, Counter> flags = Map.of();

  /**
   * Makes the meters.
   *
   * @param engine the engine
   * @param watcher the rule file watcher, or null without one
   */
  public PersonaMeters(PersonaEngine engine, @Nullable RuleFileWatcher watcher) {
    this.engine = engine;
    this.watcher = watcher;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "persona.decisions", "decisions made", EngineStats::decisions);
    counter(
        registry,
        "persona.decisions.default",
        "default decisions: an invalid visit or an engine failure",
        EngineStats::defaultDecisions);
    counter(
        registry,
        "persona.store.failures",
        "session store calls that failed or timed out",
        EngineStats::storeFailures);
    counter(
        registry,
        "persona.extractor.failures",
        "custom signal extractors that failed or timed out",
        EngineStats::extractorFailures);
    counter(
        registry, "persona.listener.failures", "listener failures", EngineStats::listenerFailures);
    counter(
        registry,
        "persona.listener.drops",
        "decisions a listener missed because its queue was full",
        EngineStats::listenerDrops);
    counter(
        registry,
        "persona.stats.store.failures",
        "stats store calls that failed",
        EngineStats::statsStoreFailures);
    counter(
        registry,
        "persona.inputs.truncated",
        "inputs cut or dropped at a limit",
        EngineStats::truncatedInputs);
    counter(registry, "persona.inputs.rejected", "inputs left out", EngineStats::rejectedInputs);
    counter(registry, "persona.outcomes", "outcomes recorded", EngineStats::outcomes);
    counter(
        registry,
        "persona.outcomes.refused",
        "outcomes the rule set in use does not have",
        EngineStats::refusedOutcomes);
    RuleFileWatcher w = watcher;
    if (w != null) {
      FunctionCounter.builder("persona.rules.reloads", w, x -> x.stats().reloads())
          .description("rule file reloads that took effect")
          .register(registry);
      FunctionCounter.builder("persona.rules.reload.failures", w, x -> x.stats().failures())
          .description("rule file changes that did not load")
          .register(registry);
    }
    Map<Decision.Flag, Counter> byFlag = new EnumMap<>(Decision.Flag.class);
    for (Decision.Flag f : Decision.Flag.values()) {
      byFlag.put(
          f,
          Counter.builder("persona.decision.flags")
              .description("the filter's decisions by what went wrong")
              .tag("flag", f.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry));
    }
    flags = byFlag;
    decide =
        Timer.builder("persona.decide")
            .description("time the filter's decide calls took")
            .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToLongFunction<EngineStats> count) {
    FunctionCounter.builder(name, engine, e -> count.applyAsLong(e.stats()))
        .description(description)
        .register(registry);
  }

  @Override
  public void decided(Decision decision, long nanos) {
    Timer t = decide;
    if (t == null) {
      return; // not bound yet
    }
    t.record(nanos, TimeUnit.NANOSECONDS);
    if (!decision.flags().isEmpty()) {
      Map<Decision.Flag, Counter> byFlag = flags;
      for (Decision.Flag f : decision.flags()) {
        Counter c = byFlag.get(f);
        if (c != null) {
          c.increment();
        }
      }
    }
  }
}
