package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/reliability.md names every logger the libraries write to, so that users can set them. */
final class LoggerNamesDocTest {
  private static final Pattern NAME =
      Pattern.compile("(?:getLogger\\(|LOGGER = )\"(dev\\.persona[^\"]*)\"");

  @Test
  void everyLoggerName_isInTheReliabilityDoc() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      for (Path main :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            Matcher m = NAME.matcher(Files.readString(f));
            while (m.find()) {
              names.add(m.group(1));
            }
          }
        }
      }
    }
    String doc = Files.readString(Path.of("..", "docs", "reliability.md"));

    assertThat(names).contains("dev.persona.engine", "dev.persona.rules", "dev.persona.redis");
    assertThat(names).allSatisfy(n -> assertThat(doc).contains("| `" + n + "` |"));
  }
}
