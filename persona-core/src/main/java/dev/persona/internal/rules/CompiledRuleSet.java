package dev.persona.internal.rules;

import dev.persona.Signal;
import dev.persona.SignalSpec;
import dev.persona.VariantChoice;
import dev.persona.internal.experiment.Allocation;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RuleSet} compiled against the signals an engine knows: every condition type-checked, the
 * keys that rules test resolved to slots of a {@link SignalFrame}, assignments sorted by priority.
 * Immutable and thread-safe.
 */
public final class CompiledRuleSet {
  /** Keys decided during evaluation, which only variant conditions may test. */
  public static final List<String> DECIDED_KEYS = List.of("persona", "lifecycle", "stage");

  private static final double EPSILON = 1e-9;

  private final RuleSet source;
  private final Map<String, SignalSpec> signals;
  private final Map<String, Integer> slots;
  private final int slotCount;
  private final boolean hasExperiments;
  private final int personaSlot;
  private final int lifecycleSlot;
  private final int stageSlot;
  private final String[] personaIds;
  private final double[] thresholds;
  private final CompiledRule[] rules;
  private final CompiledAssignment[] lifecycle;
  private final CompiledAssignment[] stages;
  private final CompiledPlacement[] placements;
  private final VariantChoice[] defaults;

  /** The rules and assignments as bytecode, or null when it could not be made. */
  private final RuleCode.Scorer scorer;

  /** The rules in flat arrays when there is no bytecode (assignments then use predicates). */
  private final RuleProgram program;

  private CompiledRuleSet(RuleSet source, Map<String, SignalSpec> signals, RuleCompiler c) {
    this.source = source;
    this.signals = Map.copyOf(signals);
    this.slots = Map.copyOf(c.slots);
    this.slotCount = SignalFrame.FIRST_SLOT + c.slots.size();
    this.personaSlot = decidedSlot("persona");
    this.lifecycleSlot = decidedSlot("lifecycle");
    this.stageSlot = decidedSlot("stage");
    this.personaIds = source.personas().stream().map(Persona::id).toArray(String[]::new);
    this.thresholds = source.personas().stream().mapToDouble(Persona::threshold).toArray();
    this.rules = c.rules.toArray(new CompiledRule[0]);
    this.lifecycle = c.lifecycle.toArray(new CompiledAssignment[0]);
    this.stages = c.stages.toArray(new CompiledAssignment[0]);
    this.placements = c.placements.toArray(new CompiledPlacement[0]);
    this.defaults = new VariantChoice[placements.length];
    for (int i = 0; i < placements.length; i++) {
      defaults[i] = placements[i].defaultChoice;
    }
    boolean anyExperiment = false;
    for (CompiledPlacement p : placements) {
      anyExperiment |= p.mode == Placement.Mode.EXPERIMENT;
    }
    this.hasExperiments = anyExperiment;
    CompiledRule[] order = RuleOrder.of(rules);
    this.scorer = RuleCode.compile(order, lifecycle, stages);
    this.program = scorer != null ? null : RuleProgram.of(order);
  }

  /**
   * Compiles a rule set.
   *
   * @param ruleSet the rule set
   * @param signals every signal the engine declares; the rule set may declare more
   * @throws RuleSetException listing every unknown key and type mismatch
   */
  public static CompiledRuleSet compile(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Map<String, SignalSpec> specs = specs(ruleSet, signals);
    return new CompiledRuleSet(ruleSet, specs, checked(ruleSet, specs));
  }

  /**
   * Checks a rule set as {@link #compile} does, without making its scorer.
   *
   * @throws RuleSetException listing every unknown key and type mismatch
   */
  public static void check(RuleSet ruleSet, Collection<SignalSpec> signals) {
    checked(ruleSet, specs(ruleSet, signals));
  }

  private static Map<String, SignalSpec> specs(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Map<String, SignalSpec> specs = new LinkedHashMap<>();
    for (SignalSpec s : signals) {
      specs.put(s.key(), s);
    }
    for (SignalSpec s : ruleSet.signals()) {
      specs.putIfAbsent(s.key(), s);
    }
    return specs;
  }

  private static RuleCompiler checked(RuleSet ruleSet, Map<String, SignalSpec> specs) {
    RuleCompiler c = new RuleCompiler(ruleSet, specs);
    c.compileAll();
    if (!c.problems.isEmpty()) {
      throw new RuleSetException(c.problems);
    }
    return c;
  }

  static String decidedSlotKey(String key) {
    return "@" + key;
  }

