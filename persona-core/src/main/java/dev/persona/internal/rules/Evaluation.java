package dev.persona.internal.rules;

import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.VariantChoice;
import dev.persona.ruleset.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CompiledRuleSet} decided for one frame. The reasons are worked out only when
 * someone asks for them, over a frame rebuilt with the same signals: re-running the rules gives the
 * same answers, because rules cannot test what is decided after them. Immutable once made.
 */
public final class Evaluation {
  private final CompiledRuleSet rules;
  private final double[] scores;
  private final int primary;
  private final CompiledAssignment lifecycle;
  private final CompiledAssignment stage;
  private final VariantChoice[] choices;

  /** The engine's time of the decision, or {@link #NO_TIME} when experiments did not run. */
  private final long nowMillis;

  /** No time: the evaluation ran no experiment. */
  static final long NO_TIME = Long.MIN_VALUE;

  Evaluation(
      CompiledRuleSet rules,
      double[] scores,
      int primary,
      CompiledAssignment lifecycle,
      CompiledAssignment stage,
      VariantChoice[] choices,
      long nowMillis) {
    this.rules = rules;
    this.scores = scores;
    this.primary = primary;
    this.lifecycle = lifecycle;
    this.stage = stage;
    this.choices = choices;
    this.nowMillis = nowMillis;
  }

  /** Returns the scores, indexed like {@link CompiledRuleSet#personaIds()}; do not modify. */
  public double[] scores() {
    return scores;
  }

  public String persona() {
    return primary < 0 ? null : rules.personaId(primary);
  }

  public String lifecycle() {
    return lifecycle == null ? null : lifecycle.value();
  }

  public String stage() {
    return stage == null ? null : stage.value();
  }

  /** Returns the choice for every placement, in declaration order; do not modify. */
  public VariantChoice[] choices() {
    return choices;
  }

  /**
   * Returns why: every rule that fired, the assignments that applied, every variant chosen.
   *
   * @param frame a frame of the same rule set holding the evaluated signals, {@linkplain
   *     CompiledRuleSet#add added} as {@link Signal}s so that reasons can name them
   */
  public List<Reason> explain(SignalFrame frame) {
    List<Reason> out = new ArrayList<>();
    for (CompiledRule r : rules.rules()) {
      double scale = r.fire(frame);
      if (scale != 0) {
        out.add(scoreReason(frame, r, scale));
      }
    }
    if (lifecycle != null) {
      out.add(assignmentReason(frame, Reason.Kind.LIFECYCLE, "lifecycle", lifecycle));
    }
    if (stage != null) {
      out.add(assignmentReason(frame, Reason.Kind.STAGE, "stage", stage));
    }
    CompiledPlacement[] placements = rules.placements();
    for (int i = 0; i < placements.length; i++) {
      out.add(variantReason(placements[i], choices[i], nowMillis));
    }
    return out;
  }

  private Reason scoreReason(SignalFrame frame, CompiledRule r, double scale) {
    Map<String, Double> adds = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder(r.text()).append(" fired:");
    for (int i = 0; i < r.persona().length; i++) {
      String persona = rules.personaId(r.persona()[i]);
      double amount = r.weight()[i] * scale;
      adds.put(persona, amount);
      text.append(' ').append(persona).append(amount >= 0 ? " +" : " ");
      text.append(Decimals.twoPlaces(amount));
      if (r.scaleSlot() >= 0) {
        text.append(" (").append(Decimals.twoPlaces(r.weight()[i])).append(" x ");
        text.append(r.scaleKey()).append(' ').append(Decimals.twoPlaces(scale)).append(')');
      }
    }
    List<Signal> on = signalsAt(frame, r.keySlots());
    for (int i = 0; i < on.size(); i++) {
      text.append(i == 0 ? " on " : ", ").append(on.get(i));
    }
    appendComparisons(frame, r.when(), text);
    return Reason.builder(Reason.Kind.SCORE, text.toString())
        .source(r.id())
        .signals(on)
        .adds(adds)
        .build();
  }

  private static Reason assignmentReason(
      SignalFrame frame, Reason.Kind kind, String what, CompiledAssignment a) {
    StringBuilder text =
        new StringBuilder(what)
            .append(' ')
            .append(a.value())
            .append(" (priority ")
            .append(a.priority())
            .append(") because ")
            .append(a.text());
    appendComparisons(frame, a.when(), text);
    return Reason.builder(kind, text.toString())
        .source(a.value())
        .signals(signalsAt(frame, a.keySlots()))
        .build();
  }

