package dev.persona.internal.engine;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.internal.signals.BuiltInSignals;
import dev.persona.spi.SignalExtractor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks who declares which signal: each key has one owner, and extractors own contextual ones. */
final class EngineSignals {
  private EngineSignals() {}

  /**
   * Returns the engine's signals: the built-in explicit and implicit ones, then those of the
   * extractors, in order.
   *
   * @throws IllegalStateException if two declare the same key, or an extractor declares a signal
   *     that is not contextual
   */
  static List<SignalSpec> of(List<SignalExtractor> extractors) {
    Map<String, String> owner = new LinkedHashMap<>();
    List<SignalSpec> specs = new ArrayList<>(BuiltInSignals.all());
    specs.forEach(s -> owner.put(s.key(), "the engine"));
    for (SignalExtractor x : extractors) {
      for (SignalSpec s : x.signals()) {
        String before = owner.putIfAbsent(s.key(), "extractor '" + x.name() + "'");
        if (before != null) {
          throw new IllegalStateException(
              "signal '"
                  + s.key()
                  + "' is declared by both "
                  + before
                  + " and extractor '"
                  + x.name()
                  + "'");
        }
        if (s.kind() != SignalKind.CONTEXTUAL) {
          throw new IllegalStateException(
              "extractor '"
                  + x.name()
                  + "' declares '"
                  + s.key()
                  + "' as "
                  + s.kind()
                  + "; extractors emit CONTEXTUAL signals only");
        }
        specs.add(s);
      }
    }
    return List.copyOf(specs);
  }
}
