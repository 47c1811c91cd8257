package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.log.DecisionLog;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code persona replay [--rules FILE] SESSIONS.jsonl}: puts recorded visits through one engine in
 * order and writes one decision per visit as a JSON line (see {@link DecisionJson}), with a summary
 * on stderr.
 *
 * <p>It streams: one line is held at a time, and what is kept beyond the engine's own sessions is
 * counters whose number depends on the rule set (personas, placements, variants), not on the file.
 */
final class ReplayCommand {
  static final String USAGE =
      """
      usage: persona replay [--rules FILE|default] [--log FILE [--log-key KEYFILE]] SESSIONS.jsonl

      Puts every visit of SESSIONS.jsonl (one JSON visit per line, - for stdin) through one engine
      with the default rule set (or FILE), in order, so that the visits of a session add up, and
      writes one decision per visit as a JSON line on stdout. The engine's clock follows the
      visits' "at" times, so sessions expire and behaviour decays as in the original traffic.
      A bad line is reported on stderr as FILE:LINE: message and skipped. A summary goes to
      stderr: lines read, decided and skipped, visits per second, and the distribution of primary
      personas and of variants per placement. A line may record what happened to its decision in
      "outcomes": [{"type": "exposure"|"click"|"add_to_cart"|"purchase", "placement": ...,
      "value": ...}]; then the summary also gives exposures and conversions per variant
      (purchase and add_to_cart events after an exposure count too, within 30 minutes).
      --log FILE also writes the decisions and their outcomes to FILE (replaced) in the decision
      log's format (docs/decision-log.md), which persona evaluate reads; session and user ids are
      hashed with the key in KEYFILE (16 bytes or more), else with a key drawn for this run.
      Exit status: 0, or 1 when the rules or the file cannot be read.
      """;

  private ReplayCommand() {}

