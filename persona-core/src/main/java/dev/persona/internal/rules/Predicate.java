package dev.persona.internal.rules;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A compiled condition: a test over a {@link SignalFrame}'s slots. Immutable. */
abstract class Predicate {
  static final Predicate TRUE =
      new Predicate() {
        @Override
        boolean test(SignalFrame f) {
          return true;
        }
      };
  static final Predicate FALSE =
      new Predicate() {
        @Override
        boolean test(SignalFrame f) {
          return false;
        }
      };

  abstract boolean test(SignalFrame f);

  /** The name of {@link #test}, which generated scorers call by name. */
  static final String TEST = "test";

  static final class And extends Predicate {
    final Predicate[] parts;

    And(Predicate[] parts) {
      this.parts = parts;
    }

    @Override
    boolean test(SignalFrame f) {
      for (Predicate p : parts) {
        if (!p.test(f)) {
          return false;
        }
      }
      return true;
    }
  }

  static final class Or extends Predicate {
    final Predicate[] parts;

    Or(Predicate[] parts) {
      this.parts = parts;
    }

    @Override
    boolean test(SignalFrame f) {
      for (Predicate p : parts) {
        if (p.test(f)) {
          return true;
        }
      }
      return false;
    }
  }

  static final class Not extends Predicate {
    final Predicate part;

    Not(Predicate part) {
      this.part = part;
    }

    @Override
    boolean test(SignalFrame f) {
      return !part.test(f);
    }
  }

  static final class Exists extends Predicate {
    final int slot;

    Exists(int slot) {
      this.slot = slot;
    }

    @Override
    boolean test(SignalFrame f) {
      return f.present[slot];
    }
  }

  /** Numeric comparison; FLAG signals compare as 1 and 0. */
  static final class Compare extends Predicate {
    static final int EQ = 0;
    static final int NE = 1;
    static final int GT = 2;
    static final int GTE = 3;
    static final int LT = 4;
    static final int LTE = 5;

    final int slot;
    final int op;
    final double value;

    Compare(int slot, int op, double value) {
      this.slot = slot;
      this.op = op;
      this.value = value;
    }

    @Override
    boolean test(SignalFrame f) {
      if (!f.present[slot]) {
        return false;
      }
      double v = f.num[slot];
      switch (op) {
        case EQ:
          return v == value;
        case NE:
          return v != value;
        case GT:
          return v > value;
        case GTE:
          return v >= value;
        case LT:
          return v < value;
        default:
          return v <= value;
      }
    }
  }

  /**
   * A NUMBER signal compared with another times a factor, {@code num[slot] op num[other] * factor},
   * with the ordering operators of {@link Compare}; false when either is absent.
   */
  static final class CompareSignals extends Predicate {
    final int slot;
    final int op;
    final int other;
    final double factor;

    CompareSignals(int slot, int op, int other, double factor) {
      this.slot = slot;
      this.op = op;
      this.other = other;
      this.factor = factor;
    }

    @Override
    boolean test(SignalFrame f) {
      return f.present[slot] && f.present[other] && holds(f.num[slot], bound(f));
    }

    /** Returns what the signal is compared with: the other signal times the factor. */
    double bound(SignalFrame f) {
      return f.num[other] * factor;
    }

    boolean holds(double v, double bound) {
      switch (op) {
        case Compare.GT:
          return v > bound;
        case Compare.GTE:
          return v >= bound;
        case Compare.LT:
          return v < bound;
        default:
          return v <= bound;
      }
    }
  }

  /**
   * The number of elements of a SET value compared with a whole number, as {@link Compare} does.
   */
  static final class SetSize extends Predicate {
    final int slot;
    final int op;
    final int size;

    SetSize(int slot, int op, int size) {
      this.slot = slot;
      this.op = op;
      this.size = size;
    }

    @Override
    boolean test(SignalFrame f) {
      if (!f.present[slot]) {
        return false;
      }
      int n = f.set(slot).size();
      switch (op) {
        case Compare.EQ:
          return n == size;
        case Compare.NE:
          return n != size;
        case Compare.GT:
          return n > size;
        case Compare.GTE:
          return n >= size;
        case Compare.LT:
          return n < size;
        default:
          return n <= size;
      }
    }
  }

  static final class Between extends Predicate {
    final int slot;
    final double low;
    final double high;

    Between(int slot, double low, double high) {
      this.slot = slot;
      this.low = low;
      this.high = high;
    }

    @Override
    boolean test(SignalFrame f) {
      return f.present[slot] && f.num[slot] >= low && f.num[slot] <= high;
    }
  }

  /** A TEXT value is one of a set (eq is a set of one); {@code negate} gives ne. */
  static final class TextIn extends Predicate {
    final int slot;
    final Set<String> values;
    final boolean negate;

