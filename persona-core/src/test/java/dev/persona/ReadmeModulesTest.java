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

/**
 * README.md's Modules section names each library module's dependencies: the artifacts each pom.xml
 * depends on outside the test scope are those, so a new one fails here until the README says so.
 */
final class ReadmeModulesTest {
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

  @Test
  void personaCore_dependsOnCaffeineAndSlf4jApi_andTheJSpecifyAnnotations() throws IOException {
    assertThat(dependencies("persona-core")).containsExactly("caffeine", "slf4j-api", "jspecify");
  }

  @Test
  void personaRules_dependsOnPersonaCoreAndJacksonCore() throws IOException {
    assertThat(dependencies("persona-rules")).containsExactly("persona-core", "jackson-core");
  }

  @Test
  void personaRedis_dependsOnPersonaCoreCaffeineSlf4jApiAndLettuce() throws IOException {
    assertThat(dependencies("persona-redis"))
        .containsExactlyInAnyOrder("persona-core", "lettuce-core", "caffeine", "slf4j-api");
  }

  @Test
  void personaOpenFeature_dependsOnPersonaCoreCaffeineSlf4jApiTheOpenFeatureSdkAndJacksonCore()
      throws IOException {
    assertThat(dependencies("persona-openfeature"))
        .containsExactlyInAnyOrder("persona-core", "sdk", "caffeine", "slf4j-api", "jackson-core");
  }

  @Test
  void personaSpringBootStarter_dependsOnCoreRulesAndBootAutoconfigure_theRestOptional()
      throws IOException {
    assertThat(dependencies("persona-spring-boot-starter"))
        .containsExactlyInAnyOrder(
            "persona-core",
            "persona-rules",
            "spring-boot-autoconfigure",
            // optional: what the application brings, each part configured only when it is there
            "spring-webmvc",
            "jakarta.servlet-api",
            "spring-boot-actuator",
            "micrometer-core",
            "jackson-annotations",
            "spring-boot-health",
            "persona-redis",
            "spring-boot-configuration-processor");
  }

  /** Returns the artifacts a module's pom depends on outside the test scope (optional ones too). */
  private static List<String> dependencies(String module) throws IOException {
    String pom = Files.readString(Path.of("..", module, "pom.xml"));
    // the module's own dependencies, after any dependencyManagement (the starter imports a BOM)
    int start = pom.indexOf("<dependencies>", Math.max(0, pom.indexOf("</dependencyManagement>")));
    String deps = pom.substring(start, pom.indexOf("</dependencies>", start));
    List<String> out = new ArrayList<>();
    Matcher d = DEPENDENCY.matcher(deps);
    while (d.find()) {
      String dependency = d.group(1);
      if (dependency.contains("<scope>test</scope>")) {
        continue;
      }
      Matcher a = ARTIFACT.matcher(dependency);
      if (a.find()) {
        out.add(a.group(1));
      }
    }
    return out;
  }
}
