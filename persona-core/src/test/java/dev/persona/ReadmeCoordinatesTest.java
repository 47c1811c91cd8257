package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's Maven coordinates name this build's group, modules and version. */
final class ReadmeCoordinatesTest {
  private static final Pattern DEPENDENCY =
      Pattern.compile(
          "<dependency>[^\\n]*\\n\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>"
              + "\\s*<version>([^<]+)</version>\\s*</dependency>");
  private static final Pattern PARENT_VERSION =
      Pattern.compile(
          "<groupId>([^<]+)</groupId>\\s*<artifactId>persona-parent</artifactId>\\s*"
              + "<version>([^<]+)</version>");

  @Test
  void readmeDependencies_matchThePom() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher pom = PARENT_VERSION.matcher(Files.readString(Path.of("..", "pom.xml")));
    assertThat(pom.find()).as("the parent's coordinates in pom.xml").isTrue();

    List<String> artifacts = new ArrayList<>();
    Matcher m = DEPENDENCY.matcher(readme);
    while (m.find()) {
      assertThat(m.group(1)).isEqualTo(pom.group(1));
      assertThat(m.group(3)).as("version of %s", m.group(2)).isEqualTo(pom.group(2));
      assertThat(Path.of("..", m.group(2), "pom.xml")).as("module %s", m.group(2)).exists();
      artifacts.add(m.group(2));
    }
    assertThat(artifacts).containsExactly("persona-core", "persona-rules", "persona-redis");
  }
}