  static int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err)
      throws UserError, IOException {
    Args args = Args.parse(argv, Set.of("--rules", "--log", "--log-key"));
    String file = args.single("SESSIONS.jsonl");
    String rulesName = args.option("--rules", Rules.DEFAULT);
    RuleSet rules = Rules.load(rulesName);
    VisitClock clock = VisitClock.system();
    PersonaEngine engine = Rules.engine(rules, clock);
    Tally tally = new Tally(rules);
    DecisionLog log = LogFiles.create(args.option("--log"), args.option("--log-key"));

    long start = System.nanoTime();
    Progress progress = Progress.inTerminal(err);
    VisitLines.Counts counts;
    JsonGenerator g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8);
    try {
      counts =
          VisitLines.read(
              file,
              stdin,
              err,
              (line, visit, outcomes) -> {
                clock.observe(visit.timestamp());
                Decision d = engine.decide(visit);
                record(engine, visit, d, outcomes, file, line, err);
                if (log != null) {
                  LogFiles.write(log, visit, d, outcomes);
                }
                DecisionJson.write(g, visit.sessionId(), d);
                g.writeRaw('\n');
                tally.add(d);
                if ((line & 0x3FF) == 0) {
                  progress.show("  persona replay: " + Text.count(line) + " lines decided");
                }
                // A PrintStream swallows write errors; stop when stdout is gone (| head).
                if ((line & 0xFFF) == 0) {
                  g.flush();
                  if (out.checkError()) {
                    throw new VisitLines.OutputClosed();
                  }
                }
              });
    } finally {
      g.close();
      out.flush();
      if (log != null) {
        log.close();
      }
      progress.done();
    }
    long nanos = System.nanoTime() - start;

    err.println(
        "persona replay: "
            + (file.equals(VisitLines.STDIN) ? "stdin" : file)
            + " with rule set "
            + rules.version()
            + (rulesName.equals(Rules.DEFAULT) ? " (default)" : " (" + rulesName + ")"));
    err.println(
        "  lines "
            + Text.count(counts.read)
            + " read, "
            + Text.count(counts.visits)
            + " decided, "
            + Text.count(counts.bad + counts.blank)
            + " skipped ("
            + Text.count(counts.bad)
            + " bad, "
            + Text.count(counts.blank)
            + " blank)");
    if (counts.stopped) {
      err.println("  stopped early: standard output was closed");
    }
    double seconds = nanos / 1e9;
    err.println(
        "  time "
            + String.format(Locale.ROOT, "%.2f", seconds)
            + " s, "
            + Text.count(Math.round(counts.visits / Math.max(seconds, 1e-9)))
            + " visits/s");
    tally.print(err);
    OutcomeTable.print(engine, err);
    if (log != null) {
      LogFiles.report(log, args.option("--log"), err);
    }
    return 0;
  }

  private static void record(
      PersonaEngine engine,
      Visit visit,
      Decision d,
      List<ShownOutcome> outcomes,
      String file,
      long line,
      PrintStream err) {
    for (ShownOutcome o : outcomes) {
      VariantChoice c = d.variant(o.placement());
      if (c == null) {
        err.println(
            (file.equals(VisitLines.STDIN) ? "stdin" : file)
                + ":"
                + line
                + ": outcome for unknown placement "
                + o.placement()
                + "; ignored");
        continue;
      }
      engine.recordOutcome(
          Outcome.builder(o.kind(), visit.sessionId(), c.placement(), c.variant())
              .segment(c.segment())
              .basis(c.basis())
              .experiment(c.experiment())
              .value(o.value())
              .build());
    }
  }

  /** Counters of decisions: primary personas, variants per placement, flags. */
  static final class Tally {
    private static final String NONE = "(none)";

    private final Map<String, long[]> personas = new LinkedHashMap<>();
    private final Map<String, Map<String, long[]>> variants = new LinkedHashMap<>();
    private final Map<Decision.Flag, long[]> flags = new EnumMap<>(Decision.Flag.class);
    private long decisions;

    Tally(RuleSet rules) {
      for (Persona p : rules.personas()) {
        personas.put(p.id(), new long[1]);
      }
      personas.put(NONE, new long[1]);
    }

    void add(Decision d) {
      decisions++;
      personas
          .computeIfAbsent(Objects.requireNonNullElse(d.persona(), NONE), k -> new long[1])[0]++;
      for (VariantChoice c : d.variants().values()) {
        variants.computeIfAbsent(c.placement(), k -> new LinkedHashMap<>())
            .computeIfAbsent(c.variant(), k -> new long[1])[0]++;
      }
      for (Decision.Flag f : d.flags()) {
        flags.computeIfAbsent(f, k -> new long[1])[0]++;
      }
    }

    void print(PrintStream err) {
      int w = Text.width(personas.keySet());
      for (Map<String, long[]> counts : variants.values()) {
        w = Math.max(w, Text.width(counts.keySet()) + 2);
      }
      err.println("  primary persona");
      for (Map.Entry<String, long[]> e : Text.byCount(personas)) {
        err.println(row("", e.getKey(), w, e.getValue()[0]));
      }
      if (!variants.isEmpty()) {
        err.println("  variants");
      }
      for (Map.Entry<String, Map<String, long[]>> p : variants.entrySet()) {
        err.println("    " + p.getKey());
        for (Map.Entry<String, long[]> e : Text.byCount(p.getValue())) {
          err.println(row("  ", e.getKey(), w - 2, e.getValue()[0]));
        }
      }
      if (!flags.isEmpty()) {
        err.println("  flags");
        for (Map.Entry<Decision.Flag, long[]> e : flags.entrySet()) {
          err.println(row("", e.getKey().name(), w, e.getValue()[0]));
        }
      }
    }

    private String row(String indent, String name, int width, long n) {
      return "    "
          + indent
          + Text.pad(name, width)
          + "  "
          + Text.left(Text.count(n), 12)
          + "  "
          + Text.left(Text.percent(n, decisions), 6);
    }
  }
}
