package dev.persona.bench.peer;

import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.StatelessKieSession;

/**
 * The rule set in Drools: each rule translated mechanically into a DRL rule over one {@link
 * ShopperFacts} fact (absent numbers are NaN, tested with {@code Double.isNaN} before any
 * comparison, as Drools orders NaN above every number; absent texts and flags are null), whose
 * consequence adds the weights to a {@link DroolsScores} global; built into an executable model
 * (the DRL compiled to Java at build time, {@link ExecutableModelProject}) and run by a stateless
 * session, one {@code execute} per session. Not thread-safe: the global writes into the array of
 * the {@link #score} call in progress.
 */
public final class DroolsPeer implements PersonaScorer<ShopperFacts> {
  private static final AtomicInteger BUILDS = new AtomicInteger();

  private final DroolsScores scores = new DroolsScores();
  private final StatelessKieSession session;

  /**
   * Translates a rule set to DRL and builds its executable model; takes seconds.
   *
   * @param ruleSet the rules
   * @param signals the signals the rules may test
   */
  public DroolsPeer(RuleSet ruleSet, Collection<SignalSpec> signals) {
    String drl = drl(ruleSet, new Translation(signals), types(signals));
    KieServices ks = KieServices.Factory.get();
    ReleaseId id =
        ks.newReleaseId("dev.persona.bench", "drools-peer", "1.0." + BUILDS.incrementAndGet());
    KieFileSystem files = ks.newKieFileSystem();
    files.generateAndWritePomXML(id);
    files.write("src/main/resources/dev/persona/bench/peer/personas.drl", drl);
    KieBuilder builder = ks.newKieBuilder(files).buildAll(ExecutableModelProject.class);
    List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "Drools rejected the translated rules: " + errors + "\n" + drl);
    }
    session = ks.newKieContainer(id).getKieBase().newStatelessKieSession();
    session.setGlobal("scores", scores);
  }

  private static Map<String, SignalType> types(Collection<SignalSpec> signals) {
    Map<String, SignalType> out = new HashMap<>();
    signals.forEach(s -> out.put(s.key(), s.type()));
    return out;
  }

  /** Returns the DRL source of a rule set's scoring rules. */
  static String drl(RuleSet ruleSet, Translation t, Map<String, SignalType> types) {
    Map<String, Integer> persona = new HashMap<>();
    for (Persona p : ruleSet.personas()) {
      persona.put(p.id(), persona.size());
    }
    StringBuilder sb = new StringBuilder();
    sb.append("package dev.persona.bench.peer;\n\n")
        .append("import dev.persona.bench.peer.ShopperFacts;\n")
        .append("global dev.persona.bench.peer.DroolsScores scores;\n");
    for (Rule r : ruleSet.rules()) {
      String when = constraint(r.when(), t, types);
      sb.append("\nrule ")
          .append(Translation.quote(r.id()))
          .append("\nwhen\n  $f : ShopperFacts(")
          .append(when.equals("true") ? "" : when)
          .append(")\nthen\n");
      for (Map.Entry<String, Double> add : r.adds().entrySet()) {
        int p = persona.get(add.getKey());
        String w = Translation.literal(add.getValue());
        if (r.scaleKey() == null) {
          sb.append("  scores.add(").append(p).append(", ").append(w).append(");\n");
        } else {
          sb.append("  scores.addScaled(")
              .append(p)
              .append(", ")
              .append(w)
              .append(", $f.get")
              .append(Character.toUpperCase(property(r.scaleKey()).charAt(0)))
              .append(property(r.scaleKey()).substring(1))
              .append("(), ")
              .append(Translation.literal(r.scaleCap()))
              .append(");\n");
        }
      }
      sb.append("end\n");
    }
    return sb.toString();
  }

  static String constraint(Condition c, Translation t, Map<String, SignalType> types) {
    if (c instanceof Condition.All all) {
      return join(all.conditions(), " && ", "true", t, types);
    }
    if (c instanceof Condition.Any any) {
      return join(any.conditions(), " || ", "false", t, types);
    }
    if (c instanceof Condition.Not not) {
      return "!(" + constraint(not.condition(), t, types) + ")";
    }
    if (c instanceof Condition.Exists e) {
      return present(e.key(), types);
    }
    if (c instanceof Condition.CompareSignals cmp) {
      t.scalar(cmp.key());
      t.scalar(cmp.other());
      return "("
          + present(cmp.key(), types)
          + " && "
          + present(cmp.other(), types)
          + " && "
          + property(cmp.key())
          + " "
          + Translation.operator(cmp.operator())
          + " "
          + property(cmp.other())
          + " * "
          + Translation.literal(cmp.factor())
          + ")";
    }
    if (c instanceof Condition.SetSize size) {
      t.set(size.key());
      String p = property(size.key());
      return "("
          + p
          + " != null && "
          + p
          + ".size() "
          + Translation.operator(size.operator())
          + " "
          + size.size()
          + ")";
    }
    if (c instanceof Condition.Compare cmp) {
      String p = property(cmp.key());
      String test =
          p + " " + Translation.operator(cmp.operator()) + " " + Translation.literal(cmp.value());
      // == on a null text or flag is false; a number is guarded, as Drools compares NaN as the
      // greatest double (Double.compareTo), not as unordered.
      return cmp.operator() == Condition.Operator.EQ && t.scalar(cmp.key()) != SignalType.NUMBER
          ? test
          : "(" + present(cmp.key(), types) + " && " + test + ")";
    }
    if (c instanceof Condition.In in) {
      t.scalar(in.key());
      return property(in.key())
          + " in "
          + in.values().stream()
              .map(Translation::literal)
              .collect(Collectors.joining(", ", "(", ")"));
    }
    if (c instanceof Condition.Between b) {
      String p = property(b.key());
      return "("
          + present(b.key(), types)
          + " && "
          + p
          + " >= "
          + Translation.literal(b.low())
          + " && "
          + p
          + " <= "
          + Translation.literal(b.high())
          + ")";
    }
    Condition.Text x = (Condition.Text) c;
    String p = property(x.key());
    String value = x.ignoreCase() ? p + ".toLowerCase()" : p;
    String part = x.ignoreCase() ? x.text().toLowerCase(Locale.ROOT) : x.text();
    String method = x.operator() == Condition.TextOperator.PREFIX ? "startsWith" : "contains";
    return "(" + p + " != null && " + value + "." + method + "(" + Translation.quote(part) + "))";
  }

  private static String join(
      List<Condition> parts,
      String op,
      String empty,
      Translation t,
      Map<String, SignalType> types) {
    if (parts.isEmpty()) {
      return empty;
    }
    return parts.stream()
        .map(p -> constraint(p, t, types))
        .collect(Collectors.joining(op, "(", ")"));
  }

  private static String present(String key, Map<String, SignalType> types) {
    return types.get(key) == SignalType.NUMBER
        ? "!Double.isNaN(" + property(key) + ")"
        : property(key) + " != null";
  }

  /** Returns the {@link ShopperFacts} property of a signal key: {@code sale_views → saleViews}. */
  static String property(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    boolean upper = false;
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return sb.toString();
  }

  @Override
  public ShopperFacts prepare(Map<String, Object> facts) {
    return ShopperFacts.from(facts);
  }

  @Override
  public void score(ShopperFacts facts, double[] out) {
    Arrays.fill(out, 0);
    scores.target = out;
    session.execute(facts);
    scores.target = null;
    RuleWeights.clamp(out);
  }
}
