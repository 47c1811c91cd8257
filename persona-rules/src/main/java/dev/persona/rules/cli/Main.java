package dev.persona.rules.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code persona} command-line tool.
 *
 * <pre>
 * persona validate FILE...
 * persona explain [--rules FILE] VISIT.json
 * persona replay [--rules FILE] SESSIONS.jsonl
 * persona diff --rules A.json --against B.json SESSIONS.jsonl
 * persona evaluate --rules CANDIDATE.json LOG...
 * persona report --out REPORT.html [--rules CANDIDATE.json] LOG...
 * persona demo
 * persona fit-clv [--period day|week] [--calibration-end DATE] ORDERS
 * </pre>
 *
 * <p>Exit status: 0 ok, 1 invalid input or rules, 2 usage error, 3 unexpected failure. User errors
 * are reported in a line or a few, never with a stack trace.
 */
public final class Main {
  static final String USAGE =
      """
      usage: persona COMMAND [ARGS]

      Commands:
        validate FILE...                       check rule files; print every problem
        explain [--rules FILE] VISIT.json      decide one visit and say why
        replay [--rules FILE] SESSIONS.jsonl   decide recorded visits; one JSON line each
        diff --rules A --against B SESSIONS.jsonl
                                               compare two rule sets on recorded visits
        evaluate --rules CANDIDATE LOG...      estimate a rule set's rates on decision logs
        report --out REPORT.html LOG...        draw decision logs as one HTML page of charts
        demo                                   run the bundled example sessions
        fit-clv [--period day|week] [--calibration-end DATE] ORDERS
                                               fit the models of the predicted signals

      FILE may be the word default for the built-in default rule set.
      persona COMMAND --help describes a command. Exit status: 0 ok, 1 invalid input or rules,
      2 usage error, 3 unexpected failure.
      """;

  private Main() {}

  /**
   * Runs the tool and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    quietLogging();
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status;
    try {
      status = run(args, System.in, out, err);
    } finally {
      out.flush();
      err.flush();
    }
    System.exit(status);
  }

  /**
   * Runs the tool with standard input.
   *
   * @param args the command line
   * @param out standard output
   * @param err standard error
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  /**
   * Runs the tool.
   *
   * @param args the command line
   * @param in standard input, for {@code -} as a file name
   * @param out standard output
   * @param err standard error
   * @return the exit status: 0 ok, 1 invalid input or rules, 2 usage error, 3 unexpected failure
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return UserError.USAGE;
    }
    String command = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    String usage = usage(command);
    if (usage == null) {
      if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
        out.print(rest.isEmpty() || usage(rest.get(0)) == null ? USAGE : usage(rest.get(0)));
        return 0;
      }
      err.println("persona: unknown command '" + command + "'");
      err.println();
      err.print(USAGE);
      return UserError.USAGE;
    }
    if (Args.wantsHelp(rest)) {
      out.print(usage);
      return 0;
    }
    try {
      return switch (command) {
        case "validate" -> ValidateCommand.run(rest, out, err);
        case "explain" -> ExplainCommand.run(rest, in, out, err);
        case "replay" -> ReplayCommand.run(rest, in, out, err);
        case "diff" -> DiffCommand.run(rest, in, out, err);
        case "evaluate" -> EvaluateCommand.run(rest, out, err);
        case "fit-clv" -> FitClvCommand.run(rest, in, out);
        case "report" -> ReportCommand.run(rest, out, err);
        default -> DemoCommand.run(rest, out, err);
      };
    } catch (UserError e) {
      if (e.exitCode() == UserError.USAGE) {
        err.println("persona " + command + ": " + e.getMessage());
        err.println();
        err.print(usage);
      } else {
        e.lines().forEach(err::println);
      }
      return e.exitCode();
    } catch (IOException | RuntimeException | Error e) {
      err.println("persona " + command + ": unexpected failure: " + oneLine(e));
      return 3;
    } finally {
      out.flush();
    }
  }

  private static String usage(String command) {
    return switch (command) {
      case "validate" -> ValidateCommand.USAGE;
      case "explain" -> ExplainCommand.USAGE;
      case "replay" -> ReplayCommand.USAGE;
      case "diff" -> DiffCommand.USAGE;
      case "evaluate" -> EvaluateCommand.USAGE;
      case "report" -> ReportCommand.USAGE;
      case "demo" -> DemoCommand.USAGE;
      case "fit-clv" -> FitClvCommand.USAGE;
      default -> null;
    };
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String text = e.getClass().getName() + (m == null ? "" : ": " + m);
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /**
   * The tool ships without an slf4j binding; select slf4j's no-operation provider explicitly so
   * that slf4j does not warn about the missing binding on every run. A provider the user chose with
   * {@code -Dslf4j.provider} is kept.
   */
  private static void quietLogging() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
  }
}
