package dev.persona.internal.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The scoring rules as flat arrays instead of a tree of virtual calls. A rule's condition is split
 * into plain literals (a numeric range, a choice of texts, a signal's presence or absence), all of
 * which must hold, and a rest for anything else, tested by its {@link Predicate}. One literal that
 * needs its signal present is the rule's guard. Scoring runs every guard, grouped by kind in tight
 * loops and without branching on the request's values, into a bit set of rules (rules without a
 * guard start set); then it walks the set bits in rule order, testing the other literals and the
 * rest of those few rules, and adds what the firing ones add. A NUMBER slot holds NaN while absent,
 * so a range needs no presence check; a text choice compares hash codes before texts. Conditions
 * have no side effects, so testing their parts in another order gives the same answer. Immutable.
 */
final class RuleProgram {
  private static final int RANGE = 0;
  private static final int TEXT = 1;
  private static final int PRESENT = 2;
  private static final int ABSENT = 3;

  private final int ruleCount;
  private final long[] unguarded;
  private final int[] rangeRule;
  private final int[] rangeSlot;
  private final double[] rangeLow;
  private final double[] rangeHigh;
  private final int[] textRule;
  private final int[] textSlot;
  private final int[] textHash;
  private final String[] text;
  private final int[] presentRule;
  private final int[] presentSlot;
  private final int[] rangeWordEnd;
  private final int[] textWordEnd;
  private final int[] presentWordEnd;
  private final boolean[] plainOnly;
  private final int[] litFrom;
  private final int[] litKind;
  private final int[] litSlot;
  private final double[] litLow;
  private final double[] litHigh;
  private final String[][] litTexts;
  private final int[][] litHashes;
  private final Predicate[] rest;
  private final int[] addFrom;
  private final int[] addPersona;
  private final double[] addWeight;
  private final int[] scaleSlot;
  private final double[] scaleCap;

  RuleProgram(CompiledRule[] rules) {
    ruleCount = rules.length;
    Split split = new Split();
    rest = new Predicate[rules.length];
    litFrom = new int[rules.length + 1];
    unguarded = new long[words(rules.length)];
    for (int r = 0; r < rules.length; r++) {
      rest[r] = split.add(r, rules[r].when());
      litFrom[r + 1] = split.lits.size();
    }
    List<Literal> ranges = new ArrayList<>();
    List<Literal> texts = new ArrayList<>();
    List<Literal> presents = new ArrayList<>();
    for (Literal g : split.guards) {
      if (g.slot < 0) {
        unguarded[g.rule >>> 6] |= 1L << g.rule;
      } else if (g.kind == RANGE) {
        ranges.add(g);
      } else if (g.kind == TEXT) {
        for (String t : g.texts) {
          Literal one = new Literal(TEXT, g.slot, 0, 0, new String[] {t});
          one.rule = g.rule;
          texts.add(one);
        }
      } else {
        presents.add(g);
      }
    }
    rangeRule = ranges.stream().mapToInt(g -> g.rule).toArray();
    rangeSlot = ranges.stream().mapToInt(g -> g.slot).toArray();
    rangeLow = ranges.stream().mapToDouble(g -> g.low).toArray();
    rangeHigh = ranges.stream().mapToDouble(g -> g.high).toArray();
    textRule = texts.stream().mapToInt(g -> g.rule).toArray();
    textSlot = texts.stream().mapToInt(g -> g.slot).toArray();
    text = texts.stream().map(g -> g.texts[0]).toArray(String[]::new);
    textHash = texts.stream().mapToInt(g -> g.texts[0].hashCode()).toArray();
    presentRule = presents.stream().mapToInt(g -> g.rule).toArray();
    presentSlot = presents.stream().mapToInt(g -> g.slot).toArray();
    rangeWordEnd = wordEnds(rangeRule, unguarded.length);
    textWordEnd = wordEnds(textRule, unguarded.length);
    presentWordEnd = wordEnds(presentRule, unguarded.length);
    List<Literal> lits = split.lits;
    litKind = lits.stream().mapToInt(l -> l.kind).toArray();
    litSlot = lits.stream().mapToInt(l -> l.slot).toArray();
    litLow = lits.stream().mapToDouble(l -> l.low).toArray();
    litHigh = lits.stream().mapToDouble(l -> l.high).toArray();
    litTexts = lits.stream().map(l -> l.texts).toArray(String[][]::new);
    litHashes = hashes(litTexts);
    addFrom = new int[rules.length + 1];
    for (int r = 0; r < rules.length; r++) {
      addFrom[r + 1] = addFrom[r] + rules[r].persona().length;
    }
    addPersona = new int[addFrom[rules.length]];
    addWeight = new double[addPersona.length];
    scaleSlot = new int[rules.length];
    scaleCap = new double[rules.length];
    plainOnly = new boolean[rules.length];
    for (int r = 0; r < rules.length; r++) {
      System.arraycopy(rules[r].persona(), 0, addPersona, addFrom[r], rules[r].persona().length);
      System.arraycopy(rules[r].weight(), 0, addWeight, addFrom[r], rules[r].weight().length);
      scaleSlot[r] = rules[r].scaleSlot();
      scaleCap[r] = rules[r].scaleCap();
      plainOnly[r] = litFrom[r] == litFrom[r + 1] && rest[r] == null;
    }
  }

