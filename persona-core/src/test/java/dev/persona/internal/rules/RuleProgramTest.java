package dev.persona.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleProgram}'s guarded scoring and {@link RuleCode}'s bytecode against the {@link
 * Predicate} trees they are made from.
 */
final class RuleProgramTest {
  // Slots 0-3 NUMBER, 4 FLAG, 5-6 TEXT, 7 SET.
  private static final int SLOTS = 8;
  private static final double[] NUMBERS = {
    -1, -0.0, 0, 0.5, 1, 2, 2.5, 3, 1e300, Math.nextUp(2), Double.NaN, Double.POSITIVE_INFINITY
  };
  private static final String[] TEXTS = {
    "deal",
    "Sale",
    "SUMMER-SALE",
    "ſale",
    "İstanbul",
    "istanbul",
    "mobile",
    "",
    "promo-ugc",
    "ÄPFEL"
  };
  private static final String[] NEEDLES = {
    "sale", "SAL", "deal", "i̇", "ist", "", "äpf", "ugc", "s"
  };

  private static final CompiledAssignment[] NONE = new CompiledAssignment[0];

  private final Random random = new Random(20261123);

  @Test
  void assignments_firstThatHoldsIsTheFirstWhosePredicateHolds() {
    for (int round = 0; round < 300; round++) {
      CompiledAssignment[] assignments = new CompiledAssignment[round % 50 == 0 ? 1500 : 8];
      for (int i = 0; i < assignments.length; i++) {
        assignments[i] = new CompiledAssignment("a" + i, 0, predicate(4), "", new int[0]);
      }
      CompiledAssignment[] reversed = new CompiledAssignment[assignments.length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = assignments[assignments.length - 1 - i];
      }
      RuleCode.Scorer code = RuleCode.compile(new CompiledRule[0], assignments, reversed);
      assertThat(code).isNotNull();
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = frame(0, f);
        assertThat(code.lifecycle(f)).isEqualTo(first(assignments, f));
        assertThat(code.stage(f)).isEqualTo(first(reversed, f));
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
        rules[r] =
            new CompiledRule(
                "r" + r, predicate(3), new int[] {r}, new double[] {1}, -1, null, 0, "", null);
      }
      RuleProgram program = RuleProgram.of(rules);
      RuleCode.Scorer code = RuleCode.compile(rules, NONE, NONE);
      RuleCode.Scorer grouped = RuleCode.compile(RuleOrder.of(rules), NONE, NONE);
      assertThat(code).isNotNull();
      assertThat(grouped).isNotNull();
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = frame(program.ruleCount(), f);
        double[] scores = new double[rules.length];
        program.score(f, scores);
        double[] generated = new double[rules.length];
        code.score(f, generated);
        double[] inRuns = new double[rules.length];
        grouped.score(f, inRuns);
        for (int r = 0; r < rules.length; r++) {
          assertThat(scores[r] == 1)
              .as("rule %d in round %d", r, round)
              .isEqualTo(rules[r].when().test(f));
        }
        assertThat(generated).containsExactly(scores);
        assertThat(inRuns).as("in evaluation order").containsExactly(scores);
      }
    }
  }

  @Test
  void evaluationOrder_keepsTheRulesOfOneSignalTogether_andSkipsOnlyRulesThatCannotFire() {
    for (int round = 0; round < 50; round++) {
      CompiledRule[] rules = new CompiledRule[200];
      for (int r = 0; r < rules.length; r++) {
        rules[r] =
            new CompiledRule(
                "r" + r, predicate(3), new int[] {0}, new double[] {1}, -1, null, 0, "", null);
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
        f = frame(rules.length, f);
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
        rules[r] =
            new CompiledRule("r" + r, p, new int[] {r}, new double[] {1}, -1, null, 0, "", null);
      }
      RuleCode.Scorer code = RuleCode.compile(rules, NONE, NONE);
      assertThat(code).as("depth %d compiles", depth).isNotNull();
      SignalFrame f = null;
      for (int frames = 0; frames < 50; frames++) {
        f = frame(rules.length, f);
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
    SignalFrame f = new SignalFrame(SLOTS, 1);
    f.putNumber(0, Double.NaN);
    f.putNumber(1, -0.0);
    assertThat(f.present[0]).isFalse();
    assertThat(Double.doubleToRawLongBits(f.num[1])).isZero();
    RuleCode.Scorer code =
        RuleCode.compile(
            new CompiledRule[] {
              new CompiledRule(
                  "zero",
                  new Predicate.Compare(1, Predicate.Compare.GTE, 0),
                  new int[] {0},
                  new double[] {1},
                  -1,
                  null,
                  0,
                  "",
                  null)
            },
            NONE,
            NONE);
    double[] scores = new double[1];
    code.score(f, scores);
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
                predicate(3),
                persona,
                weight,
                scale,
                "k",
                1 + random.nextInt(4),
                "",
                null);
      }
      RuleProgram program = RuleProgram.of(rules);
      RuleCode.Scorer code = RuleCode.compile(rules, NONE, NONE);
      RuleCode.Scorer grouped = RuleCode.compile(RuleOrder.of(rules), NONE, NONE);
      SignalFrame f = null;
      for (int frames = 0; frames < 20; frames++) {
        f = frame(program.ruleCount(), f);
        double[] expected = new double[4];
        for (CompiledRule r : rules) {
          double s = r.fire(f);
          if (s != 0) {
            for (int i = 0; i < r.persona().length; i++) {
              expected[r.persona()[i]] += r.weight()[i] * s;
            }
          }
        }
        double[] scores = new double[4];
        program.score(f, scores);
        assertThat(scores).containsExactly(expected);
        double[] generated = new double[4];
        code.score(f, generated);
        assertThat(generated).containsExactly(expected);
        double[] inRuns = new double[4];
        grouped.score(f, inRuns);
        for (int p = 0; p < 4; p++) {
          assertThat(inRuns[p]).as("in evaluation order").isCloseTo(expected[p], within(1e-12));
        }
      }
    }
  }

  @Test
  void textIgnoringCase_containsWhatRegionMatchesFindsAtSomePosition() {
    String alphabet = "aAbBsSkK-_ 0ſıİKß";
    for (int i = 0; i < 200_000; i++) {
      String value = random(alphabet, 8);
      String needle = random(alphabet, 3);
      boolean expected = false;
      for (int at = 0; at <= value.length() - needle.length() && !expected; at++) {
        expected =
            value.regionMatches(
                true,
                at,
                needle.toLowerCase(java.util.Locale.ROOT),
                0,
                needle.toLowerCase(java.util.Locale.ROOT).length());
      }
      assertThat(new Predicate.Text(0, false, needle, true).matches(value))
          .as("'%s' contains '%s'", value, needle)
          .isEqualTo(expected);
    }
  }

  private String random(String alphabet, int maxLength) {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 10)));
    }
    return sb.toString();
  }

  /** Returns a filled frame: a new one, or every other time {@code last} cleared and refilled. */
  private SignalFrame frame(int rules, SignalFrame last) {
    SignalFrame f = last;
    if (f == null || random.nextBoolean()) {
      f = new SignalFrame(SLOTS, rules);
    } else {
      f.clear();
    }
    for (int s = 0; s < 4; s++) {
      if (random.nextInt(4) > 0) {
        f.putNumber(s, pick(NUMBERS));
      }
    }
    if (random.nextBoolean()) {
      f.putFlag(4, random.nextBoolean());
    }
    for (int s = 5; s < 7; s++) {
      if (random.nextInt(4) > 0) {
        f.putValue(s, pick(TEXTS));
      }
    }
    if (random.nextBoolean()) {
      f.putValue(7, Set.of(pick(TEXTS), pick(TEXTS).toLowerCase(java.util.Locale.ROOT) + "x"));
    }
    return f;
  }

  private Predicate predicate(int depth) {
    int kind = random.nextInt(depth > 0 ? 14 : 10);
    switch (kind) {
      case 0:
        return new Predicate.Exists(random.nextInt(SLOTS));
      case 1:
      case 2:
        return new Predicate.Compare(random.nextInt(4), random.nextInt(6), pick(NUMBERS));
      case 3:
        return new Predicate.Compare(4, random.nextInt(2), random.nextInt(2));
      case 4:
        double a = pick(NUMBERS);
        double b = pick(NUMBERS);
        return new Predicate.Between(random.nextInt(4), Math.min(a, b), Math.max(a, b));
      case 5:
        Set<String> texts = new java.util.HashSet<>();
        int n = random.nextInt(4) == 0 ? 1 + random.nextInt(TEXTS.length) : 1;
        while (texts.size() < n) {
          texts.add(pick(TEXTS));
        }
        return new Predicate.TextIn(5 + random.nextInt(2), Set.copyOf(texts), random.nextBoolean());
      case 6:
        return new Predicate.Text(
            5 + random.nextInt(2), random.nextBoolean(), pick(NEEDLES), random.nextBoolean());
      case 7:
        return new Predicate.NumberIn(random.nextInt(4), new double[] {pick(NUMBERS), 1});
      case 8:
        return new Predicate.SetHasAny(7, Set.of(pick(TEXTS)), random.nextBoolean());
      case 9:
        return random.nextBoolean() ? Predicate.TRUE : Predicate.FALSE;
      case 10:
        return new Predicate.Not(predicate(depth - 1));
      case 11:
        return new Predicate.And(parts(depth - 1));
      default:
        return new Predicate.Or(parts(depth - 1));
    }
  }

  private Predicate[] parts(int depth) {
    Predicate[] out = new Predicate[random.nextInt(4)];
    for (int i = 0; i < out.length; i++) {
      out[i] = predicate(depth);
    }
    return out;
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private double pick(double[] values) {
    return values[random.nextInt(values.length)];
  }
}
