package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class DataTableTest {

  /** A table resource, its number of columns and the class that reads it at start-up. */
  private record Table(int columns, String owner) {}

  /** Every data resource shipped in the package, with who reads it. */
  private static final Map<String, Table> SHIPPED =
      Map.ofEntries(
          Map.entry("android-models.tsv", new Table(2, "AndroidModels")),
          Map.entry("calendar-lunar-new-year.txt", new Table(1, "GiftingDates")),
          Map.entry("calendar-mothers-day.txt", new Table(1, "GiftingDates")),
          Map.entry("countries-iso3166.txt", new Table(1, "CountryCodes")),
          Map.entry("countries-southern-hemisphere.txt", new Table(1, "CountryCodes")),
          Map.entry("hosts-email.txt", new Table(1, "TrafficHosts")),
          Map.entry("hosts-push.txt", new Table(1, "TrafficHosts")),
          Map.entry("hosts-search.txt", new Table(1, "TrafficHosts")),
          Map.entry("hosts-sms.txt", new Table(1, "TrafficHosts")),
          Map.entry("hosts-social.txt", new Table(1, "TrafficHosts")),
          Map.entry("referrer-apps.tsv", new Table(2, "TrafficHosts")),
          Map.entry("traffic-click-ids.tsv", new Table(2, "QueryParameters")),
          Map.entry("utm-channels.tsv", new Table(3, "UtmChannels")),
          Map.entry("user-agent-apps.tsv", new Table(2, "UserAgentClassifier")),
          Map.entry("user-agent-bots.tsv", new Table(2, "UserAgentClassifier")),
          Map.entry("user-agent-tokens.tsv", new Table(2, "UserAgentClassifier")));

  @Test
  void everyShippedResourceParsesAndItsOwnerLoadsIt() throws Exception {
    assertThat(shippedResources()).containsExactlyInAnyOrderElementsOf(SHIPPED.keySet());
    for (Map.Entry<String, Table> e : SHIPPED.entrySet()) {
      assertThat(DataTable.read(e.getKey(), e.getValue().columns())).as(e.getKey()).isNotEmpty();
      // Initializing the owner reads and checks its tables; a rejected row fails it.
      Class.forName(
          DataTable.class.getPackageName() + "." + e.getValue().owner(),
          true,
          DataTable.class.getClassLoader());
    }
  }

  @Test
  void aMalformedRowIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(() -> DataTable.read("malformed-table.tsv", 2))
        .withMessageStartingWith("malformed-table.tsv:4: expected 2 tab-separated columns, found 1")
        .withMessageContaining("only-one-column");
  }

  @Test
  void aRowItsOwnerRejectsIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(() -> TrafficHosts.read("malformed-hosts.txt"))
        .withMessage("malformed-hosts.txt:3: not a lower-case host or name: Example.org");
  }

  @Test
  void anUnknownUserAgentFeatureIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                UserAgentClassifier.load(
                    "malformed-user-agent-tokens.tsv",
                    "user-agent-apps.tsv",
                    "user-agent-bots.tsv"))
        .withMessageStartingWith(
            "malformed-user-agent-tokens.tsv:3: unknown feature, expected one of [android, bot,");
  }

  @Test
  void anUnknownBotKindIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                UserAgentClassifier.load(
                    "user-agent-tokens.tsv",
                    "user-agent-apps.tsv",
                    "malformed-user-agent-bots.tsv"))
        .withMessageStartingWith(
            "malformed-user-agent-bots.tsv:3: unknown bot kind, expected one of [ai_agent,");
  }

  @Test
  void aUserAgentFeatureWithoutATokenIsReported() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                UserAgentClassifier.load(
                    "partial-user-agent-tokens.tsv", "user-agent-apps.tsv", "user-agent-bots.tsv"))
        .withMessageStartingWith("partial-user-agent-tokens.tsv: no token for ");
  }

  @Test
  void anUpperCaseModelWordIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(() -> AndroidModels.read("malformed-android-models.tsv"))
        .withMessage("malformed-android-models.tsv:3: not lower-case ASCII: tablet_word | Tab");
  }

  @Test
  void aClickIdOfAnUnknownChannelIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(() -> QueryParameters.read("malformed-click-ids.tsv"))
        .withMessageStartingWith(
            "malformed-click-ids.tsv:3: unknown channel, expected one of [affiliate, display,");
  }

  @Test
  void aUtmValueOfAChannelItsRulesDoNotApplyIsReportedWithResourceAndLineNumber() {
    assertThatIllegalStateException()
        .isThrownBy(() -> UtmChannels.read("malformed-utm-channels.tsv"))
        .withMessage(
            "malformed-utm-channels.tsv:3: the utm_source rules apply [email, sms] only:"
                + " utm_source | banner | display");
  }

  @Test
  void aMissingResourceIsNamed() {
    assertThatIllegalStateException()
        .isThrownBy(() -> DataTable.read("no-such-table.tsv", 1))
        .withMessage("missing resource no-such-table.tsv");
  }

  @Test
  void readsColumnsBetweenTabsWithCommentsAndQuotes() throws IOException {
    List<DataTable.Row> rows =
        parse("# header\n\nbot\tcrawl  # a comment\n\n\tplatform\t\t\"adr \"\t\n", 2);

    assertThat(rows).extracting(DataTable.Row::line).containsExactly(3, 5);
    assertThat(rows.get(0).values()).containsExactly("bot", "crawl");
    assertThat(rows.get(1).values()).containsExactly("platform", "adr ");
    assertThat(rows.get(1).error("unknown feature"))
        .hasMessage("t.tsv:5: unknown feature: platform | adr ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\tb\tc", "a", "a\t\"\"", "a\t\"b", "a\tb\"c", "a\t  \tb"})
  void rejectsRowsWithoutExactlyTwoValues(String line) {
    assertThatIllegalStateException()
        .isThrownBy(() -> parse("# two columns\n" + line + "\n", 2))
        .withMessageStartingWith("t.tsv:2: ");
  }

  private static List<DataTable.Row> parse(String text, int columns) throws IOException {
    return DataTable.parse("t.tsv", new BufferedReader(new StringReader(text)), columns);
  }

  private static Set<String> shippedResources() throws IOException, URISyntaxException {
    URL known = DataTable.class.getResource("hosts-search.txt");
    assertThat(known).isNotNull();
    assertThat(known.getProtocol()).as("resources read from a directory").isEqualTo("file");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(Path.of(known.toURI()).getParent())) {
      files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".class"))
          .forEach(names::add);
    }
    return names;
  }
}
