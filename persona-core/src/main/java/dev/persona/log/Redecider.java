package dev.persona.log;

import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.VariantChoice;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.Evaluation;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides again, with a rule set of your choice, on the signals a {@linkplain DecisionLog decision
 * log} recorded: scores, primary persona, lifecycle, stage and each placement's personalized
 * choice, as the engine makes them for a visit with those signals, as if no experiment,
 * optimization or holdout ran (each placement personalizes). No session, store or statistics are
 * involved: the signals are the whole input. {@code persona evaluate} uses it to tell what a
 * candidate rule set would have chosen for logged decisions.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.5.0
 */
public final class Redecider {
  private final CompiledRuleSet rules;

  private Redecider(CompiledRuleSet rules) {
    this.rules = rules;
  }

  /**
   * Returns a redecider for a rule set that reads the engine's built-in signals and its own.
   *
   * @param ruleSet the rule set
   * @return the redecider
   * @throws RuleSetException if the rule set tests unknown signals or mismatched types
   */
  public static Redecider of(RuleSet ruleSet) {
    return of(ruleSet, PersonaEngine.builtInSignals());
  }

  /**
   * Returns a redecider for a rule set that reads {@code signals} (an engine's {@link
   * PersonaEngine#signals()}, with those of your extractors) and its own.
   *
   * @param ruleSet the rule set
   * @param signals the signals known besides the rule set's own
   * @return the redecider
   * @throws RuleSetException if the rule set tests unknown signals or mismatched types
   */
  public static Redecider of(RuleSet ruleSet, Collection<SignalSpec> signals) {
    return new Redecider(CompiledRuleSet.compile(ruleSet, signals));
  }

  /**
   * Returns the rule set's version.
   *
   * @return the version
   */
  public String version() {
    return rules.version();
  }

  /**
   * Decides on one set of signal values. A value must be a {@link String}, {@link Double}, {@link
   * Boolean} or a {@code Set<String>}; one of another type, or of another type than its signal's,
   * is left out, as the engine leaves it out of a request.
   *
   * @param signals signal values by key
   * @return what the rule set decides
   */
  public Result decide(Map<String, Object> signals) {
    SignalFrame frame = rules.newFrame();
    for (Map.Entry<String, Object> s : signals.entrySet()) {
      Object v = s.getValue();
      if (rules.slot(s.getKey()) >= 0
          && (v instanceof String
              || v instanceof Double
              || v instanceof Boolean
              || v instanceof Set<?>)) {
        rules.add(frame, new Signal(s.getKey(), SignalKind.CONTEXTUAL, v, "log", 1));
      }
    }
    Evaluation e = rules.evaluate(frame);
    Map<String, Double> scores = new LinkedHashMap<>();
    String[] ids = rules.personaIds();
    double[] values = e.scores();
    for (int i = 0; i < ids.length; i++) {
      scores.put(ids[i], values[i]);
    }
    return new Result(
        e.persona(),
        e.lifecycle(),
        e.stage(),
        Collections.unmodifiableMap(scores),
        List.copyOf(Arrays.asList(e.choices())));
  }

  /** Returns the rule set's version only. */
  @Override
  public String toString() {
    return "Redecider{" + rules.version() + "}";
  }

  /**
   * What a rule set decides on a set of signals. Immutable and thread-safe.
   *
   * @param persona the primary persona, or null when none is matched
   * @param lifecycle the lifecycle segment, or null
   * @param stage the journey stage, or null
   * @param scores every persona's score, in declaration order
   * @param choices every placement's personalized choice (basis {@code PERSONA}, {@code CONDITION}
   *     or {@code DEFAULT}), in declaration order
   * @since 0.5.0
   */
  public record Result(
      @Nullable String persona,
      @Nullable String lifecycle,
      @Nullable String stage,
      Map<String, Double> scores,
      List<VariantChoice> choices) {

    /**
     * Returns the personalized choice of one placement.
     *
     * @param placement the placement's id
     * @return its choice, or null for a placement the rule set does not have
     */
    public @Nullable VariantChoice choice(String placement) {
      for (VariantChoice c : choices) {
        if (c.placement().equals(placement)) {
          return c;
        }
      }
      return null;
    }
  }
}
