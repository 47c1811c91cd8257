package dev.persona.internal.rules;

import dev.persona.internal.rules.RuleSplit.Literal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Compiles a rule set's scoring rules to JVM bytecode: one straight run of tests per rule, with the
 * slots, bounds, texts and weights as constants, in a hidden class that the JIT compiles like
 * hand-written {@code if} statements and that is unloaded with its rule set. Each rule tests its
 * {@link RuleSplit} literals in order (a range reads a NUMBER slot, NaN while absent; a text choice
 * compares hash codes, then texts), then its rest through its {@link Predicate}, then adds its
 * weights in rule order, exactly as {@link RuleProgram} does. Rules are split over methods small
 * enough for the JIT to compile.
 */
final class RuleCode {
  /** Bytes of code per method beyond which a new method starts; the JIT skips methods over 8000. */
  private static final int MAX_METHOD_BYTES = 6000;

  private static final String SELF = "dev/persona/internal/rules/GeneratedScorer";
  private static final String FRAME = "dev/persona/internal/rules/SignalFrame";
  private static final String PREDICATE = "dev/persona/internal/rules/Predicate";
  private static final String SCORE = "(L" + FRAME + ";[D)V";

  // Locals of a chunk method.
  private static final int FRAME_ARG = 1;
  private static final int SCORES = 2;
  private static final int NUM = 3;
  private static final int OBJ = 4;
  private static final int PRESENT = 5;
  private static final int HASH = 6;
  private static final int REST = 7;
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
  private static final int GETFIELD = 0xb4;
  private static final int PUTFIELD = 0xb5;
  private static final int INVOKEVIRTUAL = 0xb6;
  private static final int INVOKESPECIAL = 0xb7;
  private static final int INVOKESTATIC = 0xb8;

  /** Scores a frame into an array, as {@link RuleProgram#score} does. */
  interface Scorer {
    void score(SignalFrame f, double[] scores);
  }

  private RuleCode() {}

  /**
   * Returns a scorer for {@code rules}, or null when the rules cannot be compiled to bytecode (a
   * constant pool overflow, say); the caller then uses a {@link RuleProgram}.
   */
  static Scorer compile(CompiledRule[] rules, RuleSplit[] splits) {
    try {
      Predicate[] rest = new Predicate[rules.length];
      for (int r = 0; r < rules.length; r++) {
        rest[r] = splits[r].rest;
      }
      byte[] bytes = classBytes(rules, splits);
      MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
      return (Scorer)
          hidden
              .findConstructor(
                  hidden.lookupClass(), MethodType.methodType(void.class, Predicate[].class))
              .invoke(rest);
    } catch (Error e) {
      if (e instanceof LinkageError) {
        return null;
      }
      throw e;
    } catch (Throwable e) {
      return null;
    }
  }

  static byte[] classBytes(CompiledRule[] rules, RuleSplit[] splits) {
    ClassBytes cb =
        new ClassBytes(SELF, "java/lang/Object", "dev/persona/internal/rules/RuleCode$Scorer");
    cb.addField(0x0012, "rest", "[L" + PREDICATE + ";");
    ClassBytes.Code init = new ClassBytes.Code(2, 2);
    init.op1(ALOAD, 0).op2(INVOKESPECIAL, cb.method("java/lang/Object", "<init>", "()V"));
    init.op1(ALOAD, 0).op1(ALOAD, 1).op2(PUTFIELD, cb.field(SELF, "rest", "[L" + PREDICATE + ";"));
    init.op(RETURN);
    cb.addMethod(0x0001, "<init>", "([L" + PREDICATE + ";)V", init);

    ClassBytes.Code score = new ClassBytes.Code(3, 3);
    int chunk = 0;
    int r = 0;
    while (r < rules.length) {
      ClassBytes.Code code = chunkStart(cb);
      while (r < rules.length && code.size() < MAX_METHOD_BYTES) {
        rule(cb, code, r, rules[r], splits[r]);
        r++;
      }
      code.op(RETURN);
      String name = "rules" + chunk++;
      cb.addMethod(0x0002, name, SCORE, code);
      score.op1(ALOAD, 0).op1(ALOAD, 1).op1(ALOAD, 2);
      score.op2(INVOKESPECIAL, cb.method(SELF, name, SCORE));
    }
    score.op(RETURN);
    cb.addMethod(0x0001, "score", SCORE, score);
    return cb.toBytes();
  }

  private static ClassBytes.Code chunkStart(ClassBytes cb) {
    ClassBytes.Code code = new ClassBytes.Code(10, 10);
    code.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "num", "[D")).op1(ASTORE, NUM);
    code.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "obj", "[Ljava/lang/Object;"));
    code.op1(ASTORE, OBJ);
    code.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "present", "[Z")).op1(ASTORE, PRESENT);
    code.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(FRAME, "hash", "[I")).op1(ASTORE, HASH);
    code.op1(ALOAD, 0).op2(GETFIELD, cb.field(SELF, "rest", "[L" + PREDICATE + ";"));
    code.op1(ASTORE, REST);
    return code;
  }

  private static void rule(
      ClassBytes cb, ClassBytes.Code code, int r, CompiledRule rule, RuleSplit split) {
    int skip = code.newLabel();
    if (split.guard.slot >= 0) {
      literal(cb, code, split.guard, skip);
    }
    for (Literal l : split.literals) {
      literal(cb, code, l, skip);
    }
    if (split.rest != null) {
      code.op1(ALOAD, REST).index(r).op(AALOAD).op1(ALOAD, FRAME_ARG);
      code.op2(INVOKEVIRTUAL, cb.method(PREDICATE, "test", "(L" + FRAME + ";)Z"));
      code.jump(IFEQ, skip);
    }
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

  /** Writes a test of {@code l} that jumps to {@code fail} when it does not hold. */
  private static void literal(ClassBytes cb, ClassBytes.Code code, Literal l, int fail) {
    switch (l.kind) {
      case RuleSplit.RANGE -> {
        boolean low = l.low != Double.NEGATIVE_INFINITY;
        boolean high = l.high != Double.POSITIVE_INFINITY;
        if (low || !high) {
          code.op1(ALOAD, NUM).index(l.slot).op(DALOAD).op2(LDC2_W, cb.dbl(l.low));
          code.op(DCMPL).jump(IFLT, fail);
        }
        if (high || !low) {
          code.op1(ALOAD, NUM).index(l.slot).op(DALOAD).op2(LDC2_W, cb.dbl(l.high));
          code.op(DCMPG).jump(IFGT, fail);
        }
      }
      case RuleSplit.TEXT -> {
        code.op1(ALOAD, PRESENT).index(l.slot).op(BALOAD).jump(IFEQ, fail);
        int match = code.newLabel();
        for (String t : l.texts) {
          int next = code.newLabel();
          code.op1(ALOAD, HASH).index(l.slot).op(IALOAD).op2(LDC_W, cb.integer(t.hashCode()));
          code.jump(IF_ICMPNE, next);
          code.op2(LDC_W, cb.string(t)).op1(ALOAD, OBJ).index(l.slot).op(AALOAD);
          code.op2(INVOKEVIRTUAL, cb.method("java/lang/String", "equals", "(Ljava/lang/Object;)Z"));
          code.jump(IFNE, match);
          code.bind(next);
        }
        code.jump(GOTO, fail);
        code.bind(match);
      }
      case RuleSplit.PRESENT -> code.op1(ALOAD, PRESENT).index(l.slot).op(BALOAD).jump(IFEQ, fail);
      default -> code.op1(ALOAD, PRESENT).index(l.slot).op(BALOAD).jump(IFNE, fail);
    }
  }
}
