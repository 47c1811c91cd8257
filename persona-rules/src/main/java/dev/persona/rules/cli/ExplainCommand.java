package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonParser;
import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Reason;
import dev.persona.SignalKind;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.rules.JsonContent;
import dev.persona.rules.cli.Json.InputError;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code persona explain [--rules FILE] VISIT.json}: decides one visit and prints why, readably.
 * The file holds one visit object, as a line of a sessions file but possibly pretty-printed; it may
 * also hold several visits of a session one after another, which are decided in order, and the last
 * is explained.
 */
final class ExplainCommand {
  static final String USAGE =
      """
      usage: persona explain [--rules FILE|default] VISIT.json

      Decides one visit with the default rule set (or FILE) and prints the persona scores and
      thresholds, the primary persona, lifecycle, stage, consent, the signals by kind, the variant
      per placement with its content, and the reasons. VISIT.json holds a visit object as in a
      sessions file (it may be pretty-printed); if it holds several, one after another, all are
      decided in order as one session's history and the last is explained. Use - for stdin.
      """;

  private ExplainCommand() {}

  static int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err)
      throws UserError, IOException {
    Args args = Args.parse(argv, Set.of("--rules"));
    String file = args.single("VISIT.json");
    RuleSet rules = Rules.load(args.option("--rules", Rules.DEFAULT));
    VisitClock clock = VisitClock.system();
    PersonaEngine engine = Rules.engine(rules, clock);

    Visit last = null;
    Decision decision = null;
    int visits = 0;
    try (InputStream in = open(file, stdin);
        JsonParser p = Json.FACTORY.createParser(in)) {
      Visit v;
      while ((v = VisitJson.next(p)) != null) {
        clock.observe(v.timestamp());
        decision = engine.decide(v);
        last = v;
        visits++;
      }
    } catch (InputError e) {
      String where = e.line() > 0 ? e.line() + ":" + e.column() + ": " : " ";
      throw UserError.invalid(name(file) + ":" + where + e.getMessage());
    } catch (IOException e) {
      throw UserError.invalid(name(file) + ": cannot read: " + Rules.reason(e));
    }
    if (last == null) {
      throw UserError.invalid(name(file) + ": no visit in the file");
    }
    print(out, rules, last, decision, visits);
    return 0;
  }

  private static InputStream open(String file, InputStream stdin) throws UserError, IOException {
    if (file.equals(VisitLines.STDIN)) {
      return new NonClosing(stdin);
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (InvalidPathException e) {
      throw UserError.invalid(file + ": cannot read: not a valid path (" + e.getReason() + ")");
    }
  }

  private static String name(String file) {
    return file.equals(VisitLines.STDIN) ? "stdin" : file;
  }

  /** Prints the report of one decision. */
  static void print(PrintStream out, RuleSet rules, Visit visit, Decision d, int visits) {
    StringBuilder who = new StringBuilder("session ").append(visit.sessionId());
    if (visit.userId() != null) {
      who.append(", user ").append(visit.userId());
    }
    if (visit.timestamp() != null) {
      who.append(", at ").append(visit.timestamp());
    }
    if (visits > 1) {
      who.append(" (visit ").append(visits).append(" of the session)");
    }
    out.println("Visit            " + who);
    out.println("Rule set         " + d.ruleSetVersion());
    out.println("Consent          " + d.consent());
    if (!d.flags().isEmpty()) {
      out.println("Flags            " + d.flags());
    }
    out.println();

    Map<String, Persona> personas = new HashMap<>();
    rules.personas().forEach(p -> personas.put(p.id(), p));
    out.println("Persona scores   (* at or above the persona's threshold)");
    int w = Text.width(d.scores().keySet());
    for (Map.Entry<String, Double> e : Text.ranked(d.scores())) {
      Persona p = personas.get(e.getKey());
      boolean reached = p != null && e.getValue() >= p.threshold();
      String threshold = p == null ? "" : "  threshold " + Text.score(p.threshold());
      String primary = e.getKey().equals(d.persona()) ? "  <- primary" : "";
      out.println(
          "  "
              + (reached ? "* " : "  ")
              + Text.pad(e.getKey(), w)
              + "  "
              + Text.score(e.getValue())
              + threshold
              + primary);
    }
    out.println();
    String id = d.persona();
    String primary =
        id == null
            ? "none (no score reaches its threshold)"
            : personas.containsKey(id) ? id + " (" + personas.get(id).name() + ")" : id;
    out.println("Primary persona  " + primary);
    out.println("Lifecycle        " + Objects.requireNonNullElse(d.lifecycle(), "none"));
    out.println("Stage            " + Objects.requireNonNullElse(d.stage(), "none"));
    out.println();

    out.println("Signals");
    for (SignalKind kind : SignalKind.values()) {
      List<String> lines = Text.wrap(Text.signalItems(d.signals(kind)), 100 - 13);
      out.println("  " + Text.pad(kind.name().toLowerCase(Locale.ROOT), 11) + lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        out.println(" ".repeat(13) + line);
      }
    }
    out.println();

    out.println("Variants");
    int pw = Text.width(d.variants().keySet());
    String indent = " ".repeat(pw + 4);
    for (VariantChoice c : d.variants().values()) {
      out.println("  " + Text.pad(c.placement(), pw) + "  " + c.variant() + "  " + basis(c));
      if (c.content() != null) {
        String json = c.content() instanceof JsonContent j ? j.json() : c.content().toString();
        for (String line : json.split("\\R", -1)) {
          out.println(indent + line);
        }
      }
    }
    out.println();

    out.println("Reasons");
    for (Reason r : d.reasons()) {
      out.println("  - " + r.text());
    }
  }

  private static String basis(VariantChoice c) {
    return switch (c.basis()) {
      case PERSONA -> "(for persona " + c.persona() + ", fit " + Text.score(c.fit()) + ")";
      case CONDITION -> "(condition holds, fit " + Text.score(c.fit()) + ")";
      case DEFAULT -> "(default)";
      case HOLDOUT -> "(default: the visitor is in the personalization holdout)";
      case EXPERIMENT -> "(experiment arm)";
      case OPTIMIZED -> "(optimized for segment " + segment(c) + ")";
      case FORCED -> "(forced for QA)";
    };
  }

  private static String segment(VariantChoice c) {
    return c.segment().isEmpty() ? "without a persona" : c.segment();
  }

  /** Standard input that the parser may close without closing the process's stdin. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
