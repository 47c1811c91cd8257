package dev.persona.internal.rules;

import dev.persona.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The signals of one request, laid out by the slots a {@link CompiledRuleSet} resolved at compile
 * time, so that conditions read arrays instead of maps. Also keeps every signal in order of arrival
 * for the decision. One per request; not thread-safe.
 */
public final class SignalFrame {
  final boolean[] present;
  final double[] num;
  final Object[] obj;
  final Signal[] bySlot;
  private final List<Signal> all = new ArrayList<>(48);

  SignalFrame(int slots) {
    present = new boolean[slots];
    num = new double[slots];
    obj = new Object[slots];
    bySlot = new Signal[slots];
  }

  /** Adds a signal; {@code slot} is its compiled slot, or -1 when no rule can test it. */
  public void put(int slot, Signal s) {
    all.add(s);
    if (slot >= 0) {
      present[slot] = true;
      bySlot[slot] = s;
      Object v = s.value();
      if (v instanceof Double d) {
        num[slot] = d;
      } else if (v instanceof Boolean b) {
        num[slot] = b ? 1 : 0;
        obj[slot] = b;
      } else {
        obj[slot] = v;
      }
    }
  }

  /** Sets a value decided during evaluation (persona, lifecycle, stage); not a signal. */
  void putDerived(int slot, String value) {
    if (slot < 0) {
      return;
    }
    present[slot] = value != null;
    obj[slot] = value;
  }

  /** Returns whether the slot holds a signal. */
  public boolean has(int slot) {
    return slot >= 0 && bySlot[slot] != null;
  }

  /** Returns every signal added, in order. */
  public List<Signal> signals() {
    return all;
  }

  Signal signal(int slot) {
    return bySlot[slot];
  }

  @SuppressWarnings("unchecked")
  Set<String> set(int slot) {
    return (Set<String>) obj[slot];
  }
}
