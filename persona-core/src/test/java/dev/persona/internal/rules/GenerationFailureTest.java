package dev.persona.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.internal.rules.CompiledRuleSet.Scoring;
import dev.persona.ruleset.RuleSet;
import dev.persona.testing.CapturedLog;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A rule set whose scorer cannot be generated scores with its predicates, decides exactly as the
 * generated scorer would, says why, and logs it once. The failures thrown here are subclasses of
 * the JVM's own, so that each has a line of the throttled log to itself.
 */
final class GenerationFailureTest {
  private static final String CONTINUES = "; scoring continues on the slower interpreted path";

  private final RandomRuleSets ruleSets =
      new RandomRuleSets(new RandomPredicates(new Random(20261125)));
  private final RuleSet ruleSet = ruleSets.ruleSet(40);
  private final CompiledRuleSet reference = CompiledRuleSet.compile(ruleSet, List.of());

  static final class RejectedCode extends VerifyError {
    private static final long serialVersionUID = 1L;
  }

  static final class GeneratorBug extends IllegalStateException {
    private static final long serialVersionUID = 1L;
  }

  static final class BadClassFile extends ClassFormatError {
    private static final long serialVersionUID = 1L;
  }

  static final class MissingClass extends NoClassDefFoundError {
    private static final long serialVersionUID = 1L;
  }

  static final class NoAccess extends IllegalAccessException {
    private static final long serialVersionUID = 1L;
  }

  static final class MissingField extends NoSuchFieldError {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aBrokenRuleSetReloadedAgainAndAgain_interpretsEachTime_andLogsOneWarning() {
    String log =
        CapturedLog.during(
            () -> {
              for (int i = 0; i < 20; i++) {
                assertFallsBack(throwing(new RejectedCode()), RejectedCode.class);
              }
            });
    String warning =
        "WARN dev.persona.rules - Generating a rule set's scorer failed with "
            + RejectedCode.class.getName()
            + CONTINUES;
    assertThat(CapturedLog.count(log, warning)).as(log).isEqualTo(1);
    assertThat(CapturedLog.count(log, " WARN ")).as(log).isEqualTo(1);
    assertThat(CapturedLog.count(log, "DEBUG dev.persona.rules - Scorer generation failure"))
        .as("the stack trace, at DEBUG only")
        .isEqualTo(1);
    assertThat(log)
        .containsPattern(
            "DEBUG dev.persona.rules - Scorer generation failure\\R"
                + Pattern.quote(RejectedCode.class.getName())
                + "\\R\\tat ");
  }

  @Test
  void codeTheVerifierRejects_leavesTheRuleSetInterpreting() {
    String log =
        CapturedLog.during(
            () -> assertFallsBack(GenerationFailureTest::unverifiable, VerifyError.class));
    assertThat(log).contains("failed with java.lang.VerifyError" + CONTINUES);
  }

  @Test
  void everyKindOfFailure_leavesTheRuleSetInterpreting() {
    assertFallsBack(throwing(new GeneratorBug()), GeneratorBug.class);
    assertFallsBack(throwing(new BadClassFile()), BadClassFile.class);
    assertFallsBack(throwing(new MissingClass()), MissingClass.class);
    assertFallsBack(throwing(new NoAccess()), NoAccess.class);
    assertFallsBack(throwing(new StackOverflowError()), StackOverflowError.class);
  }

  @Test
  void aScorerThatFailsOnItsFirstCall_isNotUsed() {
    Scorer.Generator failsWhenCalled =
        (rules, lifecycle, stages) ->
            new Scorer() {
              @Override
              public void score(SignalFrame f, double[] scores) {
                throw new MissingField();
              }

              @Override
              public int lifecycle(SignalFrame f) {
                return -1;
              }

              @Override
              public int stage(SignalFrame f) {
                return -1;
              }
            };
    assertFallsBack(failsWhenCalled, MissingField.class);
  }

  @Test
  void aScorerThatDisagreesWithThePredicatesOnAnEmptyFrame_isNotUsed() {
    Scorer.Generator wrong =
        (rules, lifecycle, stages) -> {
          Scorer right = RuleCode.generate(rules, lifecycle, stages);
          return new Scorer() {
            @Override
            public void score(SignalFrame f, double[] scores) {
              right.score(f, scores);
              scores[0] += 1;
            }

            @Override
            public int lifecycle(SignalFrame f) {
              return right.lifecycle(f);
            }

            @Override
            public int stage(SignalFrame f) {
              return right.stage(f);
            }
          };
        };
    assertFallsBack(wrong, IllegalStateException.class);
  }

  @Test
  void theJvmRunningOutOfMemory_isNotMistakenForAGenerationFailure() {
    OutOfMemoryError oom = new OutOfMemoryError();
    assertThatThrownBy(() -> CompiledRuleSet.compile(ruleSet, List.of(), throwing(oom)))
        .isSameAs(oom);
  }

  @Test
  void interpretingByChoice_isNoFailure_andLogsNothing() {
    String log =
        CapturedLog.during(
            () -> {
              CompiledRuleSet c = CompiledRuleSet.compile(ruleSet, List.of(), Scoring.INTERPRETED);
              assertThat(c.generated()).isFalse();
              assertThat(c.generationFailure()).isNull();
            });
    assertThat(log).doesNotContain("dev.persona.rules");
  }

  /** Compiles the rule set with {@code generator} and checks that it interprets, and why. */
  private void assertFallsBack(Scorer.Generator generator, Class<? extends Throwable> failure) {
    CompiledRuleSet fallback = CompiledRuleSet.compile(ruleSet, List.of(), generator);
    assertThat(fallback.generated()).isFalse();
    assertThat(fallback.generationFailure()).isEqualTo(failure.getName());
    assertThat(reference.generated()).isTrue();
    for (int i = 0; i < 50; i++) {
      ScoringEquivalenceTest.assertDecideAlike(fallback, reference, ruleSets.request());
    }
  }

  private static Scorer.Generator throwing(Throwable t) {
    return (rules, lifecycle, stages) -> {
      throw t;
    };
  }

  /** Defines a scorer whose {@code score} pops an empty stack, which the verifier rejects. */
  private static Scorer unverifiable(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages)
      throws IllegalAccessException {
    ClassBytes cb =
        new ClassBytes(
            ConditionCode.SELF, ClassBytes.name(Object.class), ClassBytes.name(Scorer.class));
    ClassBytes.Code code = new ClassBytes.Code(2, 3);
    code.op(Opcodes.POP).op(Opcodes.RETURN);
    String descriptor = ClassBytes.descriptor(void.class, SignalFrame.class, double[].class);
    cb.addMethod(0x0001, Scorer.SCORE, descriptor, code);
    MethodHandles.lookup().defineHiddenClass(cb.toBytes(), true);
    throw new AssertionError("the verifier accepted a pop of an empty stack");
  }
}
