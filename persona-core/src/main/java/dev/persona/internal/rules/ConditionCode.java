package dev.persona.internal.rules;

import static dev.persona.internal.rules.Opcodes.AALOAD;
import static dev.persona.internal.rules.Opcodes.ALOAD;
import static dev.persona.internal.rules.Opcodes.BALOAD;
import static dev.persona.internal.rules.Opcodes.BIPUSH;
import static dev.persona.internal.rules.Opcodes.CHECKCAST;
import static dev.persona.internal.rules.Opcodes.DALOAD;
import static dev.persona.internal.rules.Opcodes.DCMPG;
import static dev.persona.internal.rules.Opcodes.DCMPL;
import static dev.persona.internal.rules.Opcodes.DMUL;
import static dev.persona.internal.rules.Opcodes.DSUB;
import static dev.persona.internal.rules.Opcodes.GETFIELD;
import static dev.persona.internal.rules.Opcodes.GOTO;
import static dev.persona.internal.rules.Opcodes.IALOAD;
import static dev.persona.internal.rules.Opcodes.IAND;
import static dev.persona.internal.rules.Opcodes.ICONST_0;
import static dev.persona.internal.rules.Opcodes.ICONST_1;
import static dev.persona.internal.rules.Opcodes.IFEQ;
import static dev.persona.internal.rules.Opcodes.IFGE;
import static dev.persona.internal.rules.Opcodes.IFGT;
import static dev.persona.internal.rules.Opcodes.IFLE;
import static dev.persona.internal.rules.Opcodes.IFLT;
import static dev.persona.internal.rules.Opcodes.IFNE;
import static dev.persona.internal.rules.Opcodes.IF_ICMPNE;
import static dev.persona.internal.rules.Opcodes.INVOKESTATIC;
import static dev.persona.internal.rules.Opcodes.INVOKEVIRTUAL;
import static dev.persona.internal.rules.Opcodes.IOR;
import static dev.persona.internal.rules.Opcodes.IXOR;
import static dev.persona.internal.rules.Opcodes.L2I;
import static dev.persona.internal.rules.Opcodes.LDC2_W;
import static dev.persona.internal.rules.Opcodes.LDC_W;
import static dev.persona.internal.rules.Opcodes.LLOAD;
import static dev.persona.internal.rules.Opcodes.LOR;
import static dev.persona.internal.rules.Opcodes.LUSHR;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the code of one condition into a method of a {@link RuleCode} class: as branches in the
 * condition's short-circuit order, or without branches, as a 0 or 1 on the stack. Slots, bounds and
 * texts are constants. A NUMBER slot holds NaN while absent, so that a branching comparison of an
 * absent signal is false without a presence check; a text choice compares hash codes, then texts; a
 * text search calls {@link Predicate.Text#matches(String, String)} (with the value in lower case
 * when it ignores case), unless it is one of the searches {@link RuleCode} runs once per scoring;
 * anything else calls its {@link Predicate}. Without branches, a comparison takes the sign bit of
 * the difference between the value and its bound, which needs the slot present; a comparison of two
 * signals compares the first with the second times its factor: a present number is never NaN or -0
 * (see {@link SignalFrame#putNumber}). Not thread-safe; one per class written.
 */
final class ConditionCode {
  /** The generated class, in this package as a hidden class must be. */
  static final String SELF = RuleCode.class.getPackageName().replace('.', '/') + "/GeneratedScorer";

  // Locals of a method that tests conditions; REPEATED holds the bits of the repeated searches.
  static final int FRAME_ARG = 1;
  static final int SCORES = 2;
  static final int REPEATED = 3;
  static final int NUM = 5;
  static final int OBJ = 6;
  static final int PRESENT = 7;
  static final int HASH = 8;
  static final int PREDICATES = 9;
  static final int SCALE = 10;
  static final int FIRES = 12;
  static final int LOCALS = 13;

  /** Nesting of all, any and not beyond which a condition branches. */
  private static final int MAX_BRANCH_FREE_DEPTH = 8;

  /** Texts in a text choice beyond which the test stays with its predicate's hash set. */
  private static final int MAX_LISTED_TEXTS = 8;

  private final ClassBytes cb;

  /** The predicates the class keeps in its array, in order. */
  final List<Predicate> constants = new ArrayList<>();

  /** The bit of REPEATED of each search run once per scoring. */
  final Map<Predicate.Text, Integer> repeated = new HashMap<>();

  /** The method being written. */
  ClassBytes.Code code;

  /** Whether rules are being written, whose methods receive the bits of the repeated searches. */
  boolean scoring;

  /** The slot a run of rules has tested present, or -1. */
  int knownPresent = -1;

  ConditionCode(ClassBytes cb) {
    this.cb = cb;
  }

  /** Writes code that jumps to {@code label} when {@code p} is {@code when}, else falls through. */
  void branch(Predicate p, int label, boolean when) {
    if (p == Predicate.TRUE || p == Predicate.FALSE) {
      if ((p == Predicate.TRUE) == when) {
        code.jump(GOTO, label);
      }
    } else if (p instanceof Predicate.Not not) {
      branch(not.part, label, !when);
    } else if (p instanceof Predicate.And and) {
      combination(and.parts, label, when, false);
    } else if (p instanceof Predicate.Or or) {
      combination(or.parts, label, when, true);
    } else if (when) {
      int no = code.newLabel();
      leaf(p, no);
      code.jump(GOTO, label);
      code.bind(no);
    } else {
      leaf(p, label);
    }
  }

  /** An all ({@code any} false) or any ({@code any} true) of {@code parts}. */
  private void combination(Predicate[] parts, int label, boolean when, boolean any) {
    if (parts.length == 0) {
      if (any != when) {
        code.jump(GOTO, label);
      }
      return;
    }
    if (when == any) {
      for (Predicate part : parts) {
        branch(part, label, when);
      }
      return;
    }
    int decided = code.newLabel();
    for (int i = 0; i < parts.length - 1; i++) {
      branch(parts[i], decided, any);
    }
    branch(parts[parts.length - 1], label, when);
    code.bind(decided);
  }

  /** Writes a test of leaf {@code p} that falls through when it holds, else jumps to {@code no}. */
  private void leaf(Predicate p, int no) {
    RuleSplit.Range range = RuleSplit.range(p);
    if (range != null) {
      range(range.slot, range.low, range.high, no);
    } else if (p instanceof Predicate.Compare c
        && c.op == Predicate.Compare.NE
        && Double.isFinite(c.value)) {
      present(c.slot, no);
      code.op1(ALOAD, NUM).index(c.slot).op(DALOAD).op2(LDC2_W, cb.dbl(c.value));
      code.op(DCMPL).jump(IFEQ, no);
    } else if (p instanceof Predicate.Exists e) {
      present(e.slot, no);
    } else if (p instanceof Predicate.CompareSignals c) {
      compareSignals(c, no);
    } else if (p instanceof Predicate.TextIn t && t.values.size() <= MAX_LISTED_TEXTS) {
      present(t.slot, no);
      int match = code.newLabel();
      for (String text : t.values) {
        int next = code.newLabel();
        code.op1(ALOAD, HASH).index(t.slot).op(IALOAD).op2(LDC_W, cb.integer(text.hashCode()));
        code.jump(IF_ICMPNE, next);
        code.op2(LDC_W, cb.string(text.intern())).op1(ALOAD, OBJ).index(t.slot).op(AALOAD);
        code.op2(INVOKEVIRTUAL, cb.method(String.class, "equals", boolean.class, Object.class));
        code.jump(IFNE, match);
        code.bind(next);
      }
      if (t.negate) {
        int held = code.newLabel();
        code.jump(GOTO, held);
        code.bind(match);
        code.jump(GOTO, no);
        code.bind(held);
      } else {
        code.jump(GOTO, no);
        code.bind(match);
      }
    } else if (repeatedBit(p) >= 0) {
      repeatedBit(repeatedBit(p));
      code.jump(IFEQ, no);
    } else if (p instanceof Predicate.Text t) {
      present(t.slot, no);
      constant(t).op2(CHECKCAST, cb.classRef(Predicate.Text.class));
      code.op1(ALOAD, OBJ).index(t.slot).op(AALOAD).op2(CHECKCAST, cb.classRef(String.class));
      if (t.usesLowerCase()) {
        code.op1(ALOAD, FRAME_ARG)
            .op2(GETFIELD, cb.field(SignalFrame.class, SignalFrame.LOWER_FIELD, String[].class));
        code.index(t.slot).op(AALOAD);
        code.op2(
            INVOKEVIRTUAL,
            cb.method(
                Predicate.Text.class,
                Predicate.Text.MATCHES,
                boolean.class,
                String.class,
                String.class));
      } else {
        code.op2(
            INVOKEVIRTUAL,
            cb.method(Predicate.Text.class, Predicate.Text.MATCHES, boolean.class, String.class));
      }
      code.jump(IFEQ, no);
    } else {
      constant(p).op1(ALOAD, FRAME_ARG);
      code.op2(
          INVOKEVIRTUAL,
          cb.method(Predicate.class, Predicate.TEST, boolean.class, SignalFrame.class));
      code.jump(IFEQ, no);
    }
  }

  /** Pushes predicate {@code p}, kept in the class's array of predicates. */
  ClassBytes.Code constant(Predicate p) {
    constants.add(p);
    return code.op1(ALOAD, PREDICATES).index(constants.size() - 1).op(AALOAD);
  }

  void present(int slot, int no) {
    if (slot != knownPresent) {
      code.op1(ALOAD, PRESENT).index(slot).op(BALOAD).jump(IFEQ, no);
    }
  }

  /** Returns whether {@link #bit} can write {@code p}. */
  boolean branchFree(Predicate p, int depth) {
    if (depth > MAX_BRANCH_FREE_DEPTH) {
      return false;
    }
    if (p == Predicate.TRUE
        || p == Predicate.FALSE
        || p instanceof Predicate.Exists
        || repeatedBit(p) >= 0) {
      return true;
    }
    if (p instanceof Predicate.Not not) {
      return branchFree(not.part, depth + 1);
    }
    Predicate[] parts = p instanceof Predicate.And and ? and.parts : null;
    parts = p instanceof Predicate.Or or ? or.parts : parts;
    if (parts != null) {
      for (Predicate part : parts) {
        if (!branchFree(part, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (p instanceof Predicate.Compare c && c.op == Predicate.Compare.NE) {
      return Double.isFinite(c.value);
    }
    RuleSplit.Range range = RuleSplit.range(p);
    return range != null
        && range.low < Double.POSITIVE_INFINITY
        && range.high > Double.NEGATIVE_INFINITY;
  }

  /** Writes code that pushes 1 when {@code p} holds, else 0, without branches. */
  void bit(Predicate p) {
    if (p == Predicate.TRUE || p == Predicate.FALSE) {
      code.op(p == Predicate.TRUE ? ICONST_1 : ICONST_0);
    } else if (p instanceof Predicate.Exists e) {
      presentBit(e.slot);
    } else if (repeatedBit(p) >= 0) {
      repeatedBit(repeatedBit(p));
    } else if (p instanceof Predicate.Not not) {
      bit(not.part);
      code.op(ICONST_1).op(IXOR);
    } else if (p instanceof Predicate.And and) {
      bits(and.parts, IAND, ICONST_1);
    } else if (p instanceof Predicate.Or or) {
      bits(or.parts, IOR, ICONST_0);
    } else if (p instanceof Predicate.Compare c && c.op == Predicate.Compare.NE) {
      rangeBit(c.slot, c.value, c.value);
      code.op(ICONST_1).op(IXOR);
      presentBit(c.slot);
      code.op(IAND);
    } else {
      RuleSplit.Range range = RuleSplit.range(p);
      rangeBit(range.slot, range.low, range.high);
      if (range.slot != knownPresent) {
        presentBit(range.slot);
        code.op(IAND);
      }
    }
  }

  /** Folds the bits of {@code parts} with {@code op}; {@code empty} when there are none. */
  private void bits(Predicate[] parts, int op, int empty) {
    if (parts.length == 0) {
      code.op(empty);
      return;
    }
    bit(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      bit(parts[i]);
      code.op(op);
    }
  }

  /**
   * Pushes 1 when {@code low <= num[slot] <= high}, else 0, for a present slot: the sign bits of
   * {@code num - low} and {@code high - num}. A difference of finite values is zero only when they
   * are equal, and then +0 unless one is -0, which neither frames nor bounds hold.
   */
  private void rangeBit(int slot, double low, double high) {
    boolean testLow = low != Double.NEGATIVE_INFINITY;
    boolean testHigh = high != Double.POSITIVE_INFINITY;
    if (!testLow && !testHigh) {
      code.op(ICONST_1);
      return;
    }
    int signBits = cb.method(Double.class, "doubleToRawLongBits", long.class, double.class);
    if (testLow) {
      code.op1(ALOAD, NUM).index(slot).op(DALOAD).op2(LDC2_W, cb.dbl(low + 0.0));
      code.op(DSUB).op2(INVOKESTATIC, signBits);
    }
    if (testHigh) {
      code.op2(LDC2_W, cb.dbl(high + 0.0)).op1(ALOAD, NUM).index(slot).op(DALOAD);
      code.op(DSUB).op2(INVOKESTATIC, signBits);
    }
    if (testLow && testHigh) {
      code.op(LOR);
    }
    code.op1(BIPUSH, 63).op(LUSHR).op(L2I).op(ICONST_1).op(IXOR);
  }

  private void presentBit(int slot) {
    if (slot == knownPresent) {
      code.op(ICONST_1);
    } else {
      code.op1(ALOAD, PRESENT).index(slot).op(BALOAD);
    }
  }

  /** Returns the bit of repeated search {@code p} while writing rules, or -1. */
  private int repeatedBit(Predicate p) {
    Integer bit = scoring && p instanceof Predicate.Text t ? repeated.get(t) : null;
    return bit == null ? -1 : bit;
  }

  /** Pushes bit {@code bit} of REPEATED. */
  private void repeatedBit(int bit) {
    code.op1(LLOAD, REPEATED).op1(BIPUSH, bit).op(LUSHR).op(L2I).op(ICONST_1).op(IAND);
  }

  /**
   * {@code num[slot] op num[other] * factor}, the product as {@link Predicate.CompareSignals#bound}
   * computes it; an absent signal is NaN, which fails every comparison (DCMPL gives -1 and DCMPG 1
   * for it), so no presence test is needed.
   */
  private void compareSignals(Predicate.CompareSignals c, int no) {
    code.op1(ALOAD, NUM).index(c.slot).op(DALOAD);
    code.op1(ALOAD, NUM).index(c.other).op(DALOAD);
    if (c.factor != 1) {
      code.op2(LDC2_W, cb.dbl(c.factor)).op(DMUL);
    }
    switch (c.op) {
      case Predicate.Compare.GT -> code.op(DCMPL).jump(IFLE, no);
      case Predicate.Compare.GTE -> code.op(DCMPL).jump(IFLT, no);
      case Predicate.Compare.LT -> code.op(DCMPG).jump(IFGE, no);
      default -> code.op(DCMPG).jump(IFGT, no);
    }
  }

  /** {@code low <= num[slot] <= high}; NaN, an absent signal, fails both comparisons. */
  private void range(int slot, double low, double high, int no) {
    boolean testLow = low != Double.NEGATIVE_INFINITY;
    boolean testHigh = high != Double.POSITIVE_INFINITY;
    if (testLow || !testHigh) {
      code.op1(ALOAD, NUM).index(slot).op(DALOAD).op2(LDC2_W, cb.dbl(low));
      code.op(DCMPL).jump(IFLT, no);
    }
    if (testHigh || !testLow) {
      code.op1(ALOAD, NUM).index(slot).op(DALOAD).op2(LDC2_W, cb.dbl(high));
      code.op(DCMPG).jump(IFGT, no);
    }
  }
}