  private static Reason variantReason(CompiledPlacement p, VariantChoice c, long nowMillis) {
    String text;
    switch (c.basis()) {
      case PERSONA:
        text =
            "placement "
                + p.id
                + ": variant "
                + c.variant()
                + " for persona "
                + c.persona()
                + " (fit "
                + Decimals.twoPlaces(c.fit())
                + ")";
        break;
      case CONDITION:
        text =
            "placement "
                + p.id
                + ": variant "
                + c.variant()
                + " because ["
                + p.variant(c.variant()).when()
                + "] (fit "
                + Decimals.twoPlaces(c.fit())
                + ")";
        break;
      case HOLDOUT:
        text =
            "placement "
                + p.id
                + ": default variant "
                + c.variant()
                + ", the visitor is in the personalization holdout";
        break;
      case EXPERIMENT:
        text =
            "placement "
                + p.id
                + ": variant "
                + c.variant()
                + ", the visitor's arm of experiment "
                + p.experimentId();
        break;
      case OPTIMIZED:
        text =
            "placement "
                + p.id
                + ": variant "
                + c.variant()
                + ", sampled by its "
                + p.goalText()
                + " per exposure "
                + (c.segment() == null ? "without a persona" : "for " + c.segment());
        break;
      case FORCED:
        text = "placement " + p.id + ": variant " + c.variant() + ", forced for QA";
        break;
      default:
        text =
            "placement "
                + p.id
                + ": default variant "
                + c.variant()
                + (p.mode == Placement.Mode.EXPERIMENT && nowMillis != NO_TIME && !p.runs(nowMillis)
                    ? ", experiment " + p.experimentId() + " is not running"
                    : ", no other was eligible");
    }
    return Reason.builder(Reason.Kind.VARIANT, text).source(p.id).build();
  }

  /**
   * Appends, after "; ", what each comparison of two signals and each set size in {@code p}
   * compared with which values, such as {@code days_since_last_order 40 > 36
   * (avg_days_between_orders 30 x 1.2)} or {@code size of recently_viewed 3 >= 3}, saying "is not"
   * of one that does not hold (a part of an any, or under a not); tests of an absent signal are
   * left out.
   */
  private static void appendComparisons(SignalFrame frame, Predicate p, StringBuilder text) {
    List<String> found = new ArrayList<>();
    comparisons(frame, p, found);
    if (!found.isEmpty()) {
      text.append("; ").append(String.join(", ", found));
    }
  }

  private static void comparisons(SignalFrame frame, Predicate p, List<String> into) {
    if (p instanceof Predicate.And and) {
      for (Predicate part : and.parts) {
        comparisons(frame, part, into);
      }
    } else if (p instanceof Predicate.Or or) {
      for (Predicate part : or.parts) {
        comparisons(frame, part, into);
      }
    } else if (p instanceof Predicate.Not not) {
      comparisons(frame, not.part, into);
    } else if (p instanceof Predicate.CompareSignals c && frame.has(c.slot) && frame.has(c.other)) {
      double v = frame.num[c.slot];
      double bound = c.bound(frame);
      String other = frame.signal(c.other).key() + " " + Decimals.compact(frame.num[c.other]);
      StringBuilder text = new StringBuilder(frame.signal(c.slot).key()).append(' ');
      text.append(Decimals.compact(v)).append(c.holds(v, bound) ? " " : " is not ");
      text.append(symbol(c.op)).append(' ');
      if (c.factor == 1) {
        text.append(other);
      } else {
        text.append(Decimals.compact(bound)).append(" (").append(other).append(" x ");
        text.append(factor(c.factor)).append(')');
      }
      into.add(text.toString());
    } else if (p instanceof Predicate.SetSize c && frame.has(c.slot)) {
      into.add(
          "size of "
              + frame.signal(c.slot).key()
              + " "
              + frame.set(c.slot).size()
              + (c.test(frame) ? " " : " is not ")
              + symbol(c.op)
              + " "
              + c.size);
    }
  }

  /** Returns a factor as the condition shows it: 2, or 1.2. */
  private static String factor(double f) {
    return f == Math.rint(f) ? Long.toString((long) f) : Double.toString(f);
  }

  private static String symbol(int op) {
    switch (op) {
      case Predicate.Compare.EQ:
        return "=";
      case Predicate.Compare.NE:
        return "!=";
      case Predicate.Compare.GT:
        return ">";
      case Predicate.Compare.GTE:
        return ">=";
      case Predicate.Compare.LT:
        return "<";
      default:
        return "<=";
    }
  }

  private static List<Signal> signalsAt(SignalFrame frame, int[] keySlots) {
    List<Signal> out = new ArrayList<>(keySlots.length);
    for (int s : keySlots) {
      if (frame.has(s)) {
        out.add(frame.signal(s));
      }
    }
    return out;
  }
}
