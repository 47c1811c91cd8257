package dev.persona.ruleset;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells conditions that hold for every visitor, however they are written: {@code all} of nothing or
 * of such conditions, {@code not} of one that never holds, and any combination true whatever its
 * tests give ({@code any} of a test and its negation, say). Each distinct test is taken as free to
 * be true or false, so a condition reported always holds; one whose tests depend on each other
 * ({@code lt 2} or {@code gte 2}) may not be reported. Stateless.
 */
final class Tautology {
  /** The most distinct tests tried in every combination; beyond, only the structure is read. */
  private static final int MAX_TESTS = 12;

  private Tautology() {}

  static boolean alwaysHolds(Condition c) {
    Boolean fixed = constant(c);
    if (fixed != null) {
      return fixed;
    }
    List<Condition> tests = new ArrayList<>();
    collect(c, tests);
    if (tests.size() > MAX_TESTS) {
      return false;
    }
    for (int bits = 0; bits < 1 << tests.size(); bits++) {
      if (!eval(c, tests, bits)) {
        return false;
      }
    }
    return true;
  }

  /** Returns the condition's value if its structure alone fixes it, else null. */
  private static Boolean constant(Condition c) {
    if (c instanceof Condition.All all) {
      boolean allTrue = true;
      for (Condition x : all.conditions()) {
        Boolean v = constant(x);
        if (Boolean.FALSE.equals(v)) {
          return false;
        }
        allTrue &= Boolean.TRUE.equals(v);
      }
      return allTrue ? Boolean.TRUE : null;
    }
    if (c instanceof Condition.Any any) {
      boolean allFalse = true;
      for (Condition x : any.conditions()) {
        Boolean v = constant(x);
        if (Boolean.TRUE.equals(v)) {
          return true;
        }
        allFalse &= Boolean.FALSE.equals(v);
      }
      return allFalse ? Boolean.FALSE : null;
    }
    if (c instanceof Condition.Not not) {
      Boolean v = constant(not.condition());
      return v == null ? null : !v;
    }
    return null;
  }

  private static void collect(Condition c, List<Condition> tests) {
    if (c instanceof Condition.All all) {
      all.conditions().forEach(x -> collect(x, tests));
    } else if (c instanceof Condition.Any any) {
      any.conditions().forEach(x -> collect(x, tests));
    } else if (c instanceof Condition.Not not) {
      collect(not.condition(), tests);
    } else if (!tests.contains(c)) {
      tests.add(c);
    }
  }

  private static boolean eval(Condition c, List<Condition> tests, int bits) {
    if (c instanceof Condition.All all) {
      return all.conditions().stream().allMatch(x -> eval(x, tests, bits));
    }
    if (c instanceof Condition.Any any) {
      return any.conditions().stream().anyMatch(x -> eval(x, tests, bits));
    }
    if (c instanceof Condition.Not not) {
      return !eval(not.condition(), tests, bits);
    }
    return (bits >> tests.indexOf(c) & 1) != 0;
  }
}
