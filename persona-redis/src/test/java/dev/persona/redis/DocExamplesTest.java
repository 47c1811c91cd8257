package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example the project shows is compiled, and run where it can be: the fenced java blocks
 * of README.md and docs/*.md, the code blocks ({@code <pre>}) of the public API's Javadoc
 * (persona-core, persona-rules, persona-redis and persona-openfeature, outside {@code internal} and
 * {@code cli} packages; docs/spring-boot.md's and the README's "Spring Boot in five minutes" are
 * the starter's SpringBootDocTest's), and its inline code that is an expression, such as {@code
 * Outcome.shown(sessionId, choice)}. It lives in persona-redis because only this module's tests see
 * all the modules (persona-openfeature as a test dependency). An example that uses the OpenFeature
 * SDK or the provider also imports their packages.
 *
 * <p>Each example becomes the body of a method of a class extending {@link #PRELUDE}, which holds
 * the names examples may use without declaring them ({@code rules}, {@code engine}, {@code visit},
 * {@code sessionId}, {@code request}, ...), and is compiled with the JDK's {@code javac} against
 * this test's class path: an example that calls a method that does not exist, or uses a name the
 * prelude does not give, fails here. Examples are then run, except those that need what a test
 * machine does not have: a literal {@code redis://} server or a rule file named by {@code Path.of}
 * (the README's and docs/redis.md's examples also run in their own ReadmeExampleTests). A run also
 * checks every rule set the example names as an engine with the built-in signals would ({@code
 * PersonaEngine.verify}). An example that throws when run, such as one whose rule set tests an
 * unknown signal, fails here.
 */
final class DocExamplesTest {
  private static final Path ROOT = Path.of("..");

  /**
   * The Spring Boot starter's document, whose examples are Spring beans and controllers, not
   * statements: the starter's SpringBootDocTest checks they are the code its tests run.
   */
  private static final String SPRING_DOC = "spring-boot.md";

  private static final List<String> MODULES =
      List.of("persona-core", "persona-rules", "persona-redis", "persona-openfeature");

  /** What examples may use without declaring it. */
  private static final String PRELUDE =
      """
      package examples;

      import dev.persona.*;
      import dev.persona.config.*;
      import dev.persona.rules.*;
      import dev.persona.ruleset.*;
      import dev.persona.spi.*;
      import java.time.*;
      import java.util.*;

      public abstract class Prelude {
        public String sessionId = "f3a9c1";
        public String orderId = "order-1";
        public String userAgent =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) Mobile/15E148";
        public String redisUri = "redis://localhost:6379";
        public String json = "{}";
        public double value = 59.9;
        public Request request = new Request();
        public RuleSet rules = RuleSetReader.defaultRuleSet();
        public Visit visit = Visit.builder(sessionId).header("User-Agent", userAgent).build();
        public SessionStore sharedStore = SessionStore.inMemory(1_000, Duration.ofMinutes(30));
        public SessionStore redisStore = sharedStore;
        public StatsStore redisStats = StatsStore.inMemory(1_000);
        public DecisionListener exposureLog = (v, d) -> {};
        public PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).build();
        public Decision decision = engine.decide(visit);
        public VariantChoice choice = decision.variant("home.hero");
        public dev.openfeature.sdk.Client client =
            dev.openfeature.sdk.OpenFeatureAPI.getInstance().getClient("doc-examples");
        public dev.openfeature.sdk.EvaluationContext context =
            new dev.openfeature.sdk.ImmutableContext(sessionId);

        public abstract void run() throws Exception;

        /** A servlet request, as far as examples use one. */
        public static final class Request {
          public String getHeader(String name) {
            return "User-Agent".equals(name) ? "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" : null;
          }

          public String getParameter(String name) {
            return "utm_source".equals(name) ? "newsletter" : null;
          }
        }

        /** The custom extractor the examples add. */
        public static final class LoyaltyTierExtractor implements SignalExtractor {
          @Override
          public String name() {
            return "loyalty";
          }

          @Override
          public List<SignalSpec> signals() {
            return List.of();
          }

          @Override
          public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {}
        }
      }
      """;

  private static final String IMPORTS =
      """
      package examples;

      import dev.persona.*;
      import dev.persona.config.*;
      import dev.persona.log.*;
      import dev.persona.prediction.*;
      import dev.persona.redis.*;
      import dev.persona.rules.*;
      import dev.persona.ruleset.*;
      import dev.persona.spi.*;
      import java.nio.file.*;
      import java.time.*;
      import java.util.*;
      import examples.Prelude.*;
      """;

