package dev.persona.ruleset;

import dev.persona.SignalSpec;
import dev.persona.config.PredictionConfig;
import dev.persona.config.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything that turns signals into a decision: personas and the rules that score them, lifecycle
 * and journey-stage assignments, and placements with their variants. A team can build one in code,
 * as below, or load one from a JSON file with {@code persona-rules}; the engine compiles it when it
 * is built or reloaded.
 *
 * <pre>{@code
 * RuleSet rules = RuleSet.builder("2026-11-23")
 *     .persona(new Persona("value_hunter", "Value hunter", 0.5))
 *     .rule(Rule.builder("coupon-user")
 *         .when(Condition.gte("coupons_applied", 1))
 *         .add("value_hunter", 0.6)
 *         .build())
 *     .lifecycle(new Assignment("returning_visitor", 10, Condition.gte("previous_visits", 1)))
 *     .placement(Placement.of("home.hero",
 *         Variant.builder("flash-sale").targets("value_hunter").content("Flash sale").build(),
 *         Variant.builder("generic").asDefault().content("New season").build()))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe, provided the variants' content is.
 *
 * @since 0.1.0
 */
public final class RuleSet {
  /** The id the holdout hashes visitors with, as {@code Experiments.HOLDOUT_ID}; reserved. */
  private static final String HOLDOUT_ID = "persona-holdout";

  private final String version;
  private final List<Persona> personas;
  private final List<Rule> rules;
  private final List<Assignment> lifecycle;
  private final List<Assignment> stages;
  private final List<Placement> placements;
  private final List<SignalSpec> signals;
  private final @Nullable PredictionConfig prediction;
  private final @Nullable Vocabulary vocabulary;

  private RuleSet(Builder b) {
    this.version = b.version;
    this.personas = List.copyOf(b.personas.values());
    this.rules = List.copyOf(b.rules.values());
    this.lifecycle = List.copyOf(b.lifecycle);
    this.stages = List.copyOf(b.stages);
    this.placements = List.copyOf(b.placements.values());
    this.signals = List.copyOf(b.signals.values());
    this.prediction = b.prediction;
    this.vocabulary = b.vocabulary;
  }

  /**
   * Returns a builder for a rule set of the given version.
   *
   * @param version names this rule set in every decision, such as a date or a commit
   * @return a new builder
   */
  public static Builder builder(String version) {
    return new Builder(version);
  }

  /**
   * Returns a builder holding everything in this rule set, to change some of it.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(version);
    personas.forEach(b::persona);
    rules.forEach(b::rule);
    lifecycle.forEach(b::lifecycle);
    stages.forEach(b::stage);
    placements.forEach(b::placement);
    signals.forEach(b::signal);
    b.prediction = prediction;
    b.vocabulary(vocabulary);
    return b;
  }

  /**
   * Returns the version named in every decision.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * Returns the personas in declaration order.
   *
   * @return the personas
   */
  public List<Persona> personas() {
    return personas;
  }

  /**
   * Returns the scoring rules in declaration order.
   *
   * @return the rules
   */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * Returns the lifecycle-segment assignments in declaration order.
   *
   * @return the assignments
   */
  public List<Assignment> lifecycle() {
    return lifecycle;
  }

  /**
   * Returns the journey-stage assignments in declaration order.
   *
   * @return the assignments
   */
  public List<Assignment> stages() {
    return stages;
  }

  /**
   * Returns the placements in declaration order.
   *
   * @return the placements
   */
  public List<Placement> placements() {
    return placements;
  }

  /**
   * Returns the signals this rule set declares beyond the engine's built-in ones, such as a profile
   * fact only this store has.
   *
   * @return the declared signals
   */
  public List<SignalSpec> signals() {
    return signals;
  }

  /**
   * Returns the fitted models behind the predicted signals that travel with this rule set (a rule
   * file's {@code "models"}); they win over the engine builder's {@link
   * dev.persona.PersonaEngine.Builder#prediction}.
   *
   * @return the models, or null when the rule set has none
   * @since 0.5.0
   */
  public @Nullable PredictionConfig prediction() {
    return prediction;
  }

  /**
   * Returns the words that make an event a sale view, a gift view or a price sort for this rule
   * set, used instead of the engine's ({@code ContextConfig.vocabulary()}); null when it has none.
   *
   * @return the vocabulary, or null
   * @since 0.5.0
   */
  public @Nullable Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public String toString() {
    return "RuleSet{version="
        + version
        + ", personas="
        + personas.size()
        + ", rules="
        + rules.size()
        + ", placements="
        + placements.size()
        + "}";
  }

  /**
   * Builds a {@link RuleSet}. Adding an element whose id is already present replaces it, keeping
   * its position, so a builder from {@link RuleSet#toBuilder()} can override parts. Not
   * thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String version;
    private final Map<String, Persona> personas = new LinkedHashMap<>();
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final List<Assignment> lifecycle = new ArrayList<>();
    private final List<Assignment> stages = new ArrayList<>();
    private final Map<String, Placement> placements = new LinkedHashMap<>();
    private final Map<String, SignalSpec> signals = new LinkedHashMap<>();
    private @Nullable PredictionConfig prediction;
    private @Nullable Vocabulary vocabulary;

    private Builder(String version) {
      version(version);
    }

    /**
     * Sets the version, such as a new one for a changed copy from {@link RuleSet#toBuilder()}.
     *
     * @param version names the rule set in every decision
     * @return this builder
     * @throws IllegalArgumentException if blank, longer than 128 characters, or holding control or
     *     format characters (a newline or an escape code would forge log lines)
     */
    public Builder version(String version) {
      Objects.requireNonNull(version, "version");
      if (version.isBlank() || version.length() > 128) {
        throw new IllegalArgumentException("version must be 1-128 characters, not blank");
      }
      for (int i = 0; i < version.length(); i++) {
        int type = Character.getType(version.charAt(i));
        if (type == Character.CONTROL
            || type == Character.FORMAT
            || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR) {
          // the version is logged and shown: a newline or an escape code would forge log lines
          throw new IllegalArgumentException(
              "version must not hold control or format characters (such as a newline or an"
                  + " escape), found U+"
                  + String.format(java.util.Locale.ROOT, "%04X", (int) version.charAt(i))
                  + " at index "
                  + i);
        }
      }
      this.version = version;
      return this;
    }

    /**
     * Adds or replaces a persona.
     *
     * @param persona the persona
     * @return this builder
     */
    public Builder persona(Persona persona) {
      personas.put(persona.id(), persona);
      return this;
    }

    /**
     * Adds or replaces a scoring rule.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(Rule rule) {
      rules.put(rule.id(), rule);
      return this;
    }

    /**
     * Removes a scoring rule, if present.
     *
     * @param id the rule's id
     * @return this builder
     */
    public Builder removeRule(String id) {
      rules.remove(Objects.requireNonNull(id, "id"));
      return this;
    }

    /**
     * Removes every rule that adds to the given persona, to replace them.
     *
     * @param persona the persona id
     * @return this builder
     */
    public Builder removeRulesFor(String persona) {
      Objects.requireNonNull(persona, "persona");
      rules.values().removeIf(r -> r.adds().containsKey(persona));
      return this;
    }

    /**
     * Adds a lifecycle-segment assignment.
     *
     * @param assignment the assignment
     * @return this builder
     */
    public Builder lifecycle(Assignment assignment) {
      lifecycle.add(Objects.requireNonNull(assignment, "assignment"));
      return this;
    }

    /**
     * Adds a journey-stage assignment.
     *
     * @param assignment the assignment
     * @return this builder
     */
    public Builder stage(Assignment assignment) {
      stages.add(Objects.requireNonNull(assignment, "assignment"));
      return this;
    }

    /**
     * Adds or replaces a placement.
     *
     * @param placement the placement
     * @return this builder
     */
    public Builder placement(Placement placement) {
      placements.put(placement.id(), placement);
      return this;
    }

    /**
     * Declares a signal beyond the built-in ones, such as a profile fact only this store has, so
     * that rules may test it.
     *
     * @param signal the declaration
     * @return this builder
     */
    public Builder signal(SignalSpec signal) {
      signals.put(signal.key(), signal);
      return this;
    }

    /**
     * Sets the fitted models behind the predicted signals, which then win over the engine
     * builder's.
     *
     * @param prediction the models
     * @return this builder
     * @since 0.5.0
     */
    public Builder prediction(PredictionConfig prediction) {
      this.prediction = Objects.requireNonNull(prediction, "prediction");
      return this;
    }

    /**
     * Sets the words that make an event a sale view, a gift view or a price sort while this rule
     * set is in use, instead of the engine's (none by default: the engine's).
     *
     * @param vocabulary the vocabulary, or null for the engine's
     * @return this builder
     * @since 0.5.0
     */
    public Builder vocabulary(@Nullable Vocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /**
     * Builds the rule set, checking that every reference resolves.
     *
     * @return the rule set
     * @throws RuleSetException listing every problem: a rule or variant naming an unknown persona;
     *     a variant that would always win (no targets, and a condition that always holds, however
     *     written) for the visitors a placement personalizes (those of a personalized placement,
     *     and those outside every arm of an experiment whose arms add up to less than 100 percent);
     *     and an experiment that could not be measured: an arm whose percent is not in 0.01 steps,
     *     an arm showing the default when the arms add up to less than 100 percent (visitors
     *     outside the arms see the default too), or the holdout's id ({@code persona-holdout}) as
     *     experiment id
     */
    public RuleSet build() {
      List<RuleSetException.Problem> problems = new ArrayList<>();
      int i = 0;
      for (Rule r : rules.values()) {
        for (String p : r.adds().keySet()) {
          if (!personas.containsKey(p)) {
            problems.add(
                RuleSetException.Problem.at(
                    "$.rules[" + i + "].add",
                    "rule '" + r.id() + "' adds to unknown persona '" + p + "'" + known()));
          }
        }
        i++;
      }
      int pi = 0;
      for (Placement p : placements.values()) {
        int vi = 0;
        for (Variant v : p.variants()) {
          String path = "$.placements[" + pi + "].variants[" + vi + "]";
          for (String t : v.targets()) {
            if (!personas.containsKey(t)) {
              problems.add(
                  RuleSetException.Problem.at(
                      path + ".targets",
                      "variant '" + v.id() + "' targets unknown persona '" + t + "'" + known()));
            }
          }
          if (outsiders(p)
              && !isArm(p, v.id())
              && !v.isDefault()
              && v.targets().isEmpty()
              && Tautology.alwaysHolds(v.when())) {
            problems.add(
                RuleSetException.Problem.at(
                    path,
                    "variant '"
                        + v.id()
                        + (v.when().equals(Condition.always())
                            ? "' has neither targets nor a condition"
                            : "' has no targets and its condition always holds")
                        + ", so it would always win; "
                        + "give it targets or a condition, or make it the default"));
          }
          vi++;
        }
        if (p.experiment() != null) {
          experimentProblems(p, "$.placements[" + pi + "].experiment", problems);
        }
        pi++;
      }
      if (!problems.isEmpty()) {
        throw new RuleSetException(problems);
      }
      return new RuleSet(this);
    }

    /**
     * Adds the problems of an experiment that could not be measured: an arm outside the 0.01% steps
     * of buckets, the holdout's id, and an arm showing the default while the arms leave visitors
     * outside, who see the default too.
     */
    private static void experimentProblems(
        Placement p, String path, List<RuleSetException.Problem> problems) {
      Experiment x = p.experiment();
      if (x.id().equals(HOLDOUT_ID)) {
        problems.add(
            RuleSetException.Problem.at(
                path + ".id",
                "experiment id '"
                    + HOLDOUT_ID
                    + "' is the holdout's: its arms would split the holdout's visitors unevenly"));
      }
      String defaultId = p.defaultVariant().id();
      boolean outsiders = outsiders(p);
      for (int ai = 0; ai < x.arms().size(); ai++) {
        Experiment.Arm a = x.arms().get(ai);
        String at = path + ".arms[" + ai + "]";
        double buckets = a.percent() * 100;
        if (Math.abs(buckets - Math.rint(buckets)) > 1e-6) {
          problems.add(
              RuleSetException.Problem.at(
                  at,
                  "arm '"
                      + a.variant()
                      + "': percent "
                      + a.percent()
                      + " is not a whole number of 0.01 steps (one bucket each), so the arm would"
                      + " not get the share it states"));
        }
        if (outsiders && a.variant().equals(defaultId)) {
          problems.add(
              RuleSetException.Problem.at(
                  at,
                  "arm '"
                      + a.variant()
                      + "' shows the default variant while the arms add up to less than 100"
                      + " percent: visitors outside every arm see the default too; make another"
                      + " variant the default, or let the arms add up to 100"));
        }
      }
    }

    /** Returns whether the placement personalizes some visitors: not all are in an arm. */
    private static boolean outsiders(Placement p) {
      Experiment x = p.experiment();
      if (x == null) {
        return p.mode() == Placement.Mode.PERSONALIZED;
      }
      double total = 0;
      for (Experiment.Arm a : x.arms()) {
        total += a.percent();
      }
      return total < 100 - 1e-9;
    }

    private static boolean isArm(Placement p, String variant) {
      if (p.experiment() != null) {
        for (Experiment.Arm a : p.experiment().arms()) {
          if (a.variant().equals(variant)) {
            return true;
          }
        }
      }
      return false;
    }

    private String known() {
      return "; known personas: " + personas.keySet();
    }

    /**
     * Returns the ids of the personas added so far.
     *
     * @return persona ids in declaration order
     */
    public Set<String> personaIds() {
      return java.util.Collections.unmodifiableSet(personas.keySet());
    }
  }
}
