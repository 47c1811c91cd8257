package dev.persona.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenFeature example of docs/openfeature.md and of the README's "OpenFeature" section,
 * compiled and run so that it cannot rot, and kept the same as shown.
 */
final class OpenFeatureReadmeExampleTest {
  private static final Path DOC = Path.of("..", "docs", "openfeature.md");
  private static final Path README = Path.of("..", "README.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/persona/openfeature/OpenFeatureReadmeExampleTest.java");
  private static final String HEADING = "## OpenFeature";

  @AfterEach
  void releaseDefaultProvider() {
    OpenFeatureAPI.getInstance().setProviderAndWait(new NoOpProvider());
  }

  @Test
  void docShowsThisTestsExample() throws IOException {
    String shown = Snippets.javaBlock(DOC, "## Example");
    String run = Snippets.region(SOURCE, "OpenFeature example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void readmeShowsThisTestsExample() throws IOException {
    String shown = Snippets.javaBlock(README, HEADING);
    String run = Snippets.region(SOURCE, "OpenFeature example");

    assertThat(Snippets.withoutSpace(shown)).isEqualTo(Snippets.withoutSpace(run));
  }

  @Test
  void example_runsAsShown() {
    String sessionId = "f3a9c1";
    String userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    PersonaEngine engine = PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();

    // OpenFeature example begins
    OpenFeatureAPI api = OpenFeatureAPI.getInstance(); // once, at start-up
    api.setProviderAndWait(PersonaProvider.of(engine));
    Client client = api.getClient();

    EvaluationContext context =
        new ImmutableContext( // per request: the targeting key is the session id
            sessionId,
            Map.of(
                "header.User-Agent", new Value(userAgent),
                "declared.shopping_for_gift", new Value(true)));
    String variant = client.getStringValue("home.hero", "default", context);
    Value content = client.getObjectValue("home.hero", new Value(), context);
    client.track( // when it is shown
        "exposure", context, new MutableTrackingEventDetails().add("placement", "home.hero"));
    // OpenFeature example ends

    assertThat(variant).isEqualTo("gift-guide");
    assertThat(content.isStructure()).isTrue();
    assertThat(engine.stats().decisions()).as("one decision for the request").isEqualTo(1);
    assertThat(engine.variantStats())
        .filteredOn(s -> s.placement().equals("home.hero"))
        .extracting(VariantStats::variant, VariantStats::segment, VariantStats::exposures)
        .containsExactly(tuple("gift-guide", "gift_giver", 1L));
  }
}
