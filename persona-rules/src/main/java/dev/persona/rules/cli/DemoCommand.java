package dev.persona.rules.cli;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.ruleset.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code persona demo [--rules FILE]}: runs the bundled example sessions through the default rule
 * set (or FILE) and prints, per session, its last visit's signals, top persona scores, primary
 * persona, lifecycle, stage and variants, then a summary table.
 */
final class DemoCommand {
  static final String USAGE =
      """
      usage: persona demo [--rules FILE|default]

      Runs the bundled example sessions (a value hunter on a phone, a researcher, a brand
      loyalist, a social butterfly, a replenisher, a gift giver, a mobile shopper, a shopper
      with Global Privacy Control, a returning cart abandoner) through the default rule set, or
      FILE, and prints what the engine decided at each session's last visit.
      """;

  /** The bundled sessions, one visit per line; next to this class. */
  static final String RESOURCE = "example-sessions.jsonl";

  private static final int TOP = 3;
  private static final int WIDTH = 100;

  private DemoCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err)
      throws UserError, IOException {
    Args args = Args.parse(argv, Set.of("--rules"));
    if (!args.positional().isEmpty()) {
      throw UserError.usage("unexpected argument " + args.positional().get(0));
    }
    String rulesName = args.option("--rules", Rules.DEFAULT);
    RuleSet rules = Rules.load(rulesName);
    VisitClock clock = VisitClock.system();
    PersonaEngine engine = Rules.engine(rules, clock);

    // A handful of sessions: keeping each one's last decision is fine here (replay keeps none).
    Map<String, Last> sessions = new LinkedHashMap<>();
    InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("the example sessions are missing from the tool");
    }
    VisitLines.Counts counts;
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      counts =
          VisitLines.read(
              reader,
              RESOURCE,
              err,
              (line, visit, outcomes) -> {
                clock.observe(visit.timestamp());
                Decision d = engine.decide(visit);
                sessions.computeIfAbsent(visit.sessionId(), k -> new Last()).set(visit, d);
              });
    }

    out.println(
        "Persona demo: "
            + sessions.size()
            + " example sessions, "
            + counts.visits
            + " visits, through rule set "
            + rules.version()
            + (rulesName.equals(Rules.DEFAULT) ? " (the default)" : " (" + rulesName + ")"));
    out.println("Each session is shown as the engine saw it at its last visit.");
    for (Map.Entry<String, Last> e : sessions.entrySet()) {
      out.println();
      block(out, e.getKey(), e.getValue());
    }
    out.println();
    summary(out, sessions);
    return 0;
  }

  private static void block(PrintStream out, String session, Last last) {
    Decision d = last.decision;
    Instant t = last.visit.timestamp();
    String at = t == null ? "" : ", last at " + t;
    out.println(
        session + "  (" + last.visits + (last.visits == 1 ? " visit" : " visits") + at + ")");
    for (SignalKind kind : SignalKind.values()) {
      row(out, kind.name().toLowerCase(Locale.ROOT), Text.signalItems(d.signals(kind)));
    }
    List<String> top = new ArrayList<>();
    for (Map.Entry<String, Double> s : Text.ranked(d.scores())) {
      if (top.size() == TOP || s.getValue() <= 0) {
        break;
      }
      top.add(s.getKey() + " " + Text.score(s.getValue()));
    }
    row(out, "top scores", top.isEmpty() ? List.of("all 0") : top);
    row(out, "persona", List.of(Objects.requireNonNullElse(d.persona(), "none")));
    row(out, "lifecycle", List.of(Objects.requireNonNullElse(d.lifecycle(), "none")));
    row(out, "stage", List.of(Objects.requireNonNullElse(d.stage(), "none")));
    row(out, "consent", List.of(d.consent().name()));
    List<String> variants = new ArrayList<>();
    for (VariantChoice c : d.variants().values()) {
      variants.add(c.placement() + "=" + c.variant());
    }
    row(out, "variants", variants.isEmpty() ? List.of("-") : variants);
  }

  private static void row(PrintStream out, String name, List<String> items) {
    String indent = "  " + " ".repeat(12);
    List<String> lines = Text.wrap(items, WIDTH - indent.length());
    out.println("  " + Text.pad(name, 12) + lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      out.println(indent + line);
    }
  }

  private static void summary(PrintStream out, Map<String, Last> sessions) {
    Set<String> placements = new LinkedHashSet<>();
    sessions.values().forEach(l -> placements.addAll(l.decision.variants().keySet()));
    List<String> header = new ArrayList<>(List.of("session", "persona", "lifecycle", "stage"));
    header.addAll(placements);
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (Map.Entry<String, Last> e : sessions.entrySet()) {
      Decision d = e.getValue().decision;
      List<String> r = new ArrayList<>();
      r.add(e.getKey());
      r.add(Objects.requireNonNullElse(d.persona(), "-"));
      r.add(Objects.requireNonNullElse(d.lifecycle(), "-"));
      r.add(Objects.requireNonNullElse(d.stage(), "-"));
      for (String p : placements) {
        VariantChoice c = d.variants().get(p);
        r.add(c == null ? "-" : c.variant());
      }
      rows.add(r);
    }
    int[] widths = new int[header.size()];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    out.println("Summary");
    for (List<String> r : rows) {
      StringBuilder sb = new StringBuilder(" ");
      for (int i = 0; i < r.size(); i++) {
        sb.append(' ').append(i == r.size() - 1 ? r.get(i) : Text.pad(r.get(i), widths[i] + 1));
      }
      out.println(sb);
    }
  }

  /** A session's last visit and decision. */
  private static final class Last {
    Visit visit;
    Decision decision;
    int visits;

    void set(Visit v, Decision d) {
      visit = v;
      decision = d;
      visits++;
    }
  }
}
