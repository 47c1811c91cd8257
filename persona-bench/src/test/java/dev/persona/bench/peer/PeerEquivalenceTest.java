package dev.persona.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.SignalSpec;
import dev.persona.bench.Corpus;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The peer comparison is only honest if every engine computes the same thing: each peer scores
 * every session of the corpus exactly as Persona does, persona by persona, and the corpus exercises
 * every rule and every persona of the default rule set.
 */
final class PeerEquivalenceTest {
  private static final double TOLERANCE = 1e-9;
  private static final RuleSet DEFAULTS = RuleSetReader.defaultRuleSet();
  private static final List<SignalSpec> SIGNALS = PersonaEngine.builtInSignals();
  private static final List<Map<String, Object>> CORPUS = Corpus.standard().facts();
  private static final List<double[]> EXPECTED = scores(new PersonaPeer(DEFAULTS, SIGNALS));

  @ParameterizedTest
  @EnumSource(Peer.class)
  void peer_scoresEverySessionOfTheCorpusAsPersonaDoes(Peer peer) {
    assertThat(mismatches(scores(peer.create(DEFAULTS, SIGNALS)))).isEmpty();
  }

  @Test
  void persona_scoresTheFactsAsTheEngineDecidedTheSessions() {
    List<Map<String, Double>> decided = Corpus.standard().decidedScores();
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < CORPUS.size(); i++) {
      for (int p = 0; p < DEFAULTS.personas().size(); p++) {
        String id = DEFAULTS.personas().get(p).id();
        if (!(Math.abs(decided.get(i).get(id) - EXPECTED.get(i)[p]) <= TOLERANCE)) {
          differ.add("session " + i + ", " + id);
        }
      }
    }
    assertThat(differ).isEmpty();
  }

  @Test
  void comparison_detectsAChangedWeight() {
    Rule coupon =
        DEFAULTS.rules().stream().filter(r -> r.id().equals("vh-coupon-use")).findFirst().get();
    Map<String, Double> adds = new LinkedHashMap<>(coupon.adds());
    adds.put("value_hunter", adds.get("value_hunter") + 0.01);
    RuleSet changed =
        DEFAULTS.toBuilder()
            .rule(
                new Rule(
                    coupon.id(),
                    coupon.description(),
                    coupon.when(),
                    adds,
                    coupon.scaleKey(),
                    coupon.scaleCap()))
            .build();

    assertThat(mismatches(scores(new CelPeer(changed, SIGNALS))))
        .isNotEmpty()
        .allMatch(m -> m.contains("value_hunter"));
  }

  @Test
  void corpus_firesEveryRuleOfTheDefaultRuleSet() {
    List<String> silent = new ArrayList<>();
    for (Rule rule : DEFAULTS.rules()) {
      // The rule alone, every weight made positive: a session scores above 0 exactly when it fires.
      Map<String, Double> positive = new LinkedHashMap<>();
      rule.adds().forEach((p, w) -> positive.put(p, Math.abs(w)));
      RuleSet.Builder alone = RuleSet.builder("alone");
      DEFAULTS.personas().forEach(alone::persona);
      alone.rule(new Rule(rule.id(), "", rule.when(), positive, rule.scaleKey(), rule.scaleCap()));
      boolean fired =
          scores(new PersonaPeer(alone.build(), SIGNALS)).stream()
              .anyMatch(s -> java.util.Arrays.stream(s).anyMatch(x -> x > 0));
      if (!fired) {
        silent.add(rule.id());
      }
    }
    assertThat(silent).as("rules that fire for no session of the corpus").isEmpty();
  }

  @Test
  void corpus_matchesEveryPersona() {
    List<String> unmatched = new ArrayList<>();
    List<Persona> personas = DEFAULTS.personas();
    for (int p = 0; p < personas.size(); p++) {
      int index = p;
      if (EXPECTED.stream().noneMatch(s -> s[index] >= personas.get(index).threshold())) {
        unmatched.add(personas.get(p).id());
      }
    }
    assertThat(unmatched).as("personas no session of the corpus is matched to").isEmpty();
  }

  private static <I> List<double[]> scores(PersonaScorer<I> scorer) {
    List<double[]> out = new ArrayList<>();
    for (Map<String, Object> facts : CORPUS) {
      double[] s = new double[DEFAULTS.personas().size()];
      scorer.score(scorer.prepare(facts), s);
      out.add(s);
    }
    return out;
  }

  private static List<String> mismatches(List<double[]> actual) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < CORPUS.size(); i++) {
      for (int p = 0; p < DEFAULTS.personas().size(); p++) {
        double want = EXPECTED.get(i)[p];
        double got = actual.get(i)[p];
        if (!(Math.abs(want - got) <= TOLERANCE)) {
          out.add(
              "session "
                  + i
                  + ", "
                  + DEFAULTS.personas().get(p).id()
                  + ": Persona "
                  + want
                  + ", peer "
                  + got
                  + " "
                  + CORPUS.get(i));
        }
      }
    }
    return out;
  }
}
