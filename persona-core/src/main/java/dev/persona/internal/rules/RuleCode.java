package dev.persona.internal.rules;

import static dev.persona.internal.rules.ConditionCode.FIRES;
import static dev.persona.internal.rules.ConditionCode.FRAME_ARG;
import static dev.persona.internal.rules.ConditionCode.HASH;
import static dev.persona.internal.rules.ConditionCode.LOCALS;
import static dev.persona.internal.rules.ConditionCode.NUM;
import static dev.persona.internal.rules.ConditionCode.OBJ;
import static dev.persona.internal.rules.ConditionCode.PREDICATES;
import static dev.persona.internal.rules.ConditionCode.PRESENT;
import static dev.persona.internal.rules.ConditionCode.REPEATED;
import static dev.persona.internal.rules.ConditionCode.SCALE;
import static dev.persona.internal.rules.ConditionCode.SCORES;
import static dev.persona.internal.rules.ConditionCode.SELF;
import static dev.persona.internal.rules.Opcodes.ALOAD;
import static dev.persona.internal.rules.Opcodes.ASTORE;
import static dev.persona.internal.rules.Opcodes.BALOAD;
import static dev.persona.internal.rules.Opcodes.DADD;
import static dev.persona.internal.rules.Opcodes.DALOAD;
import static dev.persona.internal.rules.Opcodes.DASTORE;
import static dev.persona.internal.rules.Opcodes.DCMPL;
import static dev.persona.internal.rules.Opcodes.DCONST_0;
import static dev.persona.internal.rules.Opcodes.DLOAD;
import static dev.persona.internal.rules.Opcodes.DMUL;
import static dev.persona.internal.rules.Opcodes.DSTORE;
import static dev.persona.internal.rules.Opcodes.DUP;
import static dev.persona.internal.rules.Opcodes.DUP2;
import static dev.persona.internal.rules.Opcodes.GETFIELD;
import static dev.persona.internal.rules.Opcodes.I2D;
import static dev.persona.internal.rules.Opcodes.ICONST_M1;
import static dev.persona.internal.rules.Opcodes.IFEQ;
import static dev.persona.internal.rules.Opcodes.IFLT;
import static dev.persona.internal.rules.Opcodes.ILOAD;
import static dev.persona.internal.rules.Opcodes.INVOKESPECIAL;
import static dev.persona.internal.rules.Opcodes.INVOKESTATIC;
import static dev.persona.internal.rules.Opcodes.IRETURN;
import static dev.persona.internal.rules.Opcodes.ISTORE;
import static dev.persona.internal.rules.Opcodes.LCONST_0;
import static dev.persona.internal.rules.Opcodes.LDC2_W;
import static dev.persona.internal.rules.Opcodes.LLOAD;
import static dev.persona.internal.rules.Opcodes.LOR;
import static dev.persona.internal.rules.Opcodes.LSTORE;
import static dev.persona.internal.rules.Opcodes.POP;
import static dev.persona.internal.rules.Opcodes.PUTFIELD;
import static dev.persona.internal.rules.Opcodes.RETURN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a rule set's scoring rules and its lifecycle and stage assignments to JVM bytecode, in a
 * hidden class that the JIT compiles like hand-written code and that is unloaded with its rule set;
 * {@link ConditionCode} writes the conditions.
 *
 * <p>Scoring takes the rules in the order given, {@link RuleOrder}'s: a run of rules that need one
 * signal present starts with one test of its presence, which skips the run when the signal is
 * absent. A text search that occurs in more than one rule runs once per scoring, before the rules,
 * into a bit. A rule whose condition is numeric comparisons, presence tests and such searches,
 * joined by all, any and not, is computed without branches, as 0 or 1, and adds each weight times
 * that; other rules branch. A branch costs little when the processor predicts it, which it stops
 * doing once a rule set has a few hundred rules whose outcomes depend on the request; without
 * branches, cost grows with the number of rules only. A firing rule adds its weights in the given
 * order, exactly as {@link CompiledRule#fire} and {@link CompiledRuleSet#score} define it (adding a
 * weight times 0 leaves a score unchanged). Rules and assignments are split over methods small
 * enough for the JIT to compile.
 *
 * <p>The code names classes by class literals, so that renaming one renames it in the code too, and
 * fields and methods by constants kept next to them ({@link SignalFrame#NUM_FIELD}, {@link
 * Predicate#TEST}, {@link Scorer#SCORE}); renaming one of those alone fails GeneratedScorerTest,
 * and at run time the first call {@link CompiledRuleSet} makes, before any request.
 */
final class RuleCode {
  /** Bytes of code per method beyond which a new method starts; the JIT skips methods over 8000. */
  private static final int MAX_METHOD_BYTES = 6000;

  private static final String SCORE =
      ClassBytes.descriptor(void.class, SignalFrame.class, double[].class);
  private static final String CHUNK =
      ClassBytes.descriptor(void.class, SignalFrame.class, double[].class, long.class);
  private static final String ASSIGN = ClassBytes.descriptor(int.class, SignalFrame.class);

  /** The generated class's own field, which holds the predicates its code calls. */
  private static final String PREDICATES_FIELD = "p";

  /** Repeated text searches run once per scoring, at most one per bit of a long. */
  private static final int MAX_REPEATED = 64;

  private final ClassBytes cb;
  private final ConditionCode conditions;
  private ClassBytes.Code code;

  private RuleCode() {
    cb = new ClassBytes(SELF, ClassBytes.name(Object.class), ClassBytes.name(Scorer.class));
    conditions = new ConditionCode(cb);
  }

  /**
   * Returns a scorer for {@code rules} and the assignments, sorted by priority; a {@link
   * Scorer.Generator}. Throws whatever writing, defining, verifying or constructing the class
   * throws: an {@link IllegalStateException} when the rule set does not fit a class file, a {@link
   * LinkageError} such as {@link VerifyError} for code the JVM rejects, which is a bug here.
   */
  static Scorer generate(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages)
      throws Throwable {
    RuleCode c = new RuleCode();
    byte[] bytes = c.classBytes(rules, lifecycle, stages);
    MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
    return (Scorer)
        hidden
            .findConstructor(
                hidden.lookupClass(), MethodType.methodType(void.class, Predicate[].class))
            .invoke(c.conditions.constants.toArray(new Predicate[0]));
  }

  /** Returns the fields and methods that the class generated for these rules refers to. */
  static List<ClassBytes.Member> references(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    RuleCode c = new RuleCode();
    c.classBytes(rules, lifecycle, stages);
    return c.cb.members;
  }

  private byte[] classBytes(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    String predicates = Predicate[].class.descriptorString();
    cb.addField(0x0012, PREDICATES_FIELD, predicates);
    ClassBytes.Code init = new ClassBytes.Code(2, 2);
    init.op1(ALOAD, 0).op2(INVOKESPECIAL, cb.method(Object.class, "<init>", void.class));
    init.op1(ALOAD, 0).op1(ALOAD, 1);
    init.op2(PUTFIELD, cb.field(SELF, PREDICATES_FIELD, predicates)).op(RETURN);
    cb.addMethod(0x0001, "<init>", ClassBytes.descriptor(void.class, Predicate[].class), init);

    ClassBytes.Code score = chunkStart();
    repeatedSearches(rules, score);
    conditions.scoring = true;
    int[] guard = new int[rules.length];
    for (int i = 0; i < rules.length; i++) {
      guard[i] = RuleOrder.guardSlot(rules[i]);
    }
    int chunk = 0;
    int r = 0;
    while (r < rules.length) {
      code = chunkStart();
      conditions.code = code;
      while (r < rules.length && code.size() < MAX_METHOD_BYTES) {
        int end = r + 1;
        while (guard[r] >= 0 && end < rules.length && guard[end] == guard[r]) {
          end++;
        }
        if (end - r == 1) {
          rule(rules[r++]);
          continue;
        }
        int skip = code.newLabel();
        conditions.present(guard[r], skip);
        conditions.knownPresent = guard[r];
        while (r < end && code.size() < MAX_METHOD_BYTES) {
          rule(rules[r++]);
        }
        conditions.knownPresent = -1;
        code.bind(skip);
      }
      code.op(RETURN);
      String name = "rules" + chunk++;
      cb.addMethod(0x0002, name, CHUNK, code);
      score.op1(ALOAD, 0).op1(ALOAD, 1).op1(ALOAD, 2).op1(LLOAD, REPEATED);
      score.op2(INVOKESPECIAL, cb.method(SELF, name, CHUNK));
    }
    conditions.scoring = false;
    score.op(RETURN);
    cb.addMethod(0x0001, Scorer.SCORE, SCORE, score);
    assignments(Scorer.LIFECYCLE, lifecycle);
    assignments(Scorer.STAGE, stages);
    return cb.toBytes();
  }

  /** Writes {@code int name(SignalFrame)}: the index of the first assignment that holds, or -1. */
  private void assignments(String name, CompiledAssignment[] assignments) {
    String descriptor = ASSIGN;
    ClassBytes.Code first = new ClassBytes.Code(2, 3);
    int chunk = 0;
    int i = 0;
    while (i < assignments.length) {
      code = chunkStart();
      conditions.code = code;
      while (i < assignments.length && code.size() < MAX_METHOD_BYTES) {
        int next = code.newLabel();
        conditions.branch(assignments[i].when(), next, false);
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
    ClassBytes.Code c = new ClassBytes.Code(32, LOCALS);
    frameField(c, SignalFrame.NUM_FIELD, double[].class, NUM);
    frameField(c, SignalFrame.OBJ_FIELD, Object[].class, OBJ);
    frameField(c, SignalFrame.PRESENT_FIELD, boolean[].class, PRESENT);
    frameField(c, SignalFrame.HASH_FIELD, int[].class, HASH);
    String predicates = Predicate[].class.descriptorString();
    c.op1(ALOAD, 0).op2(GETFIELD, cb.field(SELF, PREDICATES_FIELD, predicates));
    c.op1(ASTORE, PREDICATES);
    return c;
  }

  /** Stores the frame's field {@code name}, of type {@code type}, into local {@code local}. */
  private void frameField(ClassBytes.Code c, String name, Class<?> type, int local) {
    c.op1(ALOAD, FRAME_ARG).op2(GETFIELD, cb.field(SignalFrame.class, name, type));
    c.op1(ASTORE, local);
  }

  /**
   * Writes, into {@code score}, a run of every text search that occurs in more than one rule, each
   * into its bit of REPEATED (written as the search itself, since scoring has not begun); the rules
   * then test the bit.
   */
  private void repeatedSearches(CompiledRule[] rules, ClassBytes.Code score) {
    score.op(LCONST_0).op1(LSTORE, REPEATED);
    Map<Predicate.Text, Integer> uses = new LinkedHashMap<>();
    for (CompiledRule r : rules) {
      countSearches(r.when(), uses);
    }
    for (Map.Entry<Predicate.Text, Integer> e : uses.entrySet()) {
      if (e.getValue() < 2 || conditions.repeated.size() == MAX_REPEATED) {
        continue;
      }
      int bit = conditions.repeated.size();
      int no = score.newLabel();
      conditions.code = score;
      conditions.branch(e.getKey(), no, false);
      conditions.repeated.put(e.getKey(), bit);
      score.op1(LLOAD, REPEATED).op2(LDC2_W, cb.lng(1L << bit)).op(LOR).op1(LSTORE, REPEATED);
      score.bind(no);
    }
  }

  private static void countSearches(Predicate p, Map<Predicate.Text, Integer> uses) {
    if (p instanceof Predicate.Text t) {
      uses.merge(t, 1, Integer::sum);
    } else if (p instanceof Predicate.Not not) {
      countSearches(not.part, uses);
    } else if (p instanceof Predicate.And and) {
      for (Predicate part : and.parts) {
        countSearches(part, uses);
      }
    } else if (p instanceof Predicate.Or or) {
      for (Predicate part : or.parts) {
        countSearches(part, uses);
      }
    }
  }

  private void rule(CompiledRule rule) {
    if (rule.scaleSlot() < 0 && conditions.branchFree(rule.when(), 0)) {
      conditions.bit(rule.when());
      code.op1(ISTORE, FIRES);
      for (int i = 0; i < rule.persona().length; i++) {
        code.op1(ALOAD, SCORES).index(rule.persona()[i]).op(DUP2).op(DALOAD);
        code.op2(LDC2_W, cb.dbl(rule.weight()[i])).op1(ILOAD, FIRES).op(I2D).op(DMUL);
        code.op(DADD).op(DASTORE);
      }
      return;
    }
    int skip = code.newLabel();
    conditions.branch(rule.when(), skip, false);
    int scaleSlot = rule.scaleSlot();
    if (scaleSlot >= 0) {
      code.op1(ALOAD, PRESENT).index(scaleSlot).op(BALOAD).jump(IFEQ, skip);
      code.op1(ALOAD, NUM).index(scaleSlot).op(DALOAD).op(DCONST_0);
      code.op2(
          INVOKESTATIC, cb.method(Math.class, "max", double.class, double.class, double.class));
      code.op2(LDC2_W, cb.dbl(rule.scaleCap()));
      code.op2(
          INVOKESTATIC, cb.method(Math.class, "min", double.class, double.class, double.class));
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
}
