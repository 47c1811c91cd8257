package dev.persona.internal.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A scoring rule's condition split into plain literals, all of which must hold, and a rest for
 * anything else: {@code all(a, b, c)} becomes its plain parts and the others. One literal that
 * needs its signal present is the guard; a rule without one has a guard of slot -1. Conditions have
 * no side effects, so testing the parts in another order gives the same answer. Immutable.
 */
final class RuleSplit {
  static final int RANGE = 0;
  static final int TEXT = 1;
  static final int PRESENT = 2;
  static final int ABSENT = 3;

  /** Texts in a text choice beyond which the test stays with its hash set. */
  private static final int MAX_LISTED_TEXTS = 8;

  /** The first literal to test; its slot is -1 when no literal needs its signal present. */
  final Literal guard;

  /** The other literals. */
  final List<Literal> literals;

  /** What is left to test after the literals, or null. */
  final Predicate rest;

  private RuleSplit(Literal guard, List<Literal> literals, Predicate rest) {
    this.guard = guard;
    this.literals = List.copyOf(literals);
    this.rest = rest;
  }

  /** Splits {@code when}. */
  static RuleSplit of(Predicate when) {
    List<Predicate> parts = new ArrayList<>();
    if (when instanceof Predicate.And and) {
      parts.addAll(List.of(and.parts));
    } else if (when != Predicate.TRUE) {
      parts.add(when);
    }
    List<Literal> plain = new ArrayList<>();
    List<Predicate> others = new ArrayList<>();
    for (Predicate p : parts) {
      Literal l = literal(p);
      if (l != null) {
        plain.add(l);
      } else {
        others.add(p);
      }
    }
    Literal guard;
    int best = best(plain);
    if (best >= 0) {
      guard = plain.remove(best);
    } else {
      int slot = plain.isEmpty() ? slotOf(when) : -1;
      guard = new Literal(PRESENT, slot, 0, 0, null);
    }
    Predicate rest =
        others.isEmpty()
            ? null
            : others.size() == 1
                ? others.get(0)
                : new Predicate.And(others.toArray(new Predicate[0]));
    return new RuleSplit(guard, plain, rest);
  }

  /**
   * Returns the literal that makes the best guard, a range or text before a presence test, or -1
   * when none needs its signal present.
   */
  private static int best(List<Literal> plain) {
    for (int i = 0; i < plain.size(); i++) {
      if (plain.get(i).kind == RANGE || plain.get(i).kind == TEXT) {
        return i;
      }
    }
    for (int i = 0; i < plain.size(); i++) {
      if (plain.get(i).kind == PRESENT) {
        return i;
      }
    }
    return -1;
  }

  /** Returns {@code p} as a plain literal, or null when it is not one. */
  private static Literal literal(Predicate p) {
    Literal range = range(p);
    if (range != null) {
      return range;
    }
    if (p instanceof Predicate.TextIn t && !t.negate && t.values.size() <= MAX_LISTED_TEXTS) {
      String[] values = t.values.stream().map(String::intern).toArray(String[]::new);
      return new Literal(TEXT, t.slot, 0, 0, values);
    }
    if (p instanceof Predicate.Exists e) {
      return new Literal(PRESENT, e.slot, 0, 0, null);
    }
    if (p instanceof Predicate.Not n && n.part instanceof Predicate.Exists e) {
      return new Literal(ABSENT, e.slot, 0, 0, null);
    }
    return null;
  }

  /**
   * Returns {@code p} as a RANGE literal, {@code low <= number <= high}, or null when it is not a
   * between or a comparison other than ne with a finite value.
   */
  static Literal range(Predicate p) {
    double inf = Double.POSITIVE_INFINITY;
    if (p instanceof Predicate.Between b) {
      return new Literal(RANGE, b.slot, b.low, b.high, null);
    }
    if (p instanceof Predicate.Compare c && Double.isFinite(c.value)) {
      double x = c.value;
      return switch (c.op) {
        case Predicate.Compare.EQ -> new Literal(RANGE, c.slot, x, x, null);
        case Predicate.Compare.GT -> new Literal(RANGE, c.slot, Math.nextUp(x), inf, null);
        case Predicate.Compare.GTE -> new Literal(RANGE, c.slot, x, inf, null);
        case Predicate.Compare.LT -> new Literal(RANGE, c.slot, -inf, Math.nextDown(x), null);
        case Predicate.Compare.LTE -> new Literal(RANGE, c.slot, -inf, x, null);
        default -> null;
      };
    }
    return null;
  }

  /**
   * Returns a slot that must be present for {@code p} to hold, or -1: a test's slot (a test of an
   * absent signal is false), or the one slot every part of an any tests.
   */
  private static int slotOf(Predicate p) {
    if (p instanceof Predicate.Exists e) {
      return e.slot;
    } else if (p instanceof Predicate.Compare c) {
      return c.slot;
    } else if (p instanceof Predicate.Between b) {
      return b.slot;
    } else if (p instanceof Predicate.TextIn t) {
      return t.slot;
    } else if (p instanceof Predicate.NumberIn n) {
      return n.slot;
    } else if (p instanceof Predicate.SetHasAny s) {
      return s.slot;
    } else if (p instanceof Predicate.Text t) {
      return t.slot;
    } else if (p instanceof Predicate.And a && a.parts.length > 0) {
      return slotOf(a.parts[0]);
    } else if (p instanceof Predicate.Or o && o.parts.length > 0) {
      int slot = slotOf(o.parts[0]);
      for (Predicate part : o.parts) {
        if (slotOf(part) != slot) {
          return -1;
        }
      }
      return slot;
    }
    return -1;
  }

  /** A plain test of one slot. */
  static final class Literal {
    final int kind;
    final int slot;
    final double low;
    final double high;
    final String[] texts;

    Literal(int kind, int slot, double low, double high, String[] texts) {
      this.kind = kind;
      this.slot = slot;
      this.low = low;
      this.high = high;
      this.texts = texts;
    }
  }
}
