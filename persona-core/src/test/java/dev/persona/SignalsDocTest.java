package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What docs/signals.md says feeds the counts, what types attributes must have, and the sources. */
final class SignalsDocTest {
  private final PersonaEngine engine =
      PersonaEngine.builder().ruleSet(TestRules.builder().build()).build();

  @Test
  void saleGiftAndPriceSortCounts_areFedAsDocumented() {
    Decision d =
        engine.decide(
            Visit.builder("s1")
                .event(Event.builder("page_view").attribute("path", "/Outlet/Shoes").build())
                .event(Event.builder("page_view").attribute("path", "/gifts/for-her").build())
                .event(Event.builder("product_view").attribute("on_sale", true).build())
                .event(Event.builder("product_view").attribute("category", "Gift Cards").build())
                .event(
                    Event.builder("search")
                        .attribute("query", "Gift ideas")
                        .attribute("sort", "price_desc")
                        .build())
                .event(Event.builder("page_view").attribute("sort", "Price").build())
                .build());

    assertThat((double) d.signal("sale_views").value()).isCloseTo(2, within(0.01));
    assertThat((double) d.signal("gift_views").value()).isCloseTo(3, within(0.01));
    assertThat((double) d.signal("price_sorts").value()).isCloseTo(2, within(0.01));
    assertThat(d.flags()).isEmpty();
  }

  @Test
  void theDefaultVocabularyTable_listsEveryDefaultEntry_andNoOther() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "signals.md"));
    String table =
        doc.substring(doc.indexOf("**The defaults**"), doc.indexOf("`ale` is a path's only"));
    Map<String, Set<String>> listed = new TreeMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\| (.+) \\|$").matcher(table);
    while (row.find()) {
      Set<String> entries = new TreeSet<>();
      Matcher entry = Pattern.compile("`([^`]+)`").matcher(row.group(3).replaceAll("\\(.*\\)", ""));
      while (entry.find()) {
        entries.add(entry.group(1));
      }
      Matcher source = Pattern.compile("`(\\w+)`").matcher(row.group(2));
      while (source.find()) {
        listed.put(row.group(1) + " " + source.group(1), entries);
      }
    }
    // the path's sale entries are the category's and /ale
    Set<String> salePaths = new TreeSet<>(listed.get("sale_views category"));
    salePaths.add("/ale");
    listed.put("sale_views path", salePaths);

    Map<String, Set<String>> defaults = new TreeMap<>();
    Map<Vocabulary.Source, String> names =
        Map.of(
            Vocabulary.Source.PATH, "path",
            Vocabulary.Source.CATEGORY, "category",
            Vocabulary.Source.QUERY, "query",
            Vocabulary.Source.SORT, "sort");
    for (Vocabulary.Use use : Vocabulary.Use.values()) {
      for (Vocabulary.Source source : Vocabulary.Source.values()) {
        List<String> words = Vocabulary.defaults().words(use, source);
        if (!words.isEmpty()) {
          defaults.put(use.key() + " " + names.get(source), new TreeSet<>(words));
        }
      }
    }
    assertThat(listed).isEqualTo(defaults);
  }

  @Test
  void aPurchaseValueGivenAsText_isLeftOutAndFlagged_andThePurchaseStillCounts() {
    Decision d =
        engine.decide(
            Visit.builder("s2")
                .event(Event.builder("purchase").attribute("value", "59.90").build())
                .build());

    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_REJECTED);
    assertThat((double) d.signal("purchases").value()).isCloseTo(1, within(0.01));
  }

  @Test
  void requestsAndSessionMinutes_comeFromTheSessionSource() {
    Decision d = engine.decide(Visit.builder("s3").event(Event.of("product_view")).build());

    assertThat(d.signal("requests").source()).isEqualTo("session");
    assertThat(d.signal("session_minutes").source()).isEqualTo("session");
    assertThat(d.signal("product_views").source()).isEqualTo("events");
  }

  @Test
  void theEntry_isImplicit_fromTheSessionSource_andOutlivesTheLandingRequest() {
    engine.decide(
        Visit.builder("s4")
            .header("Host", "shop.example.com")
            .header("Referer", "https://www.pinterest.com/pin/1")
            .query("utm_campaign", "Spring-Pins")
            .build());
    Decision d =
        engine.decide(
            Visit.builder("s4")
                .header("Host", "shop.example.com")
                .header("Referer", "https://shop.example.com/")
                .build());

    assertThat(d.signal("traffic_source").value()).isEqualTo("internal");
    assertThat(d.signal("entry_source").value()).isEqualTo("organic_social");
    assertThat(d.signal("entry_campaign").value()).isEqualTo("spring-pins");
    assertThat(d.signal("entry_referrer_host").value()).isEqualTo("pinterest.com");
    for (String key : new String[] {"entry_source", "entry_campaign", "entry_referrer_host"}) {
      assertThat(d.signal(key).kind()).isEqualTo(SignalKind.IMPLICIT);
      assertThat(d.signal(key).source()).isEqualTo("session");
    }
  }

  @Test
  void aBotsLanding_isNoEntry() {
    String googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    engine.decide(
        Visit.builder("s5")
            .header("User-Agent", googlebot)
            .header("Referer", "https://www.pinterest.com/")
            .build());
    Decision d =
        engine.decide(
            Visit.builder("s5")
                .header("Host", "shop.example.com")
                .header("Referer", "https://shop.example.com/")
                .build());

    assertThat(d.signal("entry_source")).isNull();
  }
}
