package dev.persona.internal.rules;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a rule set's scoring rules and its lifecycle and stage assignments to JVM bytecode, in a
 * hidden class that the JIT compiles like hand-written {@code if} statements and that is unloaded
 * with its rule set. A condition becomes branches in its tree's short-circuit order, with slots,
 * bounds and texts as constants: a numeric comparison reads a NUMBER slot, which holds NaN while
 * absent, so that a comparison of an absent signal is false without a presence check; a text choice
 * compares hash codes, then texts; a text search calls {@link Predicate.Text#matches}; anything
 * else calls its {@link Predicate}. A firing rule adds its weights in rule order, exactly as {@link
 * CompiledRule#fire} and {@link CompiledRuleSet#score} define it. Rules and assignments are split
 * over methods small enough for the JIT to compile.
 */
final class RuleCode {
  /** Bytes of code per method beyond which a new method starts; the JIT skips methods over 8000. */
  private static final int MAX_METHOD_BYTES = 6000;

  private static final String SELF = "dev/persona/internal/rules/GeneratedScorer";
  private static final String FRAME = "dev/persona/internal/rules/SignalFrame";
  private static final String PREDICATE = "dev/persona/internal/rules/Predicate";
  private static final String TEXT = "dev/persona/internal/rules/Predicate$Text";
  private static final String SCORE = "(L" + FRAME + ";[D)V";

  /** Texts in a text choice beyond which the test stays with its predicate's hash set. */
  private static final int MAX_LISTED_TEXTS = 8;

  // Locals of a chunk method.
  private static final int FRAME_ARG = 1;
  private static final int SCORES = 2;
  private static final int NUM = 3;
  private static final int OBJ = 4;
  private static final int PRESENT = 5;
  private static final int HASH = 6;
  private static final int PREDICATES = 7;
  private static final int SCALE = 8;

  // Opcodes.
  private static final int ALOAD = 0x19;
  private static final int ASTORE = 0x3a;
  private static final int DLOAD = 0x18;
  private static final int DSTORE = 0x39;
  private static final int LDC_W = 0x13;
  private static final int LDC2_W = 0x14;
  private static final int IALOAD = 0x2e;
  private static final int DALOAD = 0x31;
  private static final int AALOAD = 0x32;
  private static final int BALOAD = 0x33;
  private static final int DASTORE = 0x52;
  private static final int DUP2 = 0x5c;
  private static final int DADD = 0x63;
  private static final int DMUL = 0x6b;
  private static final int DCONST_0 = 0x0e;
  private static final int DCMPL = 0x97;
  private static final int DCMPG = 0x98;
  private static final int IFEQ = 0x99;
  private static final int IFNE = 0x9a;
  private static final int IFLT = 0x9b;
  private static final int IFGT = 0x9d;
  private static final int IF_ICMPNE = 0xa0;
  private static final int GOTO = 0xa7;
  private static final int RETURN = 0xb1;
  private static final int IRETURN = 0xac;
  private static final int ICONST_M1 = 0x02;
  private static final int DUP = 0x59;
  private static final int POP = 0x57;
  private static final int CHECKCAST = 0xc0;
  private static final int GETFIELD = 0xb4;
  private static final int PUTFIELD = 0xb5;
  private static final int INVOKEVIRTUAL = 0xb6;
  private static final int INVOKESPECIAL = 0xb7;
  private static final int INVOKESTATIC = 0xb8;

  /** Scores and assigns a frame, as {@link RuleProgram} and the {@link Predicate}s do. */
  interface Scorer {
    void score(SignalFrame f, double[] scores);

    /** Returns the index of the first lifecycle assignment that holds, or -1. */
    int lifecycle(SignalFrame f);

    /** Returns the index of the first stage assignment that holds, or -1. */
    int stage(SignalFrame f);
  }

  private final ClassBytes cb;
  private final List<Predicate> constants = new ArrayList<>();
  private ClassBytes.Code code;

  private RuleCode() {
    cb = new ClassBytes(SELF, "java/lang/Object", "dev/persona/internal/rules/RuleCode$Scorer");
  }

  /**
   * Returns a scorer for {@code rules} and the assignments, sorted by priority, or null when they
   * cannot be compiled to bytecode (a constant pool overflow, a platform without hidden classes);
   * the caller then uses {@link RuleProgram} and the predicates.
   */
  static Scorer compile(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    try {
      RuleCode c = new RuleCode();
      byte[] bytes = c.classBytes(rules, lifecycle, stages);
      MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
      return (Scorer)
          hidden
              .findConstructor(
                  hidden.lookupClass(), MethodType.methodType(void.class, Predicate[].class))
              .invoke(c.constants.toArray(new Predicate[0]));
    } catch (LinkageError | StackOverflowError e) {
      return null;
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      return null;
    }
  }

  private byte[] classBytes(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    cb.addField(0x0012, "p", "[L" + PREDICATE + ";");
    ClassBytes.Code init = new ClassBytes.Code(2, 2);
    init.op1(ALOAD, 0).op2(INVOKESPECIAL, cb.method("java/lang/Object", "<init>", "()V"));
    init.op1(ALOAD, 0).op1(ALOAD, 1).op2(PUTFIELD, cb.field(SELF, "p", "[L" + PREDICATE + ";"));
    init.op(RETURN);
    cb.addMethod(0x0001, "<init>", "([L" + PREDICATE + ";)V", init);

    ClassBytes.Code score = new ClassBytes.Code(3, 3);
    int chunk = 0;
    int r = 0;
    while (r < rules.length) {
      code = chunkStart();
      while (r < rules.length && code.size() < MAX_METHOD_BYTES) {
        rule(rules[r++]);
      }
      code.op(RETURN);
      String name = "rules" + chunk++;
      cb.addMethod(0x0002, name, SCORE, code);
      score.op1(ALOAD, 0).op1(ALOAD, 1).op1(ALOAD, 2);
      score.op2(INVOKESPECIAL, cb.method(SELF, name, SCORE));
    }
    score.op(RETURN);
    cb.addMethod(0x0001, "score", SCORE, score);
    assignments("lifecycle", lifecycle);
    assignments("stage", stages);
    return cb.toBytes();
  }

  /** Writes {@code int name(SignalFrame)}: the index of the first assignment that holds, or -1. */
  private void assignments(String name, CompiledAssignment[] assignments) {
    String descriptor = "(L" + FRAME + ";)I";
    ClassBytes.Code first = new ClassBytes.Code(2, 3);
    int chunk = 0;
    int i = 0;
    while (i < assignments.length) {
      code = chunkStart();
      while (i < assignments.length && code.size() < MAX_METHOD_BYTES) {
        int next = code.newLabel();
        branch(assignments[i].when(), next, false);
        code.index(i++).op(IRETURN);
        code.bind(next);
      }
      code.op(ICONST_M1).op(IRETURN);
      String chunkName = name + chunk++;
      cb.addMethod(0x0002, chunkName, descriptor, code);
      int none = first.newLabel();
      first.op1(ALOAD, 0).op1(ALOAD, 1).op2(INVOKESPECIAL, cb.method(SELF, chunkName, descriptor));
      first.op(DUP).jump(IFLT, none).op(IRETURN);
      first.bind(none);
      first.op(POP);
    }
    first.op(ICONST_M1).op(IRETURN);
    cb.addMethod(0x0001, name, descriptor, first);
  }

  private ClassBytes.Code chunkStart() {
    ClassBytes.Code c = new ClassBytes.Code(10, 10);
    c.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "num", "[D")).op1(ASTORE, NUM);
    c.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "obj", "[Ljava/lang/Object;"));
    c.op1(ASTORE, OBJ);
    c.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "present", "[Z")).op1(ASTORE, PRESENT);
    c.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "hash", "[I")).op1(ASTORE, HASH);
    c.op1(ALOAD, 0).op2(GETFIELD, cb.field(SELF, "p", "[L" + PREDICATE + ";"));
    c.op1(ASTORE, PREDICATES);
    return c;
  }

  private void rule(CompiledRule rule) {
    int skip = code.newLabel();
    branch(rule.when(), skip, false);
    int scaleSlot = rule.scaleSlot();
    if (scaleSlot >= 0) {
      code.op1(ALOAD, PRESENT).index(scaleSlot).op(BALOAD).jump(IFEQ, skip);
      code.op1(ALOAD, NUM).index(scaleSlot).op(DALOAD).op(DCONST_0);
      code.op2(INVOKESTATIC, cb.method("java/lang/Math", "max", "(DD)D"));
      code.op2(LDC2_W, cb.dbl(rule.scaleCap()));
      code.op2(INVOKESTATIC, cb.method("java/lang/Math", "min", "(DD)D"));
      code.op1(DSTORE, SCALE).op1(DLOAD, SCALE).op(DCONST_0).op(DCMPL).jump(IFEQ, skip);
    }
    for (int i = 0; i < rule.persona().length; i++) {
      code.op1(ALOAD, SCORES).index(rule.persona()[i]).op(DUP2).op(DALOAD);
      code.op2(LDC2_W, cb.dbl(rule.weight()[i]));
      if (scaleSlot >= 0) {
        code.op1(DLOAD, SCALE).op(DMUL);
      }
      code.op(DADD).op(DASTORE);
    }
    code.bind(skip);
  }

  /** Writes code that jumps to {@code label} when {@code p} is {@code when}, else falls through. */
  private void branch(Predicate p, int label, boolean when) {
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
    if (p instanceof Predicate.Compare c && Double.isFinite(c.value)) {
      double x = c.value;
      double inf = Double.POSITIVE_INFINITY;
      switch (c.op) {
        case Predicate.Compare.EQ -> range(c.slot, x, x, no);
        case Predicate.Compare.GT -> range(c.slot, Math.nextUp(x), inf, no);
        case Predicate.Compare.GTE -> range(c.slot, x, inf, no);
        case Predicate.Compare.LT -> range(c.slot, -inf, Math.nextDown(x), no);
        case Predicate.Compare.LTE -> range(c.slot, -inf, x, no);
        default -> {
          present(c.slot, no);
          code.op1(ALOAD, NUM).index(c.slot).op(DALOAD).op2(LDC2_W, cb.dbl(x));
          code.op(DCMPL).jump(IFEQ, no);
        }
      }
    } else if (p instanceof Predicate.Between b) {
      range(b.slot, b.low, b.high, no);
    } else if (p instanceof Predicate.Exists e) {
      present(e.slot, no);
    } else if (p instanceof Predicate.TextIn t && t.values.size() <= MAX_LISTED_TEXTS) {
      present(t.slot, no);
      int match = code.newLabel();
      for (String text : t.values) {
        int next = code.newLabel();
        code.op1(ALOAD, HASH).index(t.slot).op(IALOAD).op2(LDC_W, cb.integer(text.hashCode()));
        code.jump(IF_ICMPNE, next);
        code.op2(LDC_W, cb.string(text.intern())).op1(ALOAD, OBJ).index(t.slot).op(AALOAD);
        code.op2(INVOKEVIRTUAL, cb.method("java/lang/String", "equals", "(Ljava/lang/Object;)Z"));
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
    } else if (p instanceof Predicate.Text t) {
      present(t.slot, no);
      constant(t).op2(CHECKCAST, cb.classRef(TEXT));
      code.op1(ALOAD, OBJ).index(t.slot).op(AALOAD).op2(CHECKCAST, cb.classRef("java/lang/String"));
      code.op2(INVOKEVIRTUAL, cb.method(TEXT, "matches", "(Ljava/lang/String;)Z"));
      code.jump(IFEQ, no);
    } else {
      constant(p).op1(ALOAD, FRAME_ARG);
      code.op2(INVOKEVIRTUAL, cb.method(PREDICATE, "test", "(L" + FRAME + ";)Z"));
      code.jump(IFEQ, no);
    }
  }

  /** Pushes predicate {@code p}, kept in the class's array of predicates. */
  private ClassBytes.Code constant(Predicate p) {
    constants.add(p);
    return code.op1(ALOAD, PREDICATES).index(constants.size() - 1).op(AALOAD);
  }

  private void present(int slot, int no) {
    code.op1(ALOAD, PRESENT).index(slot).op(BALOAD).jump(IFEQ, no);
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
