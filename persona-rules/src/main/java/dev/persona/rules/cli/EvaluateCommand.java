package dev.persona.rules.cli;

import dev.persona.VariantChoice;
import dev.persona.log.Redecider;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code persona evaluate --rules CANDIDATE LOG...}: what a candidate rule set would have earned on
 * the logged decisions, per placement and per persona, by off-policy estimates ({@link OffPolicy}).
 *
 * <p>It streams: the files are merged by time and read once; a decision waits for its outcomes for
 * the window (default 60 minutes of log time) and is then added to sums, so memory holds the
 * decisions of one window, whatever the length of the logs.
 */
final class EvaluateCommand {
  static final String USAGE =
      """
      usage: persona evaluate --rules CANDIDATE [--baseline RULES] [--window MINUTES] LOG...

      Estimates what the rule set CANDIDATE (a file, or default) would have earned on the
      decisions of the decision logs LOG... (docs/decision-log.md; --logs LOG... also works):
      per placement and per persona (the candidate's), the rate of clicks, adds to cart and
      purchases and the order value, per exposure (per decision for a placement whose exposures
      were not logged), with inverse propensity scoring (IPS), self-normalized IPS and doubly
      robust (DR) estimates as Open Bandit Pipeline defines them, each with a 95% interval
      (normal approximation), the effective sample size and the share of logged decisions the
      candidate would change. It decides each logged decision again on its logged signals, and
      says when the logs cannot support an estimate: choices the logging rules could not have
      made, decisions without signals or without a probability.
      --baseline RULES: the rules that made the logs, to weigh holdout decisions exactly (else
      their personalized choice is taken to be the candidate's). --window: how long after a
      decision its outcomes are joined to it (default 60). Progress is shown on a terminal.
      Exit status: 0, 1 when the rules or a log cannot be read, 2 for a usage error.
      """;

  private static final String NONE = "(none)";
  private static final double MIN_ESS = 30;

