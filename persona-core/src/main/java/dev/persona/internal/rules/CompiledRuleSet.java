package dev.persona.internal.rules;

import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.SignalSpec;
import dev.persona.VariantChoice;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import dev.persona.ruleset.Variant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link RuleSet} compiled against the signals an engine knows: keys resolved to slots, every
 * condition type-checked, assignments sorted by priority. Immutable and thread-safe; evaluation
 * allocates only the result.
 */
public final class CompiledRuleSet {
  /** Keys decided during evaluation, which only variant conditions may test. */
  public static final List<String> DECIDED_KEYS = List.of("persona", "lifecycle", "stage");

  private static final double EPSILON = 1e-9;

  private final RuleSet source;
  private final Map<String, Integer> slots;
  private final int slotCount;
  private final int personaSlot;
  private final int lifecycleSlot;
  private final int stageSlot;
  private final String[] personaIds;
  private final double[] thresholds;
  private final CompiledRule[] rules;
  private final CompiledAssignment[] lifecycle;
  private final CompiledAssignment[] stages;
  private final CompiledPlacement[] placements;

  private CompiledRuleSet(RuleSet source, Map<String, Integer> slots, Compiler c) {
    this.source = source;
    this.slots = slots;
    this.slotCount = slots.size() + DECIDED_KEYS.size();
    this.personaSlot = slots.size();
    this.lifecycleSlot = slots.size() + 1;
    this.stageSlot = slots.size() + 2;
    List<Persona> personas = source.personas();
    this.personaIds = personas.stream().map(Persona::id).toArray(String[]::new);
    this.thresholds = personas.stream().mapToDouble(Persona::threshold).toArray();
    this.rules = c.rules.toArray(new CompiledRule[0]);
    this.lifecycle = c.lifecycle.toArray(new CompiledAssignment[0]);
    this.stages = c.stages.toArray(new CompiledAssignment[0]);
    this.placements = c.placements.toArray(new CompiledPlacement[0]);
  }

  /**
   * Compiles a rule set.
   *
   * @param ruleSet the rule set
   * @param signals every signal the engine and the rule set declare
   * @throws RuleSetException listing every unknown key and type mismatch
   */
  public static CompiledRuleSet compile(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Map<String, SignalSpec> specs = new LinkedHashMap<>();
    for (SignalSpec s : signals) {
      specs.put(s.key(), s);
    }
    for (SignalSpec s : ruleSet.signals()) {
      specs.putIfAbsent(s.key(), s);
    }
    Map<String, Integer> slots = new HashMap<>();
    for (String key : specs.keySet()) {
      slots.put(key, slots.size());
    }
    Compiler c = new Compiler(ruleSet, specs, slots);
    c.compileAll();
    if (!c.problems.isEmpty()) {
      throw new RuleSetException(c.problems);
    }
    return new CompiledRuleSet(ruleSet, slots, c);
  }

  public RuleSet source() {
    return source;
  }

  public String version() {
    return source.version();
  }

  /** Returns a new, empty frame for one request. */
  public SignalFrame newFrame() {
    return new SignalFrame(slotCount);
  }

  /** Returns the slot of a signal key, or -1 when the rule set does not know it. */
  public int slot(String key) {
    Integer s = slots.get(key);
    return s == null ? -1 : s;
  }

  /** Scores, assigns and chooses for one request. */
  public Evaluation evaluate(SignalFrame f) {
    List<Reason> reasons = new ArrayList<>();
    double[] scores = new double[personaIds.length];
    for (CompiledRule r : rules) {
      if (r.when.test(f)) {
        r.fire(f, scores, reasons, personaIds);
      }
    }
    Map<String, Double> scoreMap = new LinkedHashMap<>();
    int primary = -1;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = Math.max(0, Math.min(1, scores[i]));
      scoreMap.put(personaIds[i], scores[i]);
      if (matched(scores, i) && (primary < 0 || scores[i] > scores[primary])) {
        primary = i;
      }
    }
    String persona = primary < 0 ? null : personaIds[primary];
    String segment = assign(lifecycle, f, reasons, Reason.Kind.LIFECYCLE, "lifecycle");
    String stage = assign(stages, f, reasons, Reason.Kind.STAGE, "stage");
    f.putDerived(personaSlot, persona);
    f.putDerived(lifecycleSlot, segment);
    f.putDerived(stageSlot, stage);

