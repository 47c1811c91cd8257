package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.Visit;
import dev.persona.config.Vocabulary;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** A rule file's vocabulary: how it reads, counts, and is refused. */
final class VocabularyReaderTest {
  private final RuleSetReader reader = RuleSetReader.create();

  private static final String PERSONAS =
      "\"personas\": [{\"id\": \"p\", \"name\": \"P\", \"threshold\": 0.5}],\n";

  @Test
  void aFilesVocabulary_addsToTheDefaults_andCountsAStoresOwnWords() {
    String json =
        """
        {"version": "v1",
         %s"vocabulary": {
           "sale_views": {"paths": ["angebote", "/sonderangebote"], "categories": ["Angebote"]},
           "gift_views": {"queries": ["geschenk*"]},
           "price_sorts": {"sorts": ["preis*"]}
         }}"""
            .formatted(PERSONAS);

    RuleSet rules = reader.read(json, "de.json");
    Vocabulary v = rules.vocabulary();

    assertThat(v.words(Vocabulary.Use.SALE_VIEWS, Vocabulary.Source.PATH))
        .contains("sale", "promocj*", "angebote", "/sonderangebote");
    assertThat(v.words(Vocabulary.Use.GIFT_VIEWS, Vocabulary.Source.QUERY)).contains("geschenk*");
    PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).build();
    Decision d =
        engine.decide(
            Visit.builder("de")
                .event(Event.builder("page_view").attribute("path", "/de/angebote").build())
                .event(Event.builder("page_view").attribute("path", "/promocje").build())
                .event(Event.builder("product_view").attribute("category", "Angebote").build())
                .event(
                    Event.builder("search")
                        .attribute("query", "Geschenke für Mama")
                        .attribute("sort", "preis-aufsteigend")
                        .build())
                .build());
    assertThat(count(d, "sale_views")).isEqualTo(3);
    assertThat(count(d, "gift_views")).isEqualTo(1);
    assertThat(count(d, "price_sorts")).isEqualTo(1);
  }

  @Test
  void theDocumentedVocabulary_reads_andCountsWhatItSays() throws IOException {
    String doc = Files.readString(RuleSetReaderTest.root().resolve("docs/rules.md"));
    int start = doc.indexOf("```json\n", doc.indexOf("## Vocabulary")) + 8;
    String section = doc.substring(start, doc.indexOf("```", start));

    RuleSet rules = reader.read("{\"version\": \"v1\",\n" + section + "}", "docs/rules.md");
    Decision d =
        PersonaEngine.builder()
            .ruleSet(rules)
            .build()
            .decide(
                Visit.builder("doc")
                    .event(
                        Event.builder("page_view").attribute("path", "/de/Angebote/schuhe").build())
                    .event(Event.builder("page_view").attribute("path", "/winterangebote").build())
                    .event(
                        Event.builder("product_view")
                            .attribute("category", "Geschenkideen")
                            .build())
                    .build());

    assertThat(count(d, "sale_views")).isEqualTo(1);
    assertThat(count(d, "gift_views")).isEqualTo(1);
  }

  @Test
  void withoutDefaults_onlyTheFilesWordsCount() {
    String json =
        """
        {"version": "v1",
         %s"vocabulary": {"defaults": false, "sale_views": {"paths": ["angebote"]}}}"""
            .formatted(PERSONAS);

    Vocabulary v = reader.read(json, "de.json").vocabulary();

    assertThat(v.words(Vocabulary.Use.SALE_VIEWS, Vocabulary.Source.PATH))
        .containsExactly("angebote");
    assertThat(v.words(Vocabulary.Use.GIFT_VIEWS, Vocabulary.Source.PATH)).isEmpty();
  }

  @Test
  void aFileWithoutVocabulary_leavesTheEnginesInUse() {
    assertThat(reader.read("{\"version\": \"v1\"}", "none.json").vocabulary()).isNull();
    assertThat(RuleSetReader.defaultRuleSet().vocabulary()).isNull();
  }

  @Test
  void badEntries_areEachReportedAtTheirPosition() {
    String json =
        """
        {"version": "v1",
         "vocabulary": {
           "defaults": "yes",
           "sale_views": {"paths": ["ok", "--", "sa*le", 7], "titles": ["x"]},
           "gift_view": {"paths": ["x"]},
           "price_sorts": {"sorts": "price*"},
           "gift_views": {"categories": ["%s"]}
         }}"""
            .formatted("x".repeat(65));

    assertThatThrownBy(() -> reader.read(json, "bad.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "bad.json:3:16: expected true or false, found a string (at"
                            + " $.vocabulary.defaults)",
                        "bad.json:4:35: '--': a vocabulary entry needs a letter or digit (at"
                            + " $.vocabulary.sale_views.paths[1])",
                        "bad.json:4:41: 'sa*le': a vocabulary entry may have a '*' only at its"
                            + " end, where it stands for any ending (at"
                            + " $.vocabulary.sale_views.paths[2])",
                        "bad.json:4:50: expected a string, found a number (at"
                            + " $.vocabulary.sale_views.paths[3])",
                        "bad.json:4:54: unknown field 'titles'; expected one of [categories,"
                            + " paths, queries, sorts] (at $.vocabulary.sale_views.titles)",
                        "bad.json:5:4: unknown field 'gift_view'; expected one of [defaults,"
                            + " gift_views, price_sorts, sale_views] (at $.vocabulary.gift_view)",
                        "bad.json:6:29: expected an array, found a string (at"
                            + " $.vocabulary.price_sorts.sorts)",
                        "bad.json:7:34: '"
                            + "x".repeat(65)
                            + "': a vocabulary entry has at most 64 characters (at"
                            + " $.vocabulary.gift_views.categories[0])"));
  }

  @Test
  void moreThan500EntriesForOneSource_areRefusedAtTheFirstTooMany() {
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < 501; i++) {
      entries.append(i == 0 ? "" : ",").append("\"w").append(i).append('"');
    }
    String json =
        "{\"version\": \"v1\", \"vocabulary\": {\"defaults\": false,\n"
            + "\"sale_views\": {\"queries\": ["
            + entries
            + "]}}}";

    assertThatThrownBy(() -> reader.read(json, "many.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "many.json:2:"
                            + (json.lines().toList().get(1).indexOf("\"w500\"") + 1)
                            + ": 'w500': at most 500 vocabulary entries for the queries of"
                            + " sale_views (at $.vocabulary.sale_views.queries[500])"));
  }

  private static double count(Decision d, String key) {
    Signal s = d.signal(key);
    return s == null ? 0 : (double) s.value();
  }
}
