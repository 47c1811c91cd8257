package dev.persona.internal.rules;

import dev.persona.internal.rules.RuleSplit.Literal;
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
  private static final int RANGE = RuleSplit.RANGE;
  private static final int TEXT = RuleSplit.TEXT;
  private static final int PRESENT = RuleSplit.PRESENT;

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

  /** Returns the program of {@code rules}. */
  static RuleProgram of(CompiledRule[] rules) {
    RuleSplit[] splits = new RuleSplit[rules.length];
    for (int r = 0; r < rules.length; r++) {
      splits[r] = RuleSplit.of(rules[r].when());
    }
    return new RuleProgram(rules, splits);
  }

  RuleProgram(CompiledRule[] rules, RuleSplit[] splits) {
    ruleCount = rules.length;
    rest = new Predicate[rules.length];
    litFrom = new int[rules.length + 1];
    unguarded = new long[words(rules.length)];
    List<Literal> lits = new ArrayList<>();
    List<Guard> ranges = new ArrayList<>();
    List<Guard> texts = new ArrayList<>();
    List<Guard> presents = new ArrayList<>();
    for (int r = 0; r < rules.length; r++) {
      rest[r] = splits[r].rest;
      lits.addAll(splits[r].literals);
      litFrom[r + 1] = lits.size();
      Literal g = splits[r].guard;
      if (g.slot < 0) {
        unguarded[r >>> 6] |= 1L << r;
      } else if (g.kind == RuleSplit.RANGE) {
        ranges.add(new Guard(r, g, null));
      } else if (g.kind == RuleSplit.TEXT) {
        for (String t : g.texts) {
          texts.add(new Guard(r, g, t));
        }
      } else {
        presents.add(new Guard(r, g, null));
      }
    }
    rangeRule = ranges.stream().mapToInt(Guard::rule).toArray();
    rangeSlot = ranges.stream().mapToInt(g -> g.literal.slot).toArray();
    rangeLow = ranges.stream().mapToDouble(g -> g.literal.low).toArray();
    rangeHigh = ranges.stream().mapToDouble(g -> g.literal.high).toArray();
    textRule = texts.stream().mapToInt(Guard::rule).toArray();
    textSlot = texts.stream().mapToInt(g -> g.literal.slot).toArray();
    text = texts.stream().map(Guard::text).toArray(String[]::new);
    textHash = texts.stream().mapToInt(g -> g.text.hashCode()).toArray();
    presentRule = presents.stream().mapToInt(Guard::rule).toArray();
    presentSlot = presents.stream().mapToInt(g -> g.literal.slot).toArray();
    rangeWordEnd = wordEnds(rangeRule, unguarded.length);
    textWordEnd = wordEnds(textRule, unguarded.length);
    presentWordEnd = wordEnds(presentRule, unguarded.length);
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

  /** A rule's guard; a text choice gets one per text. */
  private record Guard(int rule, Literal literal, String text) {}

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
}
