package dev.persona.bench.peer;

import java.util.Map;

/**
 * One engine's implementation of the default rule set's persona scoring: every persona rule with
 * its weights and {@code per} scaling, each score clamped to [0, 1].
 *
 * @param <I> the engine's natural input: what a team using that engine would hand it
 */
public interface PersonaScorer<I> {

  /**
   * Converts a session's facts (signal key to String, Double, Boolean or Set of String) into the
   * engine's input. The benchmarks do this outside the timed region for {@code persona}, {@code
   * cel}, … and inside it for {@code personaFromMap}, {@code celFromMap}, ….
   *
   * @param facts the session's facts
   * @return the engine's input
   */
  I prepare(Map<String, Object> facts);

  /**
   * Scores one session.
   *
   * @param input a prepared input
   * @param scores receives the score of each persona, indexed like the rule set's personas
   */
  void score(I input, double[] scores);
}
