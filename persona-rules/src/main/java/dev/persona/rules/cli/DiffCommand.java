package dev.persona.rules.cli;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.ruleset.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code persona diff --rules A.json --against B.json SESSIONS.jsonl}: replays the sessions through
 * an engine with rule set A and one with rule set B side by side, and reports how many visits and
 * distinct sessions get another primary persona, lifecycle, stage or variant per placement, with
 * examples.
 *
 * <p>Like replay it streams the file; to count distinct sessions it keeps the ids of the sessions
 * whose decisions changed (not of all sessions), and up to {@value #EXAMPLES} examples per aspect.
 */
final class DiffCommand {
  static final String USAGE =
      """
      usage: persona diff --rules A.json --against B.json SESSIONS.jsonl

      Replays SESSIONS.jsonl (as persona replay, - for stdin) through rule set A and rule set B
      side by side and reports how many visits, and distinct sessions, get another primary
      persona, lifecycle, stage, or variant per placement under B, with up to 5 examples each
      (line, session, A -> B). Either rule set may be the word default for the built-in one.
      Exit status: 0, or 1 when the rules or the file cannot be read.
      """;

  static final int EXAMPLES = 5;
  private static final String NONE = "(none)";

  private DiffCommand() {}

  static int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err)
      throws UserError, IOException {
    Args args = Args.parse(argv, Set.of("--rules", "--against"));
    String file = args.single("SESSIONS.jsonl");
    String nameA = args.option("--rules");
    String nameB = args.option("--against");
    if (nameA == null || nameB == null) {
      throw UserError.usage(nameA == null ? "missing --rules A.json" : "missing --against B.json");
    }
    RuleSet rulesA = Rules.load(nameA);
    RuleSet rulesB = Rules.load(nameB);
    VisitClock clockA = VisitClock.system();
    VisitClock clockB = VisitClock.system();
    PersonaEngine a = Rules.engine(rulesA, clockA);
    PersonaEngine b = Rules.engine(rulesB, clockB);

    Map<String, Change> changes = new LinkedHashMap<>();
    changes.put("primary persona", new Change());
    changes.put("lifecycle", new Change());
    changes.put("stage", new Change());
    Change any = new Change();
    VisitLines.Counts counts =
        VisitLines.read(
            file,
            stdin,
            err,
            (line, visit, outcomes) -> {
              clockA.observe(visit.timestamp());
              clockB.observe(visit.timestamp());
              Decision da = a.decide(visit);
              Decision db = b.decide(visit);
              boolean changed = false;
              changed |=
                  compare(changes.get("primary persona"), line, visit, da.persona(), db.persona());
              changed |=
                  compare(changes.get("lifecycle"), line, visit, da.lifecycle(), db.lifecycle());
              changed |= compare(changes.get("stage"), line, visit, da.stage(), db.stage());
              for (String placement : placements(da, db)) {
                Change c = changes.computeIfAbsent("variant " + placement, k -> new Change());
                changed |= compare(c, line, visit, variant(da, placement), variant(db, placement));
              }
              if (changed) {
                any.count(line, visit, "", "");
              }
            });

    out.println("A  " + nameA + " (version " + rulesA.version() + ")");
    out.println("B  " + nameB + " (version " + rulesB.version() + ")");
    out.println(
        (file.equals(VisitLines.STDIN) ? "stdin" : file)
            + ": "
            + Text.count(counts.read)
            + " lines, "
            + Text.count(counts.visits)
            + " visits compared, "
            + plural(counts.bad, "bad line")
            + " skipped");
    out.println(
        "changed: "
            + Text.count(any.visits)
            + " of "
            + Text.count(counts.visits)
            + " visits ("
            + Text.percent(any.visits, counts.visits)
            + ") in "
            + plural(any.sessions.size(), "session"));
    int w = Text.width(changes.keySet());
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      Change c = e.getValue();
      String head = "  " + Text.pad(e.getKey(), w) + "  ";
      if (c.visits == 0) {
        out.println(head + "no change");
        continue;
      }
      out.println(head + plural(c.visits, "visit") + " in " + plural(c.sessions.size(), "session"));
      for (String example : c.examples) {
        out.println("    " + example);
      }
    }
    return 0;
  }

  /** Counts a change from {@code a} to {@code b}, either of which may be absent (null). */
  private static boolean compare(
      Change c, long line, Visit visit, @Nullable String a, @Nullable String b) {
    if (Objects.equals(a, b)) {
      return false;
    }
    c.count(line, visit, Objects.requireNonNullElse(a, NONE), Objects.requireNonNullElse(b, NONE));
    return true;
  }

  private static Set<String> placements(Decision a, Decision b) {
    if (a.variants().keySet().equals(b.variants().keySet())) {
      return a.variants().keySet();
    }
    Set<String> all = new LinkedHashSet<>(a.variants().keySet());
    all.addAll(b.variants().keySet());
    return all;
  }

  private static String variant(Decision d, String placement) {
    VariantChoice c = d.variants().get(placement);
    return c == null ? "(no such placement)" : c.variant();
  }

  private static String plural(long n, String what) {
    return Text.count(n) + " " + what + (n == 1 ? "" : "s");
  }

  /** One aspect's changes: visits, the distinct sessions, the first examples. */
  private static final class Change {
    long visits;
    final Set<String> sessions = new HashSet<>();
    final List<String> examples = new ArrayList<>();

    void count(long line, Visit visit, String a, String b) {
      visits++;
      sessions.add(visit.sessionId());
      if (examples.size() < EXAMPLES && !a.isEmpty()) {
        examples.add("line " + line + ", session " + visit.sessionId() + ": " + a + " -> " + b);
      }
    }
  }
}
