package dev.persona.internal.rules;

import dev.persona.Signal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The signals of one request, laid out by the slots a {@link CompiledRuleSet} resolved at compile
 * time, so that conditions read arrays instead of maps: a number (FLAG signals as 1 and 0, NaN
 * while absent) or an object (null while absent) per slot. The engine fills frames with bare values
 * and reuses them, request after request on one thread; a frame filled with {@link Signal}s through
 * {@link CompiledRuleSet#add} also remembers them, for explanations. Not thread-safe.
 */
public final class SignalFrame {
  /**
   * The first slot a rule set assigns, and the number of unused slots after the last one. A frame
   * lives as long as its thread and is written on every request, while the collector moves it next
   * to other objects: next to another thread's frame or to data every thread reads. The unused
   * slots keep the elements written at least 128 bytes from the ends of the int, reference and
   * double arrays (48 of the boolean array), so that two threads do not write to one cache line
   * (such false sharing made two threads barely faster than one).
   */
  public static final int FIRST_SLOT = 32;

  // Generated scorers read the next four fields by the names next to them (see RuleCode).

  final boolean[] present;
  static final String PRESENT_FIELD = "present";

  final double[] num;
  static final String NUM_FIELD = "num";

  final Object[] obj;
  static final String OBJ_FIELD = "obj";

  /**
   * Each TEXT value in ASCII lower case, in the slots that a rule set tests ignoring case, so that
   * such a test is a plain search, however many test the slot: null while absent, when the value is
   * not ASCII (the test then ignores case itself) and in other slots. See {@link
   * Predicate.Text#matches(String, String)}.
   */
  final String[] lower;

  static final String LOWER_FIELD = "lower";

  /** The slots whose TEXT values {@link #lower} keeps, or null when there are none. */
  private final boolean @Nullable [] lowered;

  /** The hash code of each TEXT value; meaningful only while the slot is present. */
  final int[] hash;

  static final String HASH_FIELD = "hash";

  /**
   * The slots set since the frame was made or cleared, in order, from index {@link #FIRST_SLOT}.
   */
  final int[] filled;

  /**
   * Where {@link #filled} keeps the end of its slots: in its own padding, rather than in a field,
   * so that no other thread's object shares the cache line written on every fill.
   */
  private static final int FILLED_END = FIRST_SLOT - 1;

  private Signal[] bySlot;

  private final int slots;

  /**
   * @param slots the slots in use, from 0 to {@link #FIRST_SLOT} plus the rule set's slots
   */
  SignalFrame(int slots) {
    this(slots, null);
  }

  /**
   * @param slots the slots in use, from 0 to {@link #FIRST_SLOT} plus the rule set's slots
   * @param lowered the slots whose TEXT values are kept in lower case too, or null for none
   */
  SignalFrame(int slots, boolean @Nullable [] lowered) {
    int length = slots + FIRST_SLOT;
    this.lowered = lowered;
    lower = new String[length];
    present = new boolean[length];
    num = new double[length];
    Arrays.fill(num, Double.NaN);
    obj = new Object[length];
    hash = new int[length];
    filled = new int[FIRST_SLOT + slots];
    filled[FILLED_END] = FIRST_SLOT;
    this.slots = slots;
  }

  /** Returns whether this frame keeps the lower case of the slots {@code lowered} names. */
  boolean lowers(boolean @Nullable [] lowered) {
    return this.lowered == lowered;
  }

  /** Returns the number of slots, the unused ones before the first included. */
  public int size() {
    return slots;
  }

  /** Empties the frame for the next request. */
  public void clear() {
    for (int i = FIRST_SLOT, end = filled[FILLED_END]; i < end; i++) {
      int s = filled[i];
      present[s] = false;
      num[s] = Double.NaN;
      obj[s] = null;
      lower[s] = null;
    }
    filled[FILLED_END] = FIRST_SLOT;
    if (bySlot != null) {
      Arrays.fill(bySlot, null);
    }
  }

  /** Marks a slot present, remembering it among the filled ones. */
  private void fill(int slot) {
    if (!present[slot]) {
      if (filled[FILLED_END] == slots) {
        compact();
      }
      present[slot] = true;
      filled[filled[FILLED_END]++] = slot;
    }
  }

  /** Rebuilds the list of filled slots, which a derived value set and unset again repeats. */
  private void compact() {
    int end = FIRST_SLOT;
    for (int s = FIRST_SLOT; s < slots; s++) {
      if (present[s] || obj[s] != null || !Double.isNaN(num[s])) {
        filled[end++] = s;
      }
    }
    filled[FILLED_END] = end;
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
      fill(slot);
      obj[slot] = v;
      if (v instanceof String text) {
        hash[slot] = text.hashCode();
        lower(slot, text);
      }
    }
  }

  /**
   * Sets a slot to a NUMBER value; a slot of -1 is ignored, and so is NaN, which is no number.
   * Negative zero is stored as zero, which every comparison treats alike, so that a present number
   * is never NaN or -0 (the branch-free comparisons of {@link ConditionCode} rely on it).
   */
  public void putNumber(int slot, double value) {
    if (slot >= 0 && !Double.isNaN(value)) {
      fill(slot);
      num[slot] = value + 0.0;
    }
  }

  /** Sets a slot to a FLAG value; a slot of -1 is ignored. */
  public void putFlag(int slot, boolean value) {
    if (slot >= 0) {
      fill(slot);
      num[slot] = value ? 1 : 0;
      obj[slot] = value ? Boolean.TRUE : Boolean.FALSE;
    }
  }

  /** Sets a value decided during evaluation (persona, lifecycle, stage); not a signal. */
  void putDerived(int slot, String value) {
    if (slot < 0) {
      return;
    }
    if (value != null) {
      fill(slot);
      hash[slot] = value.hashCode();
    } else {
      present[slot] = false;
    }
    obj[slot] = value;
    lower(slot, value);
  }

  private void lower(int slot, @Nullable String text) {
    if (lowered != null && lowered[slot]) {
      lower[slot] = text == null ? null : asciiLowerCase(text);
    }
  }

  /**
   * Returns {@code s} in lower case when it is ASCII, itself when it has no upper case, or null
   * when it is not ASCII.
   */
  static @Nullable String asciiLowerCase(String s) {
    boolean upper = false;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return null;
      }
      upper |= c >= 'A' && c <= 'Z';
    }
    return upper ? s.toLowerCase(Locale.ROOT) : s;
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
