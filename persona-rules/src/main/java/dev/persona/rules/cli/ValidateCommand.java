package dev.persona.rules.cli;

import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code persona validate FILE...}: loads every rule file and prints each problem as {@code
 * FILE:LINE:COL: message (at $.path)}; exit 0 when all load, 1 otherwise.
 */
final class ValidateCommand {
  static final String USAGE =
      """
      usage: persona validate FILE...

      Checks rule files (docs/rules.md) the way the engine loads them; the word default checks
      the built-in default rule set. Prints one line per file
      that loads, and every problem of a file that does not as FILE:LINE:COL: message (at $.path).
      Exit status: 0 when every file loads, 1 otherwise.
      """;

  private ValidateCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws UserError {
    Args args = Args.parse(argv, Set.of());
    if (args.positional().isEmpty()) {
      throw UserError.usage("missing FILE");
    }
    RuleSetReader reader = RuleSetReader.create();
    int failed = 0;
    for (String file : args.positional()) {
      try {
        RuleSet rules =
            file.equals(Rules.DEFAULT)
                ? RuleSetReader.defaultRuleSet()
                : reader.read(Path.of(file));
        out.println(
            file
                + ": ok (version "
                + rules.version()
                + "; "
                + plural(rules.personas().size(), "persona")
                + ", "
                + plural(rules.rules().size(), "rule")
                + ", "
                + plural(rules.placements().size(), "placement")
                + ")");
      } catch (RuleSetException e) {
        failed++;
        Rules.problems(e).forEach(out::println);
      } catch (UncheckedIOException e) {
        failed++;
        out.println(file + ": cannot read: " + Rules.reason(e));
      } catch (InvalidPathException e) {
        failed++;
        out.println(file + ": cannot read: not a valid path (" + e.getReason() + ")");
      }
    }
    if (failed > 0) {
      err.println(
          "persona validate: "
              + failed
              + " of "
              + plural(args.positional().size(), "file")
              + " did not load");
      return UserError.INVALID;
    }
    return 0;
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
