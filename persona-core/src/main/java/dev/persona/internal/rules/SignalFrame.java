package dev.persona.internal.rules;

import dev.persona.Signal;
import java.util.Arrays;
import java.util.Set;

/**
 * The signals of one request, laid out by the slots a {@link CompiledRuleSet} resolved at compile
 * time, so that conditions read arrays instead of maps: a number (FLAG signals as 1 and 0) or an
 * object per slot. The engine fills frames with bare values and reuses them, request after request
 * on one thread; a frame filled with {@link Signal}s through {@link CompiledRuleSet#add} also
 * remembers them, for explanations. Not thread-safe.
 */
public final class SignalFrame {
  final boolean[] present;
  final double[] num;
  final Object[] obj;
  private Signal[] bySlot;

  SignalFrame(int slots) {
    present = new boolean[slots];
    num = new double[slots];
    obj = new Object[slots];
  }

  /** Returns the number of slots. */
  public int size() {
    return present.length;
  }

  /** Empties the frame for the next request. */
  public void clear() {
    Arrays.fill(present, false);
    Arrays.fill(obj, null);
    if (bySlot != null) {
      Arrays.fill(bySlot, null);
    }
  }

  /** Adds a signal; {@code slot} is its compiled slot, or -1 when no rule can test it. */
  public void put(int slot, Signal s) {
    if (slot >= 0) {
      if (bySlot == null) {
        bySlot = new Signal[present.length];
      }
      bySlot[slot] = s;
      putValue(slot, s.value());
    }
  }

  /**
   * Sets a slot to a signal value: a {@link String}, {@link Double}, {@link Boolean} or {@code
   * Set<String>}; a slot of -1 is ignored.
   */
  public void putValue(int slot, Object v) {
    if (slot < 0) {
      return;
    }
    if (v instanceof Double d) {
      putNumber(slot, d);
    } else if (v instanceof Boolean b) {
      putFlag(slot, b);
    } else {
      present[slot] = true;
      obj[slot] = v;
    }
  }

  /** Sets a slot to a NUMBER value; a slot of -1 is ignored. */
  public void putNumber(int slot, double value) {
    if (slot >= 0) {
      present[slot] = true;
      num[slot] = value;
    }
  }

  /** Sets a slot to a FLAG value; a slot of -1 is ignored. */
  public void putFlag(int slot, boolean value) {
    if (slot >= 0) {
      present[slot] = true;
      num[slot] = value ? 1 : 0;
      obj[slot] = value ? Boolean.TRUE : Boolean.FALSE;
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

  /** Returns whether the slot holds a signal added through {@link #put}. */
  public boolean has(int slot) {
    return slot >= 0 && bySlot != null && bySlot[slot] != null;
  }

  Signal signal(int slot) {
    return bySlot[slot];
  }

  @SuppressWarnings("unchecked")
  Set<String> set(int slot) {
    return (Set<String>) obj[slot];
  }
}
