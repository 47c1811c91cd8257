package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.Snippets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

/**
 * docs/spring-boot.md shows what the tests run: its Java examples are the storefront's code, its
 * template the storefront's template, its application.yml binds to {@link PersonaProperties}
 * without an unknown key, and its property table lists every property of the configuration
 * metadata.
 */
class SpringBootDocTest {
  private static final Path DOC = Path.of("..", "docs", "spring-boot.md");
  private static final Path README = Path.of("..", "README.md");
  private static final String README_HEADING = "## Spring Boot in five minutes";
  private static final Path STOREFRONT =
      Path.of("src/test/java/dev/persona/spring/storefront/Storefront.java");
  private static final Path TEMPLATE = Path.of("src/test/resources/templates/home.html");

  @Test
  void theControllerExample_isTheStorefronts() throws IOException {
    String shown = Snippets.javaBlock(DOC, "### 3. A controller that takes the decision");
    String run = Snippets.region(STOREFRONT, "controller example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  /** The README's section: the same controller. */
  @Test
  void theReadmesSpringBootSection_showsTheStorefrontsController() throws IOException {
    String shown = Snippets.javaBlock(README, README_HEADING);
    String run = Snippets.region(STOREFRONT, "controller example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void theVisitCustomizerExample_isTheStorefronts() throws IOException {
    String shown = Snippets.javaBlock(DOC, "### 5. Events from the request");
    String run = Snippets.region(STOREFRONT, "visit customizer example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void theTemplateExample_isTheStorefronts() throws IOException {
    String html = Files.readString(TEMPLATE);
    String begins = "<!-- template example begins -->";
    String run =
        html.substring(
            html.indexOf(begins) + begins.length(), html.indexOf("<!-- template example ends"));

    assertThat(Snippets.withoutSpace(block("html"))).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void theApplicationYml_bindsWithoutAnUnknownKey() throws IOException {
    List<PropertySource<?>> yaml =
        new YamlPropertySourceLoader()
            .load("doc", new ByteArrayResource(block("yaml").getBytes(StandardCharsets.UTF_8)));
    StandardEnvironment env = new StandardEnvironment();
    yaml.forEach(env.getPropertySources()::addFirst);
    PersonaProperties p = new PersonaProperties();

    new Binder(ConfigurationPropertySources.get(env))
        .bind(
            "persona",
            Bindable.ofInstance(p),
            new NoUnboundElementsBindHandler(BindHandler.DEFAULT));

    assertThat(p.getRules().getFile()).isEqualTo(Path.of("/etc/shop/persona-rules.json"));
    assertThat(p.getContext().getTimeZone().getId()).isEqualTo("Europe/Warsaw");
    assertThat(p.getContext().getSiteHosts()).containsExactly("shop.example", "www.shop.example");
    assertThat(p.getExperiments().getHoldout()).isEqualTo(0.05);
    assertThat(p.getCookie().getName()).isEqualTo("shop_persona");
    assertThat(p.getRedis().getUri()).isEqualTo("redis://redis.internal:6379");
  }

  @Test
  void theDependency_isThisModule() throws IOException {
    assertThat(block("xml")).contains("<artifactId>persona-spring-boot-starter</artifactId>");
  }

  @Test
  void thePropertyTable_listsEveryPropertyOfTheMetadata() throws IOException {
    String doc = Files.readString(DOC);
    String table = doc.substring(doc.indexOf("\n## Properties\n"));
    List<String> listed = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\| `(persona\\.[a-z.-]+)` \\|").matcher(table);
    while (m.find()) {
      listed.add(m.group(1));
    }

    assertThat(listed).containsExactlyInAnyOrderElementsOf(ConfigurationMetadataTest.names());
  }

  /** Returns the first fenced block of a language in the document. */
  private static String block(String language) throws IOException {
    String doc = Files.readString(DOC);
    int open = doc.indexOf("```" + language + "\n");
    assertThat(open).as("a ```%s block", language).isNotNegative();
    int from = open + language.length() + 4;
    return doc.substring(from, doc.indexOf("```", from));
  }
}
