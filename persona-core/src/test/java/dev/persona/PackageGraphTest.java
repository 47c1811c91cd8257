package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the compiled engine matches its architecture: the internal packages depend
 * on each other without cycles, and the rule-set model knows nothing of its compiler or of any
 * other implementation. Dependencies are read from the constant pools of the compiled classes.
 */
final class PackageGraphTest {
  private static final Pattern TYPE = Pattern.compile("(dev/persona(?:/\\w+)*)/[\\w$]+(?=[;<]|$)");

  private static Map<String, Set<String>> graph;

  @BeforeAll
  static void readClasses() throws IOException, URISyntaxException {
    Path classes =
        Path.of(PersonaEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        if (!name.startsWith("dev/persona/") || name.endsWith("package-info.class")) {
          continue;
        }
        String from = name.substring(0, name.lastIndexOf('/')).replace('/', '.');
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        try (InputStream in = Files.newInputStream(f)) {
          for (String text : constantTexts(in)) {
            Matcher m = TYPE.matcher(text);
            while (m.find()) {
              String target = m.group(1).replace('/', '.');
              if (!target.equals(from)) {
                to.add(target);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void internalPackages_dependOnEachOtherWithoutCycles() {
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      if (start.contains(".internal.") && reaches(start, start, new TreeSet<>())) {
        cycles.add(start);
      }
    }
    assertThat(graph.get("dev.persona.internal.signals")).contains("dev.persona.internal.rules");
    assertThat(cycles).as("internal packages on a cycle; graph: %s", internalGraph()).isEmpty();
  }

  @Test
  void theRuleSetModel_knowsNoImplementation() {
    assertThat(graph.get("dev.persona.ruleset"))
        .as("what dev.persona.ruleset depends on")
        .isNotEmpty()
        .noneMatch(p -> p.startsWith("dev.persona.internal"));
  }

  @Test
  void onlyTheEngineFacade_reachesTheWiring() {
    graph.forEach(
        (from, to) -> {
          if (!from.equals("dev.persona") && !from.equals("dev.persona.internal.engine")) {
            assertThat(to)
                .as("dependencies of %s", from)
                .doesNotContain("dev.persona.internal.engine");
          }
        });
  }

  private static boolean reaches(String from, String target, Set<String> seen) {
    for (String next : graph.getOrDefault(from, Set.of())) {
      if (!next.contains(".internal.")) {
        continue;
      }
      if (next.equals(target)) {
        return true;
      }
      if (seen.add(next) && reaches(next, target, seen)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Set<String>> internalGraph() {
    Map<String, Set<String>> out = new TreeMap<>();
    graph.forEach(
        (from, to) -> {
          if (from.contains(".internal.")) {
            out.put(
                from, new TreeSet<>(to.stream().filter(t -> t.contains(".internal.")).toList()));
          }
        });
    return out;
  }

  /** Returns the class names and UTF-8 texts of a class file's constant pool. */
  private static List<String> constantTexts(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    in.readInt(); // magic
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    List<String> texts = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> texts.add(in.readUTF()); // Utf8: class names, descriptors, signatures
        case 7, 8, 16, 19, 20 -> in.readUnsignedShort(); // Class, String, MethodType, Module...
        case 15 -> in.skipBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt(); // Integer, Float, refs, NameAndType
        case 5, 6 -> {
          in.readLong(); // Long, Double: two entries
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return texts;
  }
}
