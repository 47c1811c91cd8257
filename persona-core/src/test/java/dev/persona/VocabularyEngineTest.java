package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ContextConfig;
import dev.persona.config.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine counts sale views, gift views and price sorts by the store's vocabulary: its own,
 * given to the engine or with the rule set, or the defaults.
 */
final class VocabularyEngineTest {
  private static final Vocabulary GERMAN =
      Vocabulary.builder()
          .add(
              Vocabulary.Use.SALE_VIEWS,
              Vocabulary.Source.PATH,
              List.of("angebote", "sonderangebote"))
          .add(Vocabulary.Use.GIFT_VIEWS, Vocabulary.Source.CATEGORY, List.of("geschenk*"))
          .add(Vocabulary.Use.PRICE_SORTS, Vocabulary.Source.SORT, List.of("preis*"))
          .build();

  private static Visit germanPages(String session) {
    return Visit.builder(session)
        .event(Event.builder("page_view").attribute("path", "/de/Angebote/schuhe").build())
        .event(Event.builder("product_view").attribute("category", "Geschenkideen").build())
        .event(
            Event.builder("search")
                .attribute("query", "laufschuhe")
                .attribute("sort", "preis_aufsteigend")
                .build())
        .build();
  }

  private static double count(Decision d, String key) {
    Signal s = d.signal(key);
    return s == null ? 0 : (double) s.value();
  }

  @Test
  void aGermanStoresOwnWords_givenToTheEngine_count() {
    PersonaEngine german =
        PersonaEngine.builder()
            .ruleSet(TestRules.builder().build())
            .context(ContextConfig.builder().vocabulary(GERMAN).build())
            .build();
    PersonaEngine defaults = PersonaEngine.builder().ruleSet(TestRules.builder().build()).build();

    Decision d = german.decide(germanPages("de-1"));
    Decision without = defaults.decide(germanPages("de-1"));

    assertThat(count(d, "sale_views")).isEqualTo(1);
    assertThat(count(d, "gift_views")).isEqualTo(1);
    assertThat(count(d, "price_sorts")).isEqualTo(1);
    assertThat(count(without, "sale_views")).isZero();
    assertThat(count(without, "gift_views")).isZero();
    assertThat(count(without, "price_sorts")).isZero();
  }

  @Test
  void aPolishSalePage_countsByDefault_plainAndPercentEncoded() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.builder().build()).build();

    Decision d =
        engine.decide(
            Visit.builder("pl-1")
                .event(Event.builder("page_view").attribute("path", "/promocje/buty").build())
                .event(
                    Event.builder("page_view")
                        .attribute("path", "/wyprzeda%C5%BC-zimowa?sort=cena")
                        .build())
                .event(Event.builder("page_view").attribute("path", "/buty/hurtownia").build())
                .build());

    assertThat(count(d, "sale_views")).isEqualTo(2);
  }

  @Test
  void aRuleSetsVocabulary_isUsedInsteadOfTheEngines_untilAReloadWithoutOne() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.builder().vocabulary(GERMAN).build())
            .context(ContextConfig.builder().vocabulary(Vocabulary.none()).build())
            .build();

    assertThat(count(engine.decide(germanPages("de-2")), "sale_views")).isEqualTo(1);
    engine.reload(TestRules.builder().build());
    assertThat(count(engine.decide(germanPages("de-3")), "sale_views")).isZero();
  }
}
