package dev.persona.bench.peer;

import dev.persona.SignalSpec;
import dev.persona.ruleset.RuleSet;
import java.util.Collection;

/** The engines compared on the default rule set's persona scoring. */
public enum Peer {
  /** Persona's compiled rule set. */
  PERSONA {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new PersonaPeer(ruleSet, signals);
    }
  },
  /** Plain Java if-statements; implements the default rule set only, whatever it is given. */
  HAND_WRITTEN {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new HandWrittenPeer();
    }
  },
  /** Google CEL for Java. */
  CEL {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new CelPeer(ruleSet, signals);
    }
  },
  /** Easy Rules with MVEL conditions. */
  EASY_RULES {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new EasyRulesPeer(ruleSet, signals);
    }
  },
  /** json-logic-java. */
  JSON_LOGIC {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new JsonLogicPeer(ruleSet, signals);
    }
  },
  /** Drools, executable model, stateless session. */
  DROOLS {
    @Override
    public PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals) {
      return new DroolsPeer(ruleSet, signals);
    }
  };

  /**
   * Builds this engine's implementation of a rule set's persona scoring.
   *
   * @param ruleSet the rules (the default rule set in the benchmarks)
   * @param signals the signals the rules may test
   * @return the scorer
   */
  public abstract PersonaScorer<?> create(RuleSet ruleSet, Collection<SignalSpec> signals);
}
