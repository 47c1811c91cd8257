package dev.persona.internal.rules;

import org.jspecify.annotations.Nullable;

/**
 * The plain tests in a scoring rule's condition, {@code all(a, b, c)} split into its parts: a
 * numeric range, a choice of a few texts, a signal's presence or absence. One that needs its signal
 * present is the rule's guard, by which {@link RuleOrder} groups rules; a range is what {@link
 * ConditionCode} compares, with or without branches. Conditions have no side effects, so testing
 * their parts in another order gives the same answer. Stateless.
 */
final class RuleSplit {
  /** Texts in a text choice beyond which the test stays with its hash set. */
  private static final int MAX_LISTED_TEXTS = 8;

  private RuleSplit() {}

  /**
   * Returns a slot that must be present for {@code when} to hold, or -1: the slot of the first
   * range or text choice among its parts, else of the first presence test; when no part is a plain
   * test (an absence test is one), a slot that {@code when} as a whole needs.
   */
  static int guardSlot(Predicate when) {
    Predicate[] parts = when instanceof Predicate.And and ? and.parts : new Predicate[] {when};
    int presence = -1;
    boolean plain = false;
    for (Predicate p : parts) {
      Range range = range(p);
      if (range != null) {
        return range.slot;
      }
      if (p instanceof Predicate.TextIn t && !t.negate && t.values.size() <= MAX_LISTED_TEXTS) {
        return t.slot;
      }
      if (p instanceof Predicate.Exists e && presence < 0) {
        presence = e.slot;
      }
      plain |= p instanceof Predicate.Exists;
      plain |= p instanceof Predicate.Not n && n.part instanceof Predicate.Exists;
    }
    if (presence >= 0) {
      return presence;
    }
    return plain ? -1 : slotOf(when);
  }

  /**
   * Returns {@code p} as a range, {@code low <= number <= high}, or null when it is not a between
   * or a comparison other than ne with a finite value.
   */
  static @Nullable Range range(Predicate p) {
    double inf = Double.POSITIVE_INFINITY;
    if (p instanceof Predicate.Between b) {
      return new Range(b.slot, b.low, b.high);
    }
    if (p instanceof Predicate.Compare c && Double.isFinite(c.value)) {
      double x = c.value;
      return switch (c.op) {
        case Predicate.Compare.EQ -> new Range(c.slot, x, x);
        case Predicate.Compare.GT -> new Range(c.slot, Math.nextUp(x), inf);
        case Predicate.Compare.GTE -> new Range(c.slot, x, inf);
        case Predicate.Compare.LT -> new Range(c.slot, -inf, Math.nextDown(x));
        case Predicate.Compare.LTE -> new Range(c.slot, -inf, x);
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
    } else if (p instanceof Predicate.CompareSignals c) {
      return c.slot;
    } else if (p instanceof Predicate.SetSize s) {
      return s.slot;
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

  /** A numeric range of one slot, both bounds included. */
  static final class Range {
    final int slot;
    final double low;
    final double high;

    Range(int slot, double low, double high) {
      this.slot = slot;
      this.low = low;
      this.high = high;
    }
  }
}