  /** Returns the number of words of the rule bit set a frame must hold. */
  static int words(int rules) {
    return (rules + 63) >>> 6;
  }

  /** Returns the number of rules. */
  int ruleCount() {
    return ruleCount;
  }

  /**
   * Adds what the firing rules add to {@code scores}, in rule order, as {@link CompiledRule#fire}
   * defines it. The guards run without branches on the request's values, which a branch predictor
   * could not learn: a rule's bit is or-ed in with the outcome of its test.
   */
  void score(SignalFrame f, double[] scores) {
    long[] bits = f.guards;
    double[] num = f.num;
    boolean[] present = f.present;
    int[] hash = f.hash;
    int range = 0;
    int text = 0;
    int presence = 0;
    for (int w = 0; w < bits.length; w++) {
      long word = unguarded[w];
      for (; range < rangeWordEnd[w]; range++) {
        double v = num[rangeSlot[range]];
        word |= ((v >= rangeLow[range]) & (v <= rangeHigh[range]) ? 1L : 0L) << rangeRule[range];
      }
      for (; text < textWordEnd[w]; text++) {
        int s = textSlot[text];
        if (present[s] & hash[s] == textHash[text] && this.text[text].equals(f.obj[s])) {
          word |= 1L << textRule[text];
        }
      }
      for (; presence < presentWordEnd[w]; presence++) {
        word |= (present[presentSlot[presence]] ? 1L : 0L) << presentRule[presence];
      }
      bits[w] = word;
    }
    for (int w = 0; w < bits.length; w++) {
      long word = bits[w];
      while (word != 0) {
        int r = (w << 6) + Long.numberOfTrailingZeros(word);
        word &= word - 1;
        if (plainOnly[r] || holds(r, f)) {
          add(r, f, scores);
        }
      }
    }
  }

  /** Returns, for each word of rule bits, the end of the entries for rules of that word. */
  private static int[] wordEnds(int[] rules, int words) {
    int[] ends = new int[words];
    int i = 0;
    for (int w = 0; w < words; w++) {
      while (i < rules.length && rules[i] >>> 6 == w) {
        i++;
      }
      ends[w] = i;
    }
    return ends;
  }

  private void add(int r, SignalFrame f, double[] scores) {
    double scale = 1;
    int s = scaleSlot[r];
    if (s >= 0) {
      scale = f.present[s] ? Math.min(Math.max(f.num[s], 0), scaleCap[r]) : 0;
    }
    if (scale != 0) {
      for (int i = addFrom[r]; i < addFrom[r + 1]; i++) {
        scores[addPersona[i]] += addWeight[i] * scale;
      }
    }
  }

  /** Returns whether the rest of rule {@code r}'s condition holds, its guard having passed. */
  private boolean holds(int r, SignalFrame f) {
    for (int k = litFrom[r]; k < litFrom[r + 1]; k++) {
      int s = litSlot[k];
      boolean holds =
          switch (litKind[k]) {
            case RANGE -> f.num[s] >= litLow[k] && f.num[s] <= litHigh[k];
            case TEXT -> oneOf(f.obj[s], litTexts[k], litHashes[k]);
            case PRESENT -> f.present[s];
            default -> !f.present[s];
          };
      if (!holds) {
        return false;
      }
    }
    return rest[r] == null || rest[r].test(f);
  }

  /** Returns whether a TEXT slot's value, null while absent, is one of {@code texts}. */
  private static boolean oneOf(Object v, String[] texts, int[] hashes) {
    if (v == null) {
      return false;
    }
    int h = v.hashCode();
    for (int i = 0; i < hashes.length; i++) {
      if (hashes[i] == h && texts[i].equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static int[][] hashes(String[][] texts) {
    int[][] out = new int[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      if (texts[i] != null) {
        out[i] = new int[texts[i].length];
        for (int j = 0; j < texts[i].length; j++) {
          out[i][j] = texts[i][j].hashCode();
        }
      }
    }
    return out;
  }

  /** A plain test of one slot. */
  private static final class Literal {
    int rule;
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

  /** Splits each rule's condition into a guard, further literals and a rest. */
  private static final class Split {
    /** Texts in a text choice beyond which the test stays with its hash set. */
    private static final int MAX_LISTED_TEXTS = 8;

    final List<Literal> guards = new ArrayList<>();
    final List<Literal> lits = new ArrayList<>();

    /** Adds rule {@code r}'s guard and literals; returns the rest to test, null for none. */
    Predicate add(int r, Predicate when) {
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
      guard.rule = r;
      guards.add(guard);
      lits.addAll(plain);
      if (others.isEmpty()) {
        return null;
      }
      return others.size() == 1
          ? others.get(0)
          : new Predicate.And(others.toArray(new Predicate[0]));
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
  }
}
