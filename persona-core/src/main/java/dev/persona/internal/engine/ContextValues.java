package dev.persona.internal.engine;

import dev.persona.Signal;
import dev.persona.SignalKind;
import java.util.List;

/**
 * The contextual signals of one request as bare values by {@link ContextSignals} id, kept with the
 * decision so that its {@link Signal}s are made only when asked for. Immutable.
 */
public final class ContextValues {
  static final ContextValues NONE = new ContextValues(null, new int[0], new Object[0]);

  private final ContextSignals table;
  private final int[] ids;
  private final Object[] values;

  ContextValues(ContextSignals table, int[] ids, Object[] values) {
    this.table = table;
    this.ids = ids;
    this.values = values;
  }

  /** Adds the signals to {@code out}, in the order the extractors emitted them. */
  void addTo(List<Signal> out) {
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      out.add(
          new Signal(
              table.key(id),
              SignalKind.CONTEXTUAL,
              values[i],
              table.source(table.extractorOf(id)),
              1.0));
    }
  }
}
