package dev.persona.rules.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code persona report --out FILE LOG...}: one self-contained HTML page of charts drawn from
 * decision logs ({@link ReportData}, {@link ReportPage}), with a candidate's evaluation when {@code
 * --rules} names one. It streams the logs once, as {@code evaluate} does.
 */
final class ReportCommand {
  static final String USAGE =
      """
      usage: persona report --out REPORT.html [--rules CANDIDATE] [--baseline RULES]
                            [--window MINUTES] LOG...

      Writes one HTML file, with no script and nothing fetched from the network, that draws
      the decision logs LOG... (docs/decision-log.md; --logs LOG... also works): the persona
      mix over time, the lifecycle and journey-stage funnel, per placement and persona each
      variant's rate with its 95% credible interval, the holdout's lift, each experiment's
      arms with their sample-ratio check, an optimized placement's allocation over time and,
      with --rules, what the candidate would have earned (as persona evaluate estimates it,
      with --baseline and --window as there). --window: how long after a decision its
      outcomes are joined to it (default 60). Progress is shown on a terminal.
      Exit status: 0, 1 when the rules or a log cannot be read or the report cannot be
      written, 2 for a usage error.
      """;

  private ReportCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws UserError {
    Args args = Args.parse(argv, Set.of("--out", "--rules", "--logs", "--baseline", "--window"));
    String outName = args.option("--out");
    if (outName == null) {
      throw UserError.usage("missing --out REPORT.html");
    }
    List<String> files = new ArrayList<>();
    if (args.option("--logs") != null) {
      files.add(args.option("--logs"));
    }
    files.addAll(args.positional());
    if (files.isEmpty()) {
      throw UserError.usage("missing LOG");
    }
    long window = EvaluateCommand.minutes(args.option("--window", "60")) * 60_000L;
    String rulesName = args.option("--rules");
    if (rulesName == null && args.option("--baseline") != null) {
      throw UserError.usage("--baseline needs --rules");
    }
    EvaluateCommand.Run evaluation =
        rulesName == null
            ? null
            : EvaluateCommand.run(rulesName, args.option("--baseline"), window);
    Path outPath;
    try {
      outPath = Path.of(outName);
    } catch (InvalidPathException e) {
      throw UserError.invalid(outName + ": cannot write: not a valid path (" + e.getReason() + ")");
    }

    ReportData data = new ReportData(window);
    long start = System.nanoTime();
    Progress progress = Progress.inTerminal(err);
    long bad;
    try (LogRecords in = new LogRecords(files, err)) {
      for (Object r = in.next(); r != null; r = in.next()) {
        if (r instanceof LogRecords.LoggedDecision d) {
          data.decision(d);
          if (evaluation != null) {
            evaluation.decision(d);
          }
        } else {
          LogRecords.LoggedOutcome o = (LogRecords.LoggedOutcome) r;
          data.outcome(o);
          if (evaluation != null) {
            evaluation.outcome(o);
          }
        }
        if ((in.lines & 0x3FF) == 0) {
          progress.show(
              "  persona report: "
                  + Text.count(in.lines)
                  + " lines, "
                  + Text.count(in.bytes >> 20)
                  + " MB read");
        }
      }
      data.finish();
      progress.done();
      bad = in.bad;
    }
    String evaluationText = null;
    if (evaluation != null) {
      evaluation.finish();
      evaluation.bad = bad;
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      try (PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8)) {
        evaluation.print(p, rulesName, files.size(), (System.nanoTime() - start) / 1e9);
      }
      evaluationText = text.toString(StandardCharsets.UTF_8);
    }
    String page = ReportPage.render(data, files, evaluation, evaluationText, rulesName);
    try {
      Files.writeString(outPath, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw UserError.invalid(outName + ": cannot write: " + Rules.reason(e));
    }
    out.println(
        "persona report: wrote "
            + outName
            + " ("
            + Text.count(page.length() / 1024)
            + " KB) from "
            + Text.count(data.decisions)
            + " decisions and "
            + Text.count(data.outcomes)
            + " outcomes"
            + (data.repeated() > 0
                ? " (" + Text.count(data.repeated()) + " logged twice, counted once)"
                : "")
            + (bad > 0 ? ", " + Text.count(bad) + " bad lines skipped" : "")
            + ", "
            + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9)
            + " s");
    return 0;
  }
}