    TextIn(int slot, Set<String> values, boolean negate) {
      this.slot = slot;
      this.values = values;
      this.negate = negate;
    }

    @Override
    boolean test(SignalFrame f) {
      return f.present[slot] && values.contains((String) f.obj[slot]) != negate;
    }
  }

  /** A NUMBER or FLAG value is one of several numbers. */
  static final class NumberIn extends Predicate {
    final int slot;
    final double[] values;

    NumberIn(int slot, double[] values) {
      this.slot = slot;
      this.values = values;
    }

    @Override
    boolean test(SignalFrame f) {
      if (!f.present[slot]) {
        return false;
      }
      double v = f.num[slot];
      for (double x : values) {
        if (x == v) {
          return true;
        }
      }
      return false;
    }
  }

  /** A SET value holds at least one of the values; {@code negate} gives ne (holds none). */
  static final class SetHasAny extends Predicate {
    final int slot;
    final Set<String> values;
    final boolean negate;

    SetHasAny(int slot, Set<String> values, boolean negate) {
      this.slot = slot;
      this.values = values;
      this.negate = negate;
    }

    @Override
    boolean test(SignalFrame f) {
      if (!f.present[slot]) {
        return false;
      }
      boolean any = false;
      for (String s : f.set(slot)) {
        if (values.contains(s)) {
          any = true;
          break;
        }
      }
      return any != negate;
    }
  }

  /** A TEXT value starts with or contains a text, optionally ignoring case. */
  static final class Text extends Predicate {
    final int slot;
    final boolean prefix;
    final String text;
    final boolean ignoreCase;
    private final boolean asciiText;

    Text(int slot, boolean prefix, String text, boolean ignoreCase) {
      this.slot = slot;
      this.prefix = prefix;
      this.text = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
      this.ignoreCase = ignoreCase;
      this.asciiText = isAscii(this.text);
    }

    @Override
    boolean test(SignalFrame f) {
      return f.present[slot] && matches((String) f.obj[slot], f.lower[slot]);
    }

    /** The name of {@link #matches(String, String)}, which generated scorers call by name. */
    static final String MATCHES = "matches";

    /**
     * Returns whether the test needs the value in lower case, which a frame then keeps ({@link
     * SignalFrame#lower}): it ignores case and its text is ASCII.
     */
    boolean usesLowerCase() {
      return ignoreCase && asciiText;
    }

    /**
     * Returns whether {@code v} passes, given {@code lower}, the value in ASCII lower case, or null
     * when the frame does not keep it; with it, a test that ignores case is a plain search, as the
     * ASCII text of the test is lower case too, and any case of an ASCII value is ASCII.
     */
    boolean matches(String v, @Nullable String lower) {
      if (lower != null && ignoreCase && asciiText) {
        return prefix ? lower.startsWith(text) : lower.contains(text);
      }
      return matches(v);
    }

    boolean matches(String v) {
      if (prefix) {
        return v.regionMatches(ignoreCase, 0, text, 0, text.length());
      }
      if (!ignoreCase) {
        return v.contains(text);
      }
      if (asciiText && isAscii(v)) {
        return containsAsciiIgnoreCase(v, text);
      }
      int last = v.length() - text.length();
      for (int i = 0; i <= last; i++) {
        if (v.regionMatches(true, i, text, 0, text.length())) {
          return true;
        }
      }
      return false;
    }

    /** Texts are equal when they test the same slot the same way. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Text t
          && slot == t.slot
          && prefix == t.prefix
          && ignoreCase == t.ignoreCase
          && text.equals(t.text);
    }

    @Override
    public int hashCode() {
      return (slot * 31 + text.hashCode()) * 4 + (prefix ? 2 : 0) + (ignoreCase ? 1 : 0);
    }

    private static boolean isAscii(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) >= 0x80) {
          return false;
        }
      }
      return true;
    }

    /**
     * Returns whether ASCII {@code v} contains ASCII lower-case {@code lower} ignoring case, which
     * for ASCII is what {@code regionMatches(true, ...)} at every position says.
     */
    static boolean containsAsciiIgnoreCase(String v, String lower) {
      int n = lower.length();
      if (n == 0) {
        return true;
      }
      char first = lower.charAt(0);
      int last = v.length() - n;
      for (int i = 0; i <= last; i++) {
        if (asciiLower(v.charAt(i)) == first && restMatches(v, i, lower, n)) {
          return true;
        }
      }
      return false;
    }

    private static boolean restMatches(String v, int at, String lower, int n) {
      for (int j = 1; j < n; j++) {
        if (asciiLower(v.charAt(at + j)) != lower.charAt(j)) {
          return false;
        }
      }
      return true;
    }

    private static char asciiLower(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
  }
}