  /** The imports of an example that uses the OpenFeature SDK or persona-openfeature. */
  private static final String OPENFEATURE_IMPORTS =
      "import dev.openfeature.sdk.*;\nimport dev.persona.openfeature.*;\n";

  private static final Pattern OPENFEATURE =
      Pattern.compile(
          "\\b(OpenFeatureAPI|PersonaProvider|EvaluationContext|ImmutableContext|Value"
              + "|MutableTrackingEventDetails|FlagEvaluationDetails|client)\\b");

  /** The imports an example needs beyond the common ones. */
  private static String imports(String code) {
    return OPENFEATURE.matcher(code).find() ? OPENFEATURE_IMPORTS : "";
  }

  /** One example: where it is shown, the imports it needs beyond the common ones, its code. */
  private record Example(String where, String imports, String code) {
    boolean runnable() {
      return !code.contains("\"redis://") && !code.contains("Path.of(");
    }
  }

  @Test
  void everyExample_compiles_andRunsWhereItCan(@TempDir Path dir) throws Exception {
    List<Example> examples = examples();
    Path src = Files.createDirectories(dir.resolve("src/examples"));
    Files.writeString(src.resolve("Prelude.java"), PRELUDE);
    Map<String, Example> byClass = new TreeMap<>();
    for (Example e : examples) {
      String name = "Example" + byClass.size();
      byClass.put(name, e);
      Files.writeString(
          src.resolve(name + ".java"),
          IMPORTS
              + e.imports()
              + "\n/** "
              + e.where()
              + " */\npublic final class "
              + name
              + " extends Prelude {\n  @Override\n  public void run() throws Exception {\n"
              + e.code()
              + verifications(e.code())
              + "\n  }\n}\n");
    }
    Path out = Files.createDirectories(dir.resolve("classes"));
    String javac = javac(src, out);

    assertThat(examples.size()).as("examples found").isGreaterThan(20);
    assertThat(javac).as("javac, for examples %s", legend(byClass)).isEmpty();

    List<String> failed = new ArrayList<>();
    int ran = 0;
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      for (Map.Entry<String, Example> e : byClass.entrySet()) {
        if (!e.getValue().runnable()) {
          continue;
        }
        Object example =
            loader.loadClass("examples." + e.getKey()).getDeclaredConstructor().newInstance();
        try {
          example.getClass().getMethod("run").invoke(example);
          ran++;
        } catch (InvocationTargetException x) {
          failed.add(e.getValue().where() + ": " + x.getCause());
        } finally {
          Object engine = example.getClass().getField("engine").get(example);
          engine.getClass().getMethod("close").invoke(engine);
        }
      }
    }
    System.out.printf("doc examples: %d compiled, %d run%n", byClass.size(), ran);
    assertThat(failed).as("examples that threw when run").isEmpty();
    assertThat(ran).as("examples run").isGreaterThan(15);
  }

  private static final Pattern RULE_SET = Pattern.compile("\\bRuleSet\\s+(\\w+)\\s*=");

  /** Checks each rule set the example makes as an engine with the built-in signals would. */
  private static String verifications(String code) {
    StringBuilder sb = new StringBuilder();
    Matcher m = RULE_SET.matcher(code);
    while (m.find()) {
      sb.append("\nPersonaEngine.verify(")
          .append(m.group(1))
          .append(", PersonaEngine.builtInSignals());");
    }
    return sb.toString();
  }

  private static String legend(Map<String, Example> byClass) {
    StringBuilder sb = new StringBuilder();
    byClass.forEach((k, v) -> sb.append('\n').append(k).append(" = ").append(v.where()));
    return sb.toString();
  }

  /** Compiles every source in {@code src} into {@code out}; returns javac's output. */
  private static String javac(Path src, Path out) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
    command.addAll(List.of("-proc:none", "-nowarn", "-encoding", "UTF-8", "-d", out.toString()));
    command.add("-cp");
    command.add(
        System.getProperty("jdk.module.path", "")
            + java.io.File.pathSeparator
            + System.getProperty("java.class.path"));
    try (Stream<Path> files = Files.list(src)) {
      files.map(Path::toString).sorted().forEach(command::add);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("javac finished").isTrue();
    return p.exitValue() == 0 ? "" : output;
  }

  private static List<Example> examples() throws IOException {
    List<Example> examples = new ArrayList<>();
    List<Path> markdown = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !SPRING_DOC.equals(p.getFileName().toString()))
          .sorted()
          .forEach(markdown::add);
    }
    for (Path md : markdown) {
      examples.addAll(markdownExamples(md));
    }
    for (String module : MODULES) {
      Path main = ROOT.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(main)) {
        for (Path f : files.filter(DocExamplesTest::isPublicApiSource).sorted().toList()) {
          examples.addAll(javadocExamples(main, f));
        }
      }
    }
    return examples;
  }

  private static boolean isPublicApiSource(Path f) {
    String s = f.toString().replace('\\', '/');
    return s.endsWith(".java")
        && !s.contains("/internal/")
        && !s.contains("/cli/")
        && !s.endsWith("module-info.java");
  }

  private static final Pattern FENCE = Pattern.compile("(?ms)^```java\\n(.*?)^```$");

  /** An indented block after a blank line whose every line is a Java statement ending in ";". */
  private static final Pattern INDENTED_JAVA =
      Pattern.compile("(?m)^\\n((?: {4}[^\\n]*[(][^\\n]*;\\n)+)(?! {4})");

  /** The README's Spring Boot section, whose example is a controller: SpringBootDocTest's. */
  private static final String SPRING_SECTION = "\n## Spring Boot in five minutes\n";

  /** Returns the text with the Spring Boot section's lines left empty, so lines keep numbers. */
  private static String withoutSpringSection(String text) {
    int at = text.indexOf(SPRING_SECTION);
    if (at < 0) {
      return text;
    }
    int end = text.indexOf("\n## ", at + SPRING_SECTION.length());
    end = end < 0 ? text.length() : end;
    return text.substring(0, at)
        + text.substring(at, end).replaceAll("[^\n]", "")
        + text.substring(end);
  }

  private static List<Example> markdownExamples(Path md) throws IOException {
    String text = withoutSpringSection(Files.readString(md));
    List<Example> found = new ArrayList<>();
    Matcher m = FENCE.matcher(text);
    while (m.find()) {
      int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
      found.add(new Example(ROOT.relativize(md) + ":" + line, imports(m.group(1)), m.group(1)));
    }
    Matcher indented = INDENTED_JAVA.matcher(text);
    while (indented.find()) {
      int line = (int) text.substring(0, indented.start()).chars().filter(c -> c == '\n').count();
      String code = indented.group(1);
      found.add(new Example(ROOT.relativize(md) + ":" + (line + 2), imports(code), code));
    }
    return found;
  }

  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*\\*(.*?)\\*/");
  private static final Pattern LEADING_STAR = Pattern.compile("(?m)^\\s*\\* ?");

  /**
   * Inline code that is an expression: a call with arguments, such as {@code
   * Outcome.shown(sessionId, choice)}; not a reference such as {@code EngineStats.listenerDrops()}.
   */
  private static final Pattern CALL =
      Pattern.compile("(?s)[A-Za-z_]\\w*(\\.\\w+)*\\.\\w+\\(.+\\)(\\s*\\.\\w+\\(.*\\))*");

  private static List<Example> javadocExamples(Path main, Path file) throws IOException {
    String src = Files.readString(file);
    String type = main.relativize(file).toString().replace('\\', '/').replace(".java", "");
    String imports = "import " + type.replace('/', '.') + ".*;\n";
    String where = ROOT.relativize(file).toString();
    List<Example> found = new ArrayList<>();
    Matcher c = COMMENT.matcher(src);
    while (c.find()) {
      String doc = LEADING_STAR.matcher(c.group(1)).replaceAll("");
      int line = (int) src.substring(0, c.start()).chars().filter(ch -> ch == '\n').count() + 1;
      int at = 0;
      while ((at = doc.indexOf("{@code", at)) >= 0) {
        int end = closingBrace(doc, at);
        String body = doc.substring(at + "{@code".length(), end).strip();
        boolean pre = doc.startsWith("<pre>", Math.max(0, at - 5)) && at >= 5;
        if (pre) {
          found.add(
              new Example(
                  where + ":" + line + " <pre>", imports + imports(body), withSemicolon(body)));
        } else {
          String expression = body.replaceAll("\\s+", " ");
          if (CALL.matcher(expression).matches() && !expression.contains("...")) {
            found.add(
                new Example(
                    where + ":" + line + " {@code}",
                    imports + imports(expression),
                    expression + ";"));
          }
        }
        at = end;
      }
    }
    return found;
  }

  private static int closingBrace(String doc, int open) {
    int depth = 0;
    for (int i = open; i < doc.length(); i++) {
      if (doc.charAt(i) == '{') {
        depth++;
      } else if (doc.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unclosed {@code at " + open);
  }

  private static String withSemicolon(String code) {
    String t = code.strip();
    return t.endsWith(";") || t.endsWith("}") ? t : t + ";";
  }
}
