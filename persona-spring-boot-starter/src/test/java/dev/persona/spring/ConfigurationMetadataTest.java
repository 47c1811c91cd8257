package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The configuration metadata that IDEs complete {@code application.yml} from, as the build wrote it
 * into the starter's classes (META-INF/spring-configuration-metadata.json): every property is
 * there, described, and the list defaults it states are the ones the starter uses.
 */
class ConfigurationMetadataTest {
  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  @Test
  void everyProperty_hasADescription() {
    List<Map<String, Object>> properties = properties();

    assertThat(properties).hasSizeGreaterThan(30);
    assertThat(properties)
        .allSatisfy(
            p ->
                assertThat((String) p.get("description"))
                    .as("the description of %s", p.get("name"))
                    .isNotBlank());
  }

  @Test
  void everyGroup_isThere() {
    assertThat(names())
        .contains(
            "persona.rules.file",
            "persona.rules.watch",
            "persona.context.time-zone",
            "persona.context.site-hosts",
            "persona.experiments.holdout",
            "persona.limits.max-events-per-visit",
            "persona.cookie.name",
            "persona.cookie.secure",
            "persona.cookie.http-only",
            "persona.cookie.same-site",
            "persona.cookie.max-age",
            "persona.web.headers",
            "persona.redis.uri");
  }

  @Test
  void theListDefaults_areTheOnesTheStarterUses() {
    Map<String, Object> byName =
        properties().stream()
            .filter(p -> p.containsKey("defaultValue"))
            .collect(Collectors.toMap(p -> (String) p.get("name"), p -> p.get("defaultValue")));

    assertThat(byName.get("persona.web.headers")).isEqualTo(PersonaProperties.DEFAULT_HEADERS);
    assertThat(byName.get("persona.web.exclude-paths"))
        .isEqualTo(PersonaProperties.DEFAULT_EXCLUDED);
    assertThat(byName.get("persona.cookie.name")).isEqualTo("persona_sid");
  }

  /** Returns the names of every property in the metadata. */
  static List<String> names() {
    return properties().stream().map(p -> (String) p.get("name")).toList();
  }

  /** Returns this module's metadata, in its classes: other jars on the class path have theirs. */
  private static URL ownMetadata() throws IOException {
    Enumeration<URL> all = ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA);
    while (all.hasMoreElements()) {
      URL url = all.nextElement();
      if (url.getProtocol().equals("file")
          && url.getPath().contains("persona-spring-boot-starter")) {
        return url;
      }
    }
    throw new AssertionError("the build wrote no " + METADATA + " into target/classes");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> properties() {
    try (InputStream in = ownMetadata().openStream()) {
      Map<String, Object> json =
          JsonParserFactory.getJsonParser()
              .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return (List<Map<String, Object>>) json.get("properties");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
