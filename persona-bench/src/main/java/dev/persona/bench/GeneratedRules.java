package dev.persona.bench;

import dev.persona.PersonaEngine;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rule files of any size, generated deterministically: the default rule set's seven personas and
 * {@code n} rules over the built-in signals, in a realistic mix (single thresholds on behaviour
 * counts, text and flag tests on context and declarations, presence tests, ranges, campaign
 * substrings; a third of the rules are conjunctions or disjunctions of two or three of those; about
 * one in eleven scales by a count with {@code per}; one weight in ten is negative). Thresholds and
 * text values are drawn from what the {@linkplain Corpus#standard() corpus} holds, so rules fire
 * about as often as real ones would.
 */
public final class GeneratedRules {
  private static final String[] PERSONAS = {
    "value_hunter",
    "researcher",
    "brand_loyalist",
    "social_butterfly",
    "replenisher",
    "mobile_shopper",
    "gift_giver"
  };
  private static final String[] CAMPAIGN_WORDS = {"sale", "gift", "deal", "refer", "launch"};

  private final Map<String, SignalType> types = new TreeMap<>();
  private final Map<String, List<Object>> seen = new TreeMap<>();
  private final List<String> numbers = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();
  private final List<String> flags = new ArrayList<>();
  private final List<String> present = new ArrayList<>();

  private GeneratedRules(Corpus corpus) {
    for (SignalSpec s : PersonaEngine.builtInSignals()) {
      types.put(s.key(), s.type());
    }
    Map<String, Set<Object>> values = new TreeMap<>();
    for (Map<String, Object> facts : corpus.facts()) {
      facts.forEach(
          (k, v) -> {
            if (types.containsKey(k)) {
              values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v);
            }
          });
    }
    values.forEach((k, v) -> seen.put(k, List.copyOf(v)));
    for (String k : seen.keySet()) {
      present.add(k);
      switch (types.get(k)) {
        case NUMBER -> numbers.add(k);
        case TEXT -> texts.add(k);
        case FLAG -> flags.add(k);
        default -> {
          // SET signals are tested for presence only
        }
      }
    }
  }

  /**
   * Returns a rule file of {@code rules} generated rules as JSON text.
   *
   * @param rules the number of rules
   * @param seed the seed
   * @return the JSON text of the rule file
   */
  public static String json(int rules, long seed) {
    return new GeneratedRules(Corpus.standard()).generate(rules, new Random(seed));
  }

  /**
   * Returns a rule set of {@code rules} generated rules, read by {@link RuleSetReader}.
   *
   * @param rules the number of rules
   * @param seed the seed
   * @return the rule set
   */
  public static RuleSet ruleSet(int rules, long seed) {
    return RuleSetReader.create().read(json(rules, seed), "generated-" + rules + ".json");
  }

  private String generate(int n, Random r) {
    StringBuilder sb = new StringBuilder(256 * n + 1024);
    sb.append("{\n  \"version\": \"generated-").append(n).append("\",\n  \"personas\": [\n");
    for (int i = 0; i < PERSONAS.length; i++) {
      sb.append("    {\"id\": \"")
          .append(PERSONAS[i])
          .append("\", \"name\": \"")
          .append(PERSONAS[i].replace('_', ' '))
          .append("\", \"threshold\": 0.5}")
          .append(i + 1 < PERSONAS.length ? ",\n" : "\n");
    }
    sb.append("  ],\n  \"rules\": [\n");
    for (int i = 0; i < n; i++) {
      sb.append("    ");
      rule(sb, i, r);
      sb.append(i + 1 < n ? ",\n" : "\n");
    }
    return sb.append("  ]\n}\n").toString();
  }

  private void rule(StringBuilder sb, int i, Random r) {
    sb.append(String.format(Locale.ROOT, "{\"id\": \"g-%04d\", \"when\": ", i));
    int shape = r.nextInt(20);
    String per = null;
    if (shape < 13) {
      String[] scaledBy = new String[1];
      sb.append(leaf(r, scaledBy));
      if (scaledBy[0] != null && r.nextInt(3) == 0) {
        per = scaledBy[0];
      }
    } else {
      int parts = 2 + r.nextInt(2);
      List<String> leaves = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        leaves.add(leaf(r, new String[1]));
      }
      sb.append("{\"").append(shape < 18 ? "all" : "any").append("\": [");
      sb.append(String.join(", ", leaves)).append("]}");
    }
    sb.append(", \"add\": {");
    int personas = r.nextInt(5) == 0 ? 2 : 1;
    int first = r.nextInt(PERSONAS.length);
    for (int p = 0; p < personas; p++) {
      double weight = (r.nextInt(10) == 0 ? -1 : 1) * (1 + r.nextInt(10)) * 0.05;
      sb.append(p == 0 ? "" : ", ")
          .append('"')
          .append(PERSONAS[(first + p * 3) % PERSONAS.length])
          .append("\": ")
          .append(String.format(Locale.ROOT, "%.2f", weight));
    }
    sb.append('}');
    if (per != null) {
      sb.append(", \"per\": {\"signal\": \"")
          .append(per)
          .append("\", \"cap\": ")
          .append(2 + r.nextInt(4))
          .append('}');
    }
    sb.append('}');
  }

  /** Returns one test; puts the key of a count worth scaling by into {@code scaledBy[0]}. */
  private String leaf(Random r, String[] scaledBy) {
    int kind = r.nextInt(20);
    if (kind < 8) {
      String key = pick(numbers, r);
      String[] ops = {"gte", "gte", "gte", "gt", "lt", "lte"};
      scaledBy[0] = key;
      return test(key, ops[r.nextInt(ops.length)], number(key, r));
    }
    if (kind < 11) {
      String key = pick(texts, r);
      List<Object> values = seen.get(key);
      if (values.size() > 2 && r.nextBoolean()) {
        Set<String> in = new LinkedHashSet<>();
        for (int i = 0; i < 3; i++) {
          in.add(quoted(values.get(r.nextInt(values.size()))));
        }
        return "{\"signal\": \"" + key + "\", \"in\": [" + String.join(", ", in) + "]}";
      }
      return test(
          key, r.nextInt(6) == 0 ? "ne" : "eq", quoted(values.get(r.nextInt(values.size()))));
    }
    if (kind < 13) {
      return test(pick(flags, r), "eq", r.nextInt(4) == 0 ? "false" : "true");
    }
    if (kind < 16) {
      return test(pick(present, r), "exists", r.nextInt(3) == 0 ? "false" : "true");
    }
    if (kind < 18) {
      String key = pick(numbers, r);
      double a = Double.parseDouble(number(key, r));
      double b = Double.parseDouble(number(key, r));
      return test(
          key, "between", "[" + format(Math.min(a, b)) + ", " + format(Math.max(a, b)) + "]");
    }
    String word = CAMPAIGN_WORDS[r.nextInt(CAMPAIGN_WORDS.length)];
    return "{\"signal\": \"campaign\", \"contains\": \"" + word + "\", \"ignore_case\": true}";
  }

  private String number(String key, Random r) {
    List<Object> values = seen.get(key);
    double v = (Double) values.get(r.nextInt(values.size()));
    return format(Math.round(v * 10) / 10.0);
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String test(String key, String op, String value) {
    return "{\"signal\": \"" + key + "\", \"" + op + "\": " + value + "}";
  }

  private static String quoted(Object v) {
    return "\"" + ((String) v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String pick(List<String> keys, Random r) {
    return keys.get(r.nextInt(keys.size()));
  }
}
