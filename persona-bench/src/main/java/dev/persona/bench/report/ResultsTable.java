package dev.persona.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON results ({@code -rf json}) into the Markdown table of {@code
 * persona-bench/results.md}: benchmark, parameters, threads, ns/op ± error and bytes allocated per
 * op ({@code -prof gc}), headed with the machine, the JDK and the date, followed by the ratios the
 * targets are stated in. Optionally copies the table into a Markdown page (docs/performance.md)
 * between {@code <!-- bench:start -->} and {@code <!-- bench:end -->}.
 *
 * <pre>
 * java -cp persona-bench/target/benchmarks.jar dev.persona.bench.report.ResultsTable \
 *     persona-bench/results.md [--copy-into docs/performance.md] results.json [more.json ...]
 * </pre>
 */
public final class ResultsTable {
  static final String START = "<!-- bench:start -->";
  static final String END = "<!-- bench:end -->";

  /** One JMH result row. */
  record Row(
      String benchmark,
      Map<String, String> params,
      int threads,
      double nanos,
      double error,
      double bytes,
      String jdk) {

    String simpleName() {
      String[] parts = benchmark.split("\\.", -1);
      return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }
  }

  private ResultsTable() {}

  /**
   * Writes the table.
   *
   * @param args the output file, optionally {@code --copy-into FILE}, then JMH JSON result files
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: ResultsTable OUT.md [--copy-into docs/performance.md] RESULTS.json...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Path page = null;
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--copy-into")) {
        page = Path.of(args[++i]);
      } else if (Files.exists(Path.of(args[i]))) {
        rows.addAll(read(Path.of(args[i])));
      }
    }
    String markdown = markdown(rows, cpuModel(), Runtime.getRuntime().availableProcessors());
    Files.writeString(out, markdown, StandardCharsets.UTF_8);
    if (page != null) {
      String text = Files.readString(page, StandardCharsets.UTF_8);
      int from = text.indexOf(START);
      int to = text.indexOf(END);
      if (from >= 0 && to > from) {
        text = text.substring(0, from + START.length()) + "\n" + markdown + text.substring(to);
        Files.writeString(page, text, StandardCharsets.UTF_8);
      }
    }
    System.out.print(markdown);
  }

  /** Reads the rows of one JMH JSON result file. */
  @SuppressWarnings("unchecked")
  static List<Row> read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      p.nextToken();
      for (Object o : (List<Object>) value(p)) {
        Map<String, Object> r = (Map<String, Object>) o;
        Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
        double toNanos = nanos((String) primary.get("scoreUnit"));
        Map<String, Object> secondary =
            (Map<String, Object>) r.getOrDefault("secondaryMetrics", Map.of());
        Map<String, Object> alloc =
            (Map<String, Object>) secondary.getOrDefault("gc.alloc.rate.norm", Map.of());
        Map<String, String> params = new TreeMap<>();
        ((Map<String, Object>) r.getOrDefault("params", Map.of()))
            .forEach((k, v) -> params.put(k, String.valueOf(v)));
        rows.add(
            new Row(
                (String) r.get("benchmark"),
                params,
                ((Number) r.get("threads")).intValue(),
                number(primary.get("score")) * toNanos,
                number(primary.get("scoreError")) * toNanos,
                alloc.isEmpty() ? Double.NaN : number(alloc.get("score")),
                r.get("vmName") + " " + r.get("jdkVersion") + " (" + r.get("vmVersion") + ")"));
      }
    }
    return rows;
  }

  static String markdown(List<Row> rows, String cpu, int cores) {
    StringBuilder sb = new StringBuilder();
    String jdk = rows.isEmpty() ? "?" : rows.get(0).jdk();
    sb.append("Machine: ")
        .append(cpu)
        .append(", ")
        .append(cores)
        .append(" cores. JDK: ")
        .append(jdk)
        .append(". Date: ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(".\n\n");
    sb.append("| benchmark | params | threads | ns/op | ± error | B/op |\n");
    sb.append("|---|---|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append("| ")
          .append(r.simpleName())
          .append(" | ")
          .append(
              r.params().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(", ")))
          .append(" | ")
          .append(r.threads())
          .append(" | ")
          .append(format(r.nanos()))
          .append(" | ")
          .append(Double.isNaN(r.error()) ? "" : format(r.error()))
          .append(" | ")
          .append(Double.isNaN(r.bytes()) ? "" : String.format(Locale.ROOT, "%,.0f", r.bytes()))
          .append(" |\n");
    }
    ratios(rows, sb);
    return sb.toString();
  }

  private static void ratios(List<Row> rows, StringBuilder sb) {
    Map<String, Double> peer = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.benchmark().contains("PeerComparisonBenchmark") && r.threads() == 1) {
        peer.put(r.method(), r.nanos());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String variant : new String[] {"", "FromMap"}) {
      Double persona = peer.get("persona" + variant);
      if (persona == null) {
        continue;
      }
      for (String other : new String[] {"cel", "easyRules", "jsonLogic", "drools"}) {
        Double t = peer.get(other + variant);
        if (t != null) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  "- `persona%s` is %.1f× faster than `%s%s`%s",
                  variant,
                  t / persona,
                  other,
                  variant,
                  variant.isEmpty() ? " (target: ≥ 10×)" : ""));
        }
      }
      Double floor = peer.get("handWritten" + variant);
      if (floor != null) {
        lines.add(
            String.format(
                Locale.ROOT,
                "- `persona%s` costs %.2f× `handWritten%s`%s",
                variant,
                persona / floor,
                variant,
                variant.isEmpty() ? " (target: ≤ 3×)" : ""));
      }
    }
    for (Row two : rows) {
      if (two.benchmark().contains("DecideBenchmark") && two.threads() == 2) {
        for (Row one : rows) {
          if (one.benchmark().equals(two.benchmark()) && one.threads() == 1) {
            lines.add(
                String.format(
                    Locale.ROOT,
                    "- `%s`: 2 threads give %.2f× the throughput of 1%s",
                    two.method(),
                    2 * one.nanos() / two.nanos(),
                    two.method().equals("decideWarmSession") ? " (target: ≥ 1.8×)" : ""));
          }
        }
      }
    }
    Map<String, Double> optimized = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.benchmark().contains("OptimizedDecideBenchmark") && r.threads() == 1) {
        optimized.put(r.method(), r.nanos());
      }
    }
    if (optimized.containsKey("optimized") && optimized.containsKey("personaMatched")) {
      lines.add(
          String.format(
              Locale.ROOT,
              "- an optimized placement costs %.2f× a persona-matched one per decision"
                  + " (target: ≤ 1.2×)",
              optimized.get("optimized") / optimized.get("personaMatched")));
    }
    TreeMap<Integer, Double> byRules = new TreeMap<>();
    for (Row r : rows) {
      String rules = r.params().get("rules");
      if (r.benchmark().contains("ScoringBenchmark") && rules != null && rules.matches("\\d+")) {
        byRules.put(Integer.parseInt(rules), r.nanos());
        lines.add(
            String.format(
                Locale.ROOT,
                "- `ScoringBenchmark` with %s rules: %.2f ns per rule",
                rules,
                r.nanos() / Integer.parseInt(rules)));
      }
    }
    Map.Entry<Integer, Double> fewer = null;
    for (Map.Entry<Integer, Double> more : byRules.entrySet()) {
      if (fewer != null) {
        lines.add(
            String.format(
                Locale.ROOT,
                "- `ScoringBenchmark` from %d to %d rules (%.0f×): cost grows %.2f×"
                    + " (target: linear or better, ≤ %.0f×)",
                fewer.getKey(),
                more.getKey(),
                (double) more.getKey() / fewer.getKey(),
                more.getValue() / fewer.getValue(),
                (double) more.getKey() / fewer.getKey()));
      }
      fewer = more;
    }
    if (!lines.isEmpty()) {
      sb.append("\nRatios:\n\n").append(String.join("\n", lines)).append('\n');
    }
  }

  private static String format(double nanos) {
    return nanos < 100
        ? String.format(Locale.ROOT, "%.1f", nanos)
        : String.format(Locale.ROOT, "%,.0f", nanos);
  }

  private static double nanos(String unit) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default -> throw new IllegalArgumentException("unsupported unit " + unit);
    };
  }

  private static double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    return Double.NaN; // JMH writes "NaN" for an error it could not compute
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** Reads the JSON value at the current token into maps, lists, strings, numbers, booleans. */
  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, value(p));
        }
        return m;
      case START_ARRAY:
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return null;
      default:
        return p.getText();
    }
  }
}