    Map<String, VariantChoice> choices = new LinkedHashMap<>();
    for (CompiledPlacement p : placements) {
      VariantChoice choice = p.choose(f, scores, this);
      choices.put(p.id, choice);
      reasons.add(p.reason(choice));
    }
    return new Evaluation(scoreMap, persona, segment, stage, choices, reasons);
  }

  /** Returns every placement's default, for a decision that cannot be personalized. */
  public Map<String, VariantChoice> defaults() {
    Map<String, VariantChoice> choices = new LinkedHashMap<>();
    for (CompiledPlacement p : placements) {
      choices.put(p.id, p.defaultChoice());
    }
    return choices;
  }

  /** Returns a score of 0 for every persona. */
  public Map<String, Double> zeroScores() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String id : personaIds) {
      out.put(id, 0.0);
    }
    return out;
  }

  boolean matched(double[] scores, int persona) {
    return scores[persona] + EPSILON >= thresholds[persona];
  }

  private static String assign(
      CompiledAssignment[] assignments,
      SignalFrame f,
      List<Reason> reasons,
      Reason.Kind kind,
      String what) {
    for (CompiledAssignment a : assignments) {
      if (a.when.test(f)) {
        reasons.add(
            new Reason(
                kind,
                a.value,
                what + " " + a.value + " (priority " + a.priority + ") because " + a.text,
                signalsAt(f, a.keySlots),
                Map.of()));
        return a.value;
      }
    }
    return null;
  }

  static List<Signal> signalsAt(SignalFrame f, int[] keySlots) {
    List<Signal> out = new ArrayList<>(keySlots.length);
    for (int s : keySlots) {
      if (f.has(s)) {
        out.add(f.signal(s));
      }
    }
    return out;
  }

  static String format(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }

  /** Turns the model into compiled parts, collecting every problem. */
  private static final class Compiler {
    final RuleSet ruleSet;
    final ConditionCompiler conditions;
    final Map<String, Integer> personaIndex = new HashMap<>();
    final List<RuleSetException.Problem> problems = new ArrayList<>();
    final List<CompiledRule> rules = new ArrayList<>();
    final List<CompiledAssignment> lifecycle = new ArrayList<>();
    final List<CompiledAssignment> stages = new ArrayList<>();
    final List<CompiledPlacement> placements = new ArrayList<>();

    Compiler(RuleSet ruleSet, Map<String, SignalSpec> specs, Map<String, Integer> slots) {
      this.ruleSet = ruleSet;
      this.conditions = new ConditionCompiler(specs, slots, problems);
      for (Persona p : ruleSet.personas()) {
        personaIndex.put(p.id(), personaIndex.size());
      }
    }

    void compileAll() {
      int i = 0;
      for (Rule r : ruleSet.rules()) {
        String path = "$.rules[" + i++ + "]";
        Predicate when = conditions.compile(r.when(), path + ".when", false);
        int scaleSlot = -1;
        if (r.scaleKey() != null) {
          scaleSlot = conditions.numberSlot(r.scaleKey(), path + ".per");
        }
        int[] persona = new int[r.adds().size()];
        double[] weight = new double[persona.length];
        int k = 0;
        for (Map.Entry<String, Double> e : r.adds().entrySet()) {
          persona[k] = personaIndex.getOrDefault(e.getKey(), 0);
          weight[k++] = e.getValue();
        }
        rules.add(
            new CompiledRule(
                r.id(),
                when,
                persona,
                weight,
                scaleSlot,
                r.scaleKey(),
                r.scaleCap(),
                "rule '" + r.id() + "' [" + r.when() + "]",
                conditions.slotsOf(r.when().keys(), r.scaleKey())));
      }
      compileAssignments(ruleSet.lifecycle(), "$.lifecycle", lifecycle);
      compileAssignments(ruleSet.stages(), "$.stages", stages);
      int pi = 0;
      for (Placement p : ruleSet.placements()) {
        String path = "$.placements[" + pi++ + "]";
        List<CompiledVariant> variants = new ArrayList<>();
        int vi = 0;
        int defaultIndex = 0;
        for (Variant v : p.variants()) {
          String vpath = path + ".variants[" + vi + "]";
          Predicate when = conditions.compile(v.when(), vpath + ".when", true);
          int[] targets =
              v.targets().stream().mapToInt(t -> personaIndex.getOrDefault(t, 0)).toArray();
          if (v.isDefault()) {
            defaultIndex = vi;
          }
          variants.add(
              new CompiledVariant(v, when, targets, conditions.slotsOf(v.when().keys(), null)));
          vi++;
        }
        placements.add(
            new CompiledPlacement(p.id(), variants.toArray(new CompiledVariant[0]), defaultIndex));
      }
    }

    private void compileAssignments(
        List<Assignment> source, String path, List<CompiledAssignment> into) {
      for (int i = 0; i < source.size(); i++) {
        Assignment a = source.get(i);
        Predicate when = conditions.compile(a.when(), path + "[" + i + "].when", false);
        into.add(
            new CompiledAssignment(
                a.value(),
                a.priority(),
                when,
                a.when().toString(),
                conditions.slotsOf(a.when().keys(), null)));
      }
      into.sort(Comparator.comparingInt((CompiledAssignment a) -> a.priority).reversed());
    }
  }

  record CompiledAssignment(
      String value, int priority, Predicate when, String text, int[] keySlots) {}

  record CompiledRule(
      String id,
      Predicate when,
      int[] persona,
      double[] weight,
      int scaleSlot,
      String scaleKey,
      double scaleCap,
      String text,
      int[] keySlots) {

    void fire(SignalFrame f, double[] scores, List<Reason> reasons, String[] personaIds) {
      double scale = 1;
      if (scaleSlot >= 0) {
        if (!f.present[scaleSlot]) {
          return;
        }
        scale = Math.min(Math.max(f.num[scaleSlot], 0), scaleCap);
        if (scale == 0) {
          return;
        }
      }
      Map<String, Double> adds = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder(this.text).append(" fired:");
      for (int i = 0; i < persona.length; i++) {
        double amount = weight[i] * scale;
        scores[persona[i]] += amount;
        adds.put(personaIds[persona[i]], amount);
        text.append(' ')
            .append(personaIds[persona[i]])
            .append(amount >= 0 ? " +" : " ")
            .append(format(amount));
        if (scaleSlot >= 0) {
          text.append(" (")
              .append(format(weight[i]))
              .append(" x ")
              .append(scaleKey)
              .append(' ')
              .append(format(scale))
              .append(')');
        }
      }
      List<Signal> on = signalsAt(f, keySlots);
      if (!on.isEmpty()) {
        text.append(" on ");
        for (int i = 0; i < on.size(); i++) {
          text.append(i == 0 ? "" : ", ").append(on.get(i));
        }
      }
      reasons.add(new Reason(Reason.Kind.SCORE, id, text.toString(), on, adds));
    }
  }

  record CompiledVariant(Variant source, Predicate when, int[] targets, int[] keySlots) {}

  record CompiledPlacement(String id, CompiledVariant[] variants, int defaultIndex) {

    VariantChoice choose(SignalFrame f, double[] scores, CompiledRuleSet rules) {
      VariantChoice best = null;
      for (CompiledVariant v : variants) {
        Variant src = v.source();
        if (src.isDefault() || !v.when().test(f)) {
          continue;
        }
        String forPersona = null;
        double fit;
        if (v.targets().length == 0) {
          fit = src.weight();
        } else {
          int bestTarget = -1;
          for (int t : v.targets()) {
            if (rules.matched(scores, t) && (bestTarget < 0 || scores[t] > scores[bestTarget])) {
              bestTarget = t;
            }
          }
          if (bestTarget < 0) {
            continue;
          }
          forPersona = rules.personaIds[bestTarget];
          fit = src.weight() * scores[bestTarget];
        }
        if (best == null || fit > best.fit()) {
          best =
              new VariantChoice(
                  id,
                  src.id(),
                  src.content(),
                  forPersona == null ? VariantChoice.Basis.CONDITION : VariantChoice.Basis.PERSONA,
                  forPersona,
                  fit);
        }
      }
      return best != null ? best : defaultChoice();
    }

    VariantChoice defaultChoice() {
      Variant d = variants[defaultIndex].source();
      return new VariantChoice(id, d.id(), d.content(), VariantChoice.Basis.DEFAULT, null, 0);
    }

    Reason reason(VariantChoice c) {
      String text;
      switch (c.basis()) {
        case PERSONA:
          text =
              "placement "
                  + id
                  + ": variant "
                  + c.variant()
                  + " for persona "
                  + c.persona()
                  + " (fit "
                  + format(c.fit())
                  + ")";
          break;
        case CONDITION:
          text =
              "placement "
                  + id
                  + ": variant "
                  + c.variant()
                  + " because ["
                  + variant(c.variant()).when()
                  + "] (fit "
                  + format(c.fit())
                  + ")";
          break;
        default:
          text = "placement " + id + ": default variant " + c.variant() + ", no other was eligible";
      }
      return new Reason(Reason.Kind.VARIANT, id, text, List.of(), Map.of());
    }

    private Variant variant(String variantId) {
      for (CompiledVariant v : variants) {
        if (v.source().id().equals(variantId)) {
          return v.source();
        }
      }
      throw new IllegalArgumentException(variantId);
    }
  }

  /** The outcome of evaluating a frame. */
  public record Evaluation(
      Map<String, Double> scores,
      String persona,
      String lifecycle,
      String stage,
      Map<String, VariantChoice> variants,
      List<Reason> reasons) {}
}
