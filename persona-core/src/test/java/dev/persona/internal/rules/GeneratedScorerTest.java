package dev.persona.internal.rules;

import static dev.persona.internal.rules.RandomPredicates.SLOTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleCode}'s bytecode against the {@link Predicate} trees it is made from, and against
 * {@link InterpretedScorer}, which scores with those trees when there is no bytecode.
 */
final class GeneratedScorerTest {
  private static final CompiledAssignment[] NONE = new CompiledAssignment[0];

  private final Random random = new Random(20261123);
  private final RandomPredicates predicates = new RandomPredicates(random);

  @Test
  void assignments_firstThatHoldsIsTheFirstWhosePredicateHolds() {
    for (int round = 0; round < 300; round++) {
      CompiledAssignment[] assignments = new CompiledAssignment[round % 50 == 0 ? 1500 : 8];
      for (int i = 0; i < assignments.length; i++) {
        assignments[i] =
            new CompiledAssignment("a" + i, 0, predicates.predicate(4), "", new int[0]);
      }
      CompiledAssignment[] reversed = new CompiledAssignment[assignments.length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = assignments[assignments.length - 1 - i];
      }
      Scorer code = generate(new CompiledRule[0], assignments, reversed);
      Scorer interpreted = new InterpretedScorer(new CompiledRule[0], assignments, reversed);
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = predicates.frame(f);
        assertThat(code.lifecycle(f)).isEqualTo(first(assignments, f));
        assertThat(code.stage(f)).isEqualTo(first(reversed, f));
        assertThat(interpreted.lifecycle(f)).isEqualTo(first(assignments, f));
        assertThat(interpreted.stage(f)).isEqualTo(first(reversed, f));
      }
    }
  }

  private static int first(CompiledAssignment[] assignments, SignalFrame f) {
    for (int i = 0; i < assignments.length; i++) {
      if (assignments[i].when().test(f)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void everyCondition_firesItsRuleExactlyWhenItsPredicateHolds() {
    for (int round = 0; round < 300; round++) {
      CompiledRule[] rules = new CompiledRule[round % 50 == 0 ? 1500 : round % 5 == 0 ? 150 : 20];
      for (int r = 0; r < rules.length; r++) {
        rules[r] = RandomPredicates.rule(r, predicates.predicate(3));
      }
      Scorer code = generate(rules, NONE, NONE);
      Scorer grouped = generate(RuleOrder.of(rules), NONE, NONE);
      Scorer interpreted = new InterpretedScorer(rules, NONE, NONE);
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = predicates.frame(f);
        double[] generated = new double[rules.length];
        code.score(f, generated);
        double[] inRuns = new double[rules.length];
        grouped.score(f, inRuns);
        double[] expected = new double[rules.length];
        interpreted.score(f, expected);
        for (int r = 0; r < rules.length; r++) {
          assertThat(generated[r] == 1)
              .as("rule %d in round %d", r, round)
              .isEqualTo(rules[r].when().test(f));
        }
        assertThat(inRuns).as("in evaluation order").containsExactly(generated);
        assertThat(expected).as("interpreted").containsExactly(generated);
      }
    }
  }

  @Test
  void evaluationOrder_keepsTheRulesOfOneSignalTogether_andSkipsOnlyRulesThatCannotFire() {
    for (int round = 0; round < 50; round++) {
      CompiledRule[] rules = new CompiledRule[200];
      for (int r = 0; r < rules.length; r++) {
        rules[r] = RandomPredicates.rule(0, predicates.predicate(3));
      }
      CompiledRule[] order = RuleOrder.of(rules);
      assertThat(order).containsExactlyInAnyOrder(rules);
      List<Integer> runs = new ArrayList<>();
      int last = -2;
      for (int i = 0; i < order.length; i++) {
        int guard = RuleOrder.guardSlot(order[i]);
        if (guard != last) {
          assertThat(runs).as("one run per signal, rules needing none last").doesNotContain(guard);
          assertThat(last).as("rules needing no signal come last").isNotEqualTo(-1);
          runs.add(guard);
          last = guard;
        } else {
          assertThat(Arrays.asList(rules).indexOf(order[i]))
              .as("file order within a run")
              .isGreaterThan(Arrays.asList(rules).indexOf(order[i - 1]));
        }
      }
      SignalFrame f = null;
      for (int frames = 0; frames < 50; frames++) {
        f = predicates.frame(f);
        for (CompiledRule r : rules) {
          int guard = RuleOrder.guardSlot(r);
          if (guard >= 0 && !f.present[guard]) {
            assertThat(r.when().test(f)).as("a rule whose signal is absent").isFalse();
          }
        }
      }
    }
  }

  @Test
  void deeplyNestedConditions_compileAndFireExactlyWhenTheirPredicateHolds() {
    for (int depth = 1; depth <= 14; depth++) {
      CompiledRule[] rules = new CompiledRule[20];
      for (int r = 0; r < rules.length; r++) {
        Predicate p = new Predicate.Between(random.nextInt(4), -1, 2.5);
        for (int level = 0; level < depth; level++) {
          Predicate leaf = new Predicate.Compare(random.nextInt(4), random.nextInt(6), 2);
          p =
              switch (random.nextInt(3)) {
                case 0 -> new Predicate.And(new Predicate[] {leaf, p, leaf});
                case 1 -> new Predicate.Or(new Predicate[] {p, leaf});
                default -> new Predicate.Not(p);
              };
        }
        rules[r] = RandomPredicates.rule(r, p);
      }
      Scorer code = generate(rules, NONE, NONE);
      SignalFrame f = null;
      for (int frames = 0; frames < 50; frames++) {
        f = predicates.frame(f);
        double[] scores = new double[rules.length];
        code.score(f, scores);
        for (int r = 0; r < rules.length; r++) {
          assertThat(scores[r] == 1)
              .as("rule %d at depth %d", r, depth)
              .isEqualTo(rules[r].when().test(f));
        }
      }
    }
  }

  @Test
  void aFrame_holdsNoNaNOrNegativeZero_whichBranchFreeComparisonsRelyOn() {
    SignalFrame f = new SignalFrame(SLOTS);
    f.putNumber(0, Double.NaN);
    f.putNumber(1, -0.0);
    assertThat(f.present[0]).isFalse();
    assertThat(Double.doubleToRawLongBits(f.num[1])).isZero();
    CompiledRule zero =
        RandomPredicates.rule(0, new Predicate.Compare(1, Predicate.Compare.GTE, 0));
    double[] scores = new double[1];
    generate(new CompiledRule[] {zero}, NONE, NONE).score(f, scores);
    assertThat(scores[0]).as("-0 >= 0").isEqualTo(1);
  }

  @Test
  void scores_areWhatFiringRulesAddInRuleOrder() {
    for (int round = 0; round < 300; round++) {
      CompiledRule[] rules = new CompiledRule[15];
      for (int r = 0; r < rules.length; r++) {
        int personas = 1 + random.nextInt(3);
        int[] persona = new int[personas];
        double[] weight = new double[personas];
        for (int i = 0; i < personas; i++) {
          persona[i] = random.nextInt(4);
          weight[i] = random.nextDouble() - 0.3;
        }
        int scale = random.nextInt(3) == 0 ? random.nextInt(4) : -1;
        rules[r] =
            new CompiledRule(
                "r" + r,
                predicates.predicate(3),
                persona,
                weight,
                scale,
                "k",
                1 + random.nextInt(4),
                "",
                null);
      }
      CompiledRule[] order = RuleOrder.of(rules);
      Scorer code = generate(rules, NONE, NONE);
      Scorer grouped = generate(order, NONE, NONE);
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = predicates.frame(f);
        double[] expected = new double[4];
        for (CompiledRule r : rules) {
          double s = r.fire(f);
          if (s != 0) {
            for (int i = 0; i < r.persona().length; i++) {
              expected[r.persona()[i]] += r.weight()[i] * s;
            }
          }
        }
        double[] generated = new double[4];
        code.score(f, generated);
        assertThat(generated).containsExactly(expected);
        double[] interpreted = new double[4];
        new InterpretedScorer(rules, NONE, NONE).score(f, interpreted);
        assertThat(interpreted).containsExactly(expected);
        double[] inRuns = new double[4];
        grouped.score(f, inRuns);
        double[] inRunsInterpreted = new double[4];
        new InterpretedScorer(order, NONE, NONE).score(f, inRunsInterpreted);
        assertThat(inRuns).as("in evaluation order").containsExactly(inRunsInterpreted);
      }
    }
  }

  @Test
  void generatedCode_namesOnlyFieldsAndMethodsThatExist() throws ReflectiveOperationException {
    CompiledRule[] rules = new CompiledRule[1500];
    for (int r = 0; r < rules.length; r++) {
      int scale = r % 10 == 0 ? r % 4 : -1;
      Predicate when = predicates.predicate(3);
      rules[r] =
          new CompiledRule("r" + r, when, new int[] {0}, new double[] {1}, scale, "k", 2, "", null);
    }
    CompiledAssignment[] stages = {
      new CompiledAssignment("a", 0, predicates.predicate(3), "", null)
    };
    List<ClassBytes.Member> members = RuleCode.references(RuleOrder.of(rules), stages, stages);
    List<String> named = new ArrayList<>();
    for (ClassBytes.Member m : members) {
      if (m.owner().equals(ConditionCode.SELF)) {
        continue;
      }
      Class<?> owner = Class.forName(m.owner().replace('/', '.'));
      named.add(owner.getSimpleName() + "." + m.name());
      if (m.field()) {
        Field field = owner.getDeclaredField(m.name());
        assertThat(field.getType().descriptorString()).as(m.name()).isEqualTo(m.descriptor());
      } else if (m.name().equals("<init>")) {
        assertThat(owner.getDeclaredConstructor()).isNotNull();
      } else {
        assertThat(Arrays.stream(owner.getDeclaredMethods()))
            .as("%s.%s%s", m.owner(), m.name(), m.descriptor())
            .anyMatch(method -> m.name().equals(method.getName()) && describes(m, method));
      }
    }
    assertThat(named)
        .as("every kind of reference occurs")
        .contains(
            "SignalFrame.num",
            "SignalFrame.obj",
            "SignalFrame.present",
            "SignalFrame.hash",
            "Predicate.test",
            "Text.matches",
            "String.equals",
            "Math.max",
            "Double.doubleToRawLongBits");
    assertThat(Scorer.class.getDeclaredMethod(Scorer.SCORE, SignalFrame.class, double[].class))
        .isNotNull();
    assertThat(Scorer.class.getDeclaredMethod(Scorer.LIFECYCLE, SignalFrame.class)).isNotNull();
    assertThat(Scorer.class.getDeclaredMethod(Scorer.STAGE, SignalFrame.class)).isNotNull();
  }

  private static boolean describes(ClassBytes.Member m, Method method) {
    return MethodType.methodType(method.getReturnType(), method.getParameterTypes())
        .toMethodDescriptorString()
        .equals(m.descriptor());
  }

  @Test
  void textIgnoringCase_containsWhatRegionMatchesFindsAtSomePosition() {
    String alphabet = "aAbBsSkK-_ 0ſıİKß";
    for (int i = 0; i < 200_000; i++) {
      String value = random(alphabet, 8);
      String needle = random(alphabet, 3);
      String lower = needle.toLowerCase(java.util.Locale.ROOT);
      boolean expected = false;
      for (int at = 0; at <= value.length() - needle.length() && !expected; at++) {
        expected = value.regionMatches(true, at, lower, 0, lower.length());
      }
      assertThat(new Predicate.Text(0, false, needle, true).matches(value))
          .as("'%s' contains '%s'", value, needle)
          .isEqualTo(expected);
    }
  }

  @Test
  void textIgnoringCase_givenTheValueInLowerCase_testsAsWithoutIt() {
    String alphabet = "aAbBsSkK-_ 0ſıİKß";
    for (int i = 0; i < 200_000; i++) {
      String value = random(alphabet, 8);
      Predicate.Text t =
          new Predicate.Text(0, random.nextBoolean(), random(alphabet, 3), random.nextBoolean());
      assertThat(t.matches(value, SignalFrame.asciiLowerCase(value)))
          .as("'%s' %s '%s'", value, t.prefix ? "starts with" : "contains", t.text)
          .isEqualTo(t.matches(value));
    }
  }

  @Test
  void aFrame_keepsTheLowerCaseOfTheSlotsItLowers_sameWhenAlreadyLower_noneWhenNotAscii() {
    SignalFrame f = new SignalFrame(SLOTS, RandomPredicates.LOWERED);
    f.putValue(5, "Summer-SALE");
    f.putValue(6, "Summer-SALE");
    assertThat(f.lower[5]).isEqualTo("summer-sale");
    assertThat(f.lower[6]).as("a slot no test reads ignoring case").isNull();
    String lower = "summer-sale";
    f.putValue(5, lower);
    assertThat(f.lower[5]).isSameAs(lower);
    f.putValue(5, "SOMMERSCHLUSSVERKÄUFE");
    assertThat(f.lower[5]).isNull();
    f.putValue(5, "Sale");
    f.clear();
    assertThat(f.lower[5]).isNull();
  }

  private String random(String alphabet, int maxLength) {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 10)));
    }
    return sb.toString();
  }

  /** Returns the generated scorer; a failure to generate fails the test. */
  static Scorer generate(
      CompiledRule[] rules, CompiledAssignment[] lifecycle, CompiledAssignment[] stages) {
    try {
      return RuleCode.generate(rules, lifecycle, stages);
    } catch (Throwable t) {
      throw new AssertionError("generating the scorer failed", t);
    }
  }
}