  private int decidedSlot(String key) {
    return slots.getOrDefault(decidedSlotKey(key), -1);
  }

  public RuleSet source() {
    return source;
  }

  public String version() {
    return source.version();
  }

  /** Returns every signal known to this rule set: the engine's and its own, by key. */
  public Map<String, SignalSpec> signals() {
    return signals;
  }

  /** Returns the persona ids in declaration order; do not modify. */
  public String[] personaIds() {
    return personaIds;
  }

  String personaId(int index) {
    return personaIds[index];
  }

  CompiledRule[] rules() {
    return rules;
  }

  CompiledPlacement[] placements() {
    return placements;
  }

  /** Returns whether a placement runs an experiment, whose arms need the visitor's id. */
  public boolean hasExperiments() {
    return hasExperiments;
  }

  /** Returns a new, empty frame for one request. */
  public SignalFrame newFrame() {
    return new SignalFrame(slotCount, rules.length);
  }

  /** Returns whether {@code frame} has the slots of this rule set's frames. */
  public boolean fits(SignalFrame frame) {
    return frame.size() == slotCount && frame.guards.length == RuleProgram.words(rules.length);
  }

  /**
   * Adds a signal to a frame of this rule set; a value of another type than the signal's declared
   * one is left out, as the engine leaves it out of a request.
   */
  public void add(SignalFrame frame, Signal signal) {
    int slot = slot(signal.key());
    SignalSpec spec = slot < 0 ? null : signals.get(signal.key());
    if (spec == null || spec.type() == signal.type()) {
      frame.put(slot, signal);
    }
  }

  /** Returns the slot of a signal key, or -1 when no condition of the rule set tests it. */
  public int slot(String key) {
    Integer s = slots.get(key);
    return s == null ? -1 : s;
  }

  /**
   * Scores the personas of one frame into {@code scores}, indexed like {@link #personaIds()}, each
   * clamped to [0, 1]. Allocates nothing.
   */
  public void score(SignalFrame f, double[] scores) {
    Arrays.fill(scores, 0);
    if (scorer != null) {
      scorer.score(f, scores);
    } else {
      program.score(f, scores);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = Math.max(0, Math.min(1, scores[i]));
    }
  }

  /**
   * Scores, assigns and chooses for one request, as if no experiment or optimization ran. The
   * evaluation does not keep the frame: {@link Evaluation#explain} takes one with the same signals.
   */
  public Evaluation evaluate(SignalFrame f) {
    return evaluate(f, null);
  }

  /**
   * Scores, assigns and chooses for one request.
   *
   * @param allocation the visitor's holdout, QA overrides and the optimizer; null to personalize
   *     every placement
   */
  public Evaluation evaluate(SignalFrame f, Allocation allocation) {
    double[] scores = new double[personaIds.length];
    score(f, scores);
    int primary = -1;
    for (int i = 0; i < scores.length; i++) {
      if (matched(scores, i) && (primary < 0 || scores[i] > scores[primary])) {
        primary = i;
      }
    }
    CompiledAssignment segment;
    CompiledAssignment stage;
    if (scorer != null) {
      int l = scorer.lifecycle(f);
      int s = scorer.stage(f);
      segment = l < 0 ? null : lifecycle[l];
      stage = s < 0 ? null : stages[s];
    } else {
      segment = assign(lifecycle, f);
      stage = assign(stages, f);
    }
    f.putDerived(personaSlot, primary < 0 ? null : personaIds[primary]);
    f.putDerived(lifecycleSlot, segment == null ? null : segment.value());
    f.putDerived(stageSlot, stage == null ? null : stage.value());
    VariantChoice[] choices = new VariantChoice[placements.length];
    for (int i = 0; i < placements.length; i++) {
      choices[i] = placements[i].choose(f, scores, this, allocation, segment(primary));
    }
    return new Evaluation(this, scores, primary, segment, stage, choices);
  }

  private @Nullable String segment(int primary) {
    return primary < 0 ? null : personaIds[primary];
  }

  /** Returns every placement's default choice; do not modify. */
  public VariantChoice[] defaults() {
    return defaults;
  }

  boolean matched(double[] scores, int persona) {
    return scores[persona] + EPSILON >= thresholds[persona];
  }

  private static CompiledAssignment assign(CompiledAssignment[] assignments, SignalFrame f) {
    for (CompiledAssignment a : assignments) {
      if (a.when().test(f)) {
        return a;
      }
    }
    return null;
  }
}