  private EvaluateCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws UserError {
    Args args = Args.parse(argv, Set.of("--rules", "--logs", "--baseline", "--window"));
    String rulesName = args.option("--rules");
    if (rulesName == null) {
      throw UserError.usage("missing --rules CANDIDATE");
    }
    List<String> files = new ArrayList<>();
    if (args.option("--logs") != null) {
      files.add(args.option("--logs"));
    }
    files.addAll(args.positional());
    if (files.isEmpty()) {
      throw UserError.usage("missing LOG");
    }
    long windowMillis = minutes(args.option("--window", "60")) * 60_000L;
    Run run = run(rulesName, args.option("--baseline"), windowMillis);
    long start = System.nanoTime();
    Progress progress = Progress.inTerminal(err);
    try (LogRecords in = new LogRecords(files, err)) {
      for (Object r = in.next(); r != null; r = in.next()) {
        if (r instanceof LogRecords.LoggedDecision d) {
          run.decision(d);
        } else {
          run.outcome((LogRecords.LoggedOutcome) r);
        }
        if ((in.lines & 0x3FF) == 0) {
          progress.show(
              "  persona evaluate: "
                  + Text.count(in.lines)
                  + " lines, "
                  + Text.count(in.bytes >> 20)
                  + " MB read");
        }
      }
      run.finish();
      progress.done();
      run.bad = in.bad;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    run.print(out, rulesName, files.size(), seconds);
    return 0;
  }

  /**
   * Returns an evaluation of the candidate {@code rulesName} to feed records to.
   *
   * @throws UserError if the rules cannot be read
   */
  static Run run(String rulesName, @Nullable String baselineName, long windowMillis)
      throws UserError {
    RuleSet rules = Rules.load(rulesName);
    Candidate candidate = new Candidate(rules, redecider(rules));
    Redecider baseline = baselineName == null ? null : redecider(Rules.load(baselineName));
    return new Run(candidate, baseline, windowMillis);
  }

  static long minutes(String text) throws UserError {
    try {
      long m = Long.parseLong(text);
      if (m > 0 && m <= 60L * 24 * 365) {
        return m;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw UserError.usage("--window must be a whole number of minutes, 1 or more");
  }

  private static Redecider redecider(RuleSet rules) throws UserError {
    try {
      return Redecider.of(rules);
    } catch (RuleSetException e) {
      throw UserError.invalid(Rules.problems(e));
    }
  }

  /** One placement's cells, per persona of the candidate: all units, and the exposed ones. */
  private static final class PlacementCells {
    final Candidate.Policy policy;
    final Map<String, OffPolicy.Cell[]> cells = new LinkedHashMap<>();
    long exposed;
    long units;
    long outcomes;

    PlacementCells(Candidate.Policy policy) {
      this.policy = policy;
    }

    OffPolicy.Cell[] cells(String persona) {
      return cells.computeIfAbsent(
          persona,
          k ->
              new OffPolicy.Cell[] {
                new OffPolicy.Cell(policy.size()), new OffPolicy.Cell(policy.size())
              });
    }
  }

  /** A logged choice waiting for its outcomes. */
  private static final class Unit {
    final PlacementCells placement;
    final OffPolicy.Cell[] cells;
    final int logged;
    final double propensity;
    final double[] pi;
    final double knownZero;
    final double[] rewards = new double[OffPolicy.METRICS.length];
    boolean exposed;

    Unit(
        PlacementCells placement,
        OffPolicy.Cell[] cells,
        int logged,
        double propensity,
        double[] pi,
        double knownZero) {
      this.placement = placement;
      this.cells = cells;
      this.logged = logged;
      this.propensity = propensity;
      this.pi = pi;
      this.knownZero = knownZero;
    }

    void add(LogRecords.LoggedOutcome o) {
      switch (o.kind()) {
        case EXPOSURE -> exposed = true;
        case CLICK -> rewards[0] = 1;
        case ADD_TO_CART -> rewards[1] = 1;
        case PURCHASE -> {
          rewards[2] = 1;
          rewards[3] += o.value();
        }
      }
    }
  }

  /** A decision waiting for its outcomes. */
  private record Pending(List<Unit> units) {}

  /** One group's estimates: a placement, all personas or one, per exposure or per decision. */
  record Row(String placement, String group, boolean perExposure, OffPolicy.Summary summary) {}

  /** One evaluation: what is waiting, the sums, and the counts of what could not be used. */
  static final class Run {
    final Candidate candidate;
    final @Nullable Redecider baseline;
    final long window;
    final Map<String, PlacementCells> placements = new LinkedHashMap<>();
    final OutcomeWindow<Pending> waiting;
    long decisions;
    long evaluated;
    long withoutSignals;
    long noPropensity;
    long notCounted;
    long notEstimable;
    long unknownPlacement;
    long holdout;
    long holdoutAssumed;
    long outcomes;
    long joined;
    long bad;

    Run(Candidate candidate, @Nullable Redecider baseline, long window) {
      this.candidate = candidate;
      this.baseline = baseline;
      this.window = window;
      this.waiting = new OutcomeWindow<>(window, this::apply, Run::close);
      candidate.placements.forEach((id, p) -> placements.put(id, new PlacementCells(p)));
    }

    void decision(LogRecords.LoggedDecision d) {
      decisions++;
      advance(d.at());
      Map<String, Object> signals = d.signals();
      if (signals == null) {
        withoutSignals++;
        return;
      }
      evaluated++;
      Redecider.Result r = candidate.redecider.decide(signals);
      String persona = r.persona() == null ? NONE : r.persona();
      double h = holdoutShare(d);
      Redecider.Result logging = null;
      boolean exact = false;
      if (d.holdout()) {
        holdout++;
        if (baseline != null && baseline.version().equals(d.rules())) {
          logging = baseline.decide(signals);
          exact = true;
        } else {
          holdoutAssumed++;
          logging = r;
        }
      }
      List<Unit> units = new ArrayList<>(d.choices().size());
      for (LogRecords.Choice c : d.choices()) {
        PlacementCells pc = placements.get(c.placement());
        if (pc == null) {
          unknownPlacement++;
          continue;
        }
        if (!c.counted() || c.basis().equals("forced")) {
          notCounted++;
          continue;
        }
        if (!pc.policy.estimable()) {
          notEstimable++;
          continue;
        }
        if (!(c.p() > 0 && c.p() <= 1)) {
          noPropensity++;
          continue;
        }
        Candidate.Policy policy = pc.policy;
        VariantChoice chosen = r.choice(policy.id);
        double[] pi = policy.distribution(chosen, d.at());
        int a = policy.index(c.variant());
        int def = policy.defaultIndex;
        double propensity;
        double knownZero = 0;
        if (c.basis().equals("holdout")) {
          VariantChoice own = logging == null ? null : logging.choice(policy.id);
          boolean ownIsDefault = own == null || policy.index(own.variant()) == def;
          propensity = h + (1 - h) * (ownIsDefault ? 1 : 0);
          if (exact && own != null && policy.mode == Placement.Mode.PERSONALIZED) {
            knownZero = outside(pi, def, policy.index(own.variant()));
          }
        } else {
          propensity = Math.min(1, c.p() + (a == def ? h : 0));
          boolean fixed =
              (c.basis().equals("persona")
                      || c.basis().equals("condition")
                      || c.basis().equals("default"))
                  && Math.abs(c.p() + h - 1) < 1e-9;
          if (fixed) {
            knownZero = outside(pi, a, h > 0 ? def : a);
          }
        }
        units.add(new Unit(pc, pc.cells(persona), a, propensity, pi, knownZero));
      }
      waiting.decision(d.id(), d.at(), new Pending(units));
    }

    /** Returns the candidate's probability outside the variants {@code a} and {@code b}. */
    private static double outside(double[] pi, int a, int b) {
      double in = pi[a] + (b == a ? 0 : pi[b]);
      return Math.max(0, 1 - in);
    }

    /**
     * Returns the holdout's share in the engine that logged a decision: a holdout decision's
     * probability, else one minus the highest probability of a personalized choice (which is {@code
     * 1 - h} in a placement without an experiment).
     */
    private static double holdoutShare(LogRecords.LoggedDecision d) {
      double best = 0;
      for (LogRecords.Choice c : d.choices()) {
        if (d.holdout() && c.basis().equals("holdout") && c.p() > 0) {
          return c.p();
        }
        if ((c.basis().equals("persona")
                || c.basis().equals("condition")
                || c.basis().equals("default"))
            && c.p() > best) {
          best = c.p();
        }
      }
      return best > 0 ? Math.max(0, 1 - best) : 0;
    }

    void outcome(LogRecords.LoggedOutcome o) {
      advance(o.at());
      if (waiting.outcome(o)) {
        outcomes++;
      }
    }

    private void apply(Pending p, LogRecords.LoggedOutcome o) {
      joined++;
      for (Unit u : p.units()) {
        if (u.placement.policy.id.equals(o.placement())) {
          u.add(o);
          u.placement.outcomes++;
        }
      }
    }

    private void advance(long at) {
      waiting.advance(at);
    }

    void finish() {
      waiting.finish();
    }

    private static void close(Pending p) {
      for (Unit u : p.units()) {
        u.cells[0].add(u.logged, u.propensity, u.pi, u.knownZero, u.rewards);
        u.placement.units++;
        if (u.exposed) {
          u.cells[1].add(u.logged, u.propensity, u.pi, u.knownZero, u.rewards);
          u.placement.exposed++;
        }
      }
    }

    void print(PrintStream out, String rulesName, int files, double seconds) {
      RuleSet rules = candidate.rules;
      out.println(
          "persona evaluate: candidate "
              + rules.version()
              + " ("
              + rulesName
              + ") on "
              + files
              + (files == 1 ? " log" : " logs")
              + ", "
              + String.format(Locale.ROOT, "%.1f", seconds)
              + " s");
      List<String> notes = new ArrayList<>();
      notes.add(Text.count(decisions) + " decisions, " + Text.count(evaluated) + " evaluated");
      if (withoutSignals > 0) {
        notes.add(
            Text.count(withoutSignals)
                + " NOT evaluated: logged without signals (limited consent, or signals off)");
      }
      if (noPropensity > 0) {
        notes.add(
            Text.count(noPropensity)
                + " choices NOT evaluated: their logged probability is missing or zero");
      }
      if (notCounted > 0) {
        notes.add(Text.count(notCounted) + " choices of bots or QA overrides left out");
      }
      if (notEstimable > 0) {
        notes.add(
            Text.count(notEstimable)
                + " choices of placements the candidate optimizes: NOT estimated");
      }
      if (unknownPlacement > 0) {
        notes.add(Text.count(unknownPlacement) + " choices of placements the candidate lacks");
      }
      if (holdoutAssumed > 0) {
        notes.add(
            Text.count(holdoutAssumed)
                + " of "
                + Text.count(holdout)
                + " holdout decisions weighed taking the logging rules' choice to be the"
                + " candidate's (exact with --baseline and the logs' rule set)");
      }
      notes.add(
          Text.count(outcomes)
              + " outcomes, "
              + Text.count(joined)
              + " joined to an evaluated decision"
              + (waiting.unmatched() > 0
                  ? ", "
                      + Text.count(waiting.unmatched())
                      + " not (no such decision within the window)"
                  : "")
              + (waiting.repeated() > 0
                  ? "; " + Text.count(waiting.repeated()) + " logged twice, counted once"
                  : ""));
      if (bad > 0) {
        notes.add(Text.count(bad) + " bad lines skipped");
      }
      for (String n : notes) {
        printWrapped(out, "  ", n);
      }
      printWrapped(
          out,
          "  ",
          "rates and value per exposure (per decision where no exposure was logged); ± is the"
              + " half-width of a 95% interval, normal approximation (SNIPS: delta method); DR's"
              + " reward model: the mean per placement, persona and variant");
      for (PlacementCells pc : placements.values()) {
        out.println();
        print(out, pc);
      }
    }

    /** Returns the estimates of each estimable placement: all personas first, then each one. */
    List<Row> rows() {
      List<Row> rows = new ArrayList<>();
      for (PlacementCells pc : placements.values()) {
        if (!pc.policy.estimable() || pc.units == 0) {
          continue;
        }
        boolean perExposure = pc.exposed > 0;
        if (!perExposure && pc.outcomes == 0) {
          continue;
        }
        int which = perExposure ? 1 : 0;
        OffPolicy.Summary all = new OffPolicy.Summary();
        List<Row> groups = new ArrayList<>();
        for (Map.Entry<String, OffPolicy.Cell[]> e : pc.cells.entrySet()) {
          all.add(e.getValue()[which]);
          OffPolicy.Summary s = new OffPolicy.Summary();
          s.add(e.getValue()[which]);
          if (s.n > 0) {
            groups.add(new Row(pc.policy.id, e.getKey(), perExposure, s));
          }
        }
        groups.sort(
            Comparator.comparingLong((Row r) -> r.summary().n)
                .reversed()
                .thenComparing(Row::group));
        rows.add(new Row(pc.policy.id, "all personas", perExposure, all));
        rows.addAll(groups);
      }
      return rows;
    }

    private void print(PrintStream out, PlacementCells pc) {
      if (!pc.policy.estimable()) {
        printWrapped(
            out,
            "",
            pc.policy.id
                + ": optimized in the candidate, whose choices follow outcome statistics the logs"
                + " do not hold: NOT estimated");
        return;
      }
      boolean perExposure = pc.exposed > 0;
      int which = perExposure ? 1 : 0;
      String unit = perExposure ? "exposures" : "decisions";
      out.println(pc.policy.id + " (per " + (perExposure ? "exposure" : "decision") + ")");
      if (pc.units == 0) {
        out.println("  no logged decisions to evaluate");
        return;
      }
      if (!perExposure && pc.outcomes == 0) {
        out.println("  no outcomes of it were logged: nothing to estimate");
        return;
      }
      OffPolicy.Summary all = new OffPolicy.Summary();
      List<Map.Entry<String, OffPolicy.Summary>> groups = new ArrayList<>();
      Map<String, OffPolicy.Cell> cellOf = new LinkedHashMap<>();
      for (Map.Entry<String, OffPolicy.Cell[]> e : pc.cells.entrySet()) {
        OffPolicy.Cell c = e.getValue()[which];
        all.add(c);
        OffPolicy.Summary s = new OffPolicy.Summary();
        s.add(c);
        if (s.n > 0) {
          groups.add(Map.entry(e.getKey(), s));
          cellOf.put(e.getKey(), c);
        }
      }
      groups.sort(
          Comparator.comparingLong((Map.Entry<String, OffPolicy.Summary> e) -> e.getValue().n)
              .reversed()
              .thenComparing(Map.Entry::getKey));
      group(out, "all personas", all, unit, null, pc.policy);
      for (Map.Entry<String, OffPolicy.Summary> g : groups) {
        group(out, g.getKey(), g.getValue(), unit, cellOf.get(g.getKey()), pc.policy);
      }
    }

    private static void group(
        PrintStream out,
        String name,
        OffPolicy.Summary s,
        String unit,
        OffPolicy.@Nullable Cell cell,
        Candidate.Policy policy) {
      printWrapped(
          out,
          "  ",
          name
              + ": "
              + Text.count(s.n)
              + " "
              + unit
              + ", the candidate changes "
              + Text.human(100 * s.changedShare())
              + "%, effective sample size "
              + Text.count(Math.round(s.effectiveSampleSize())));
      out.println(
          "    "
              + Text.pad("", 12)
              + Text.left("logged", 10)
              + Text.left("IPS", 20)
              + Text.left("SNIPS", 20)
              + Text.left("DR", 20));
      for (int k = 0; k < OffPolicy.METRICS.length; k++) {
        out.println(
            "    "
                + Text.pad(OffPolicy.METRICS[k], 12)
                + Text.left(Text.human(s.logged(k).value()), 10)
                + Text.left(estimate(s.ips(k)), 20)
                + Text.left(estimate(s.snips(k)), 20)
                + Text.left(estimate(s.dr(k)), 20));
      }
      if (s.unsupportedShare() > 0) {
        printWrapped(
            out,
            "    ",
            "NOT SUPPORTED for "
                + Text.human(100 * s.unsupportedShare())
                + "% of the candidate's choices: variants the logging rules could not have chosen"
                + " in those contexts (their choice there was fixed); the estimates count them as"
                + " earning nothing");
      }
      if (cell != null) {
        List<String> never = new ArrayList<>();
        for (int a = 0; a < policy.variants.size(); a++) {
          if (cell.target[a] > 0 && cell.count[a] == 0) {
            never.add(policy.variants.get(a) + " (" + Text.count(Math.round(cell.target[a])) + ")");
          }
        }
        if (!never.isEmpty()) {
          printWrapped(
              out,
              "    ",
              "never logged here, so NOT estimable: the candidate's " + String.join(", ", never));
        }
      }
      if (s.effectiveSampleSize() < MIN_ESS) {
        printWrapped(
            out,
            "    ",
            "too few effective samples (fewer than "
                + (int) MIN_ESS
                + ") for the intervals to mean much");
      }
    }

    private static String estimate(OffPolicy.Estimate e) {
      return Double.isNaN(e.value()) ? "-" : Text.human(e.value()) + " ±" + Text.human(e.half());
    }

    private static void printWrapped(PrintStream out, String indent, String text) {
      List<String> words = new ArrayList<>();
      for (int from = 0, to; from <= text.length(); from = to + 1) {
        to = text.indexOf(' ', from);
        if (to < 0) {
          to = text.length();
        }
        words.add(text.substring(from, to));
      }
      StringBuilder line = new StringBuilder(indent);
      for (String w : words) {
        if (line.length() > indent.length() && line.length() + 1 + w.length() > 100) {
          out.println(line);
          line.setLength(0);
          line.append(indent).append("  ");
        } else if (line.length() > indent.length()) {
          line.append(' ');
        }
        line.append(w);
      }
      out.println(line);
    }
  }
}
