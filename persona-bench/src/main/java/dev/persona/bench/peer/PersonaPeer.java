package dev.persona.bench.peer;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.ruleset.RuleSet;
import java.util.Collection;
import java.util.Map;

/**
 * Persona's own scoring: the rule set compiled by {@link CompiledRuleSet}, a session's signals laid
 * out in a {@link SignalFrame}, {@link CompiledRuleSet#score} into the caller's array.
 */
public final class PersonaPeer implements PersonaScorer<SignalFrame> {
  private final CompiledRuleSet compiled;

  /**
   * Compiles a rule set.
   *
   * @param ruleSet the rules
   * @param signals the signals the engine knows
   */
  public PersonaPeer(RuleSet ruleSet, Collection<SignalSpec> signals) {
    this.compiled = CompiledRuleSet.compile(ruleSet, signals);
  }

  /** Returns the compiled rule set. */
  public CompiledRuleSet compiled() {
    return compiled;
  }

  @Override
  public SignalFrame prepare(Map<String, Object> facts) {
    SignalFrame frame = compiled.newFrame();
    Map<String, SignalSpec> specs = compiled.signals();
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      SignalSpec spec = specs.get(e.getKey());
      SignalKind kind = spec == null ? SignalKind.CONTEXTUAL : spec.kind();
      compiled.add(frame, new Signal(e.getKey(), kind, e.getValue(), "facts", 1));
    }
    return frame;
  }

  @Override
  public void score(SignalFrame frame, double[] scores) {
    compiled.score(frame, scores);
  }
}
