package dev.persona.config;

import static dev.persona.config.Vocabulary.Source.CATEGORY;
import static dev.persona.config.Vocabulary.Source.PATH;
import static dev.persona.config.Vocabulary.Use.GIFT_VIEWS;
import static dev.persona.config.Vocabulary.Use.SALE_VIEWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a vocabulary holds, how its builder reads entries and what it refuses. */
final class VocabularyTest {
  @Test
  void entries_areKeptAsRead_inLowerCase_decoded_withOneSeparatorBetweenWords() {
    Vocabulary v =
        Vocabulary.builder()
            .clear()
            .add(SALE_VIEWS, PATH, List.of("Angebote", "/Sonder-Angebote/", "%E4%BF%83%E9%94%80"))
            .add(SALE_VIEWS, PATH, List.of("angebote", " Gift  Cards* "))
            .build();

    assertThat(v.words(SALE_VIEWS, PATH))
        .containsExactly("angebote", "/sonder angebote", "促销", "gift cards*");
    assertThat(v.words(GIFT_VIEWS, PATH)).isEmpty();
  }

  @Test
  void aBadEntry_isRefusedAtOnce_sayingWhy() {
    Vocabulary.Builder b = Vocabulary.builder();

    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("--/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a letter or digit");
    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("sa*le")))
        .hasMessageContaining("'*' only at its end");
    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("sale-*")))
        .hasMessageContaining("must follow a letter or digit");
    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("x".repeat(65))))
        .hasMessageContaining("at most 64 characters");
    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("*")))
        .hasMessageContaining("needs a letter or digit");
    assertThat(b.build()).isEqualTo(Vocabulary.defaults());
  }

  @Test
  void aUseAndSource_holdAtMost500Entries() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < Vocabulary.MAX_ENTRIES; i++) {
      many.add("w" + i);
    }
    Vocabulary.Builder b = Vocabulary.builder().clear().add(SALE_VIEWS, PATH, many);

    assertThatThrownBy(() -> b.add(SALE_VIEWS, PATH, List.of("one-more")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 500 vocabulary entries for the paths of sale_views");
    b.add(SALE_VIEWS, PATH, List.of("w7")); // already there
    b.add(SALE_VIEWS, CATEGORY, List.of("one-more")); // another source
    assertThat(b.build().words(SALE_VIEWS, PATH)).hasSize(Vocabulary.MAX_ENTRIES);
  }

  @Test
  void remove_takesOutADefault_readLikeAnAddedEntry() {
    Vocabulary v = Vocabulary.builder().remove(SALE_VIEWS, PATH, List.of("/ALE")).build();

    assertThat(Vocabulary.defaults().words(SALE_VIEWS, PATH)).contains("/ale");
    assertThat(v.words(SALE_VIEWS, PATH)).doesNotContain("/ale").contains("sale");
  }

  @Test
  void theDefaults_coverEveryLanguage_andNoneIsEmpty() {
    assertThat(Vocabulary.defaults().words(SALE_VIEWS, PATH))
        .contains("sale", "promocj*", "reduceri", "/ale", "促销");
    assertThat(Vocabulary.defaults().words(GIFT_VIEWS, CATEGORY))
        .contains("gift*", "prezent*", "cadou*", "lahja*", "礼品");
    for (Vocabulary.Use use : Vocabulary.Use.values()) {
      for (Vocabulary.Source source : Vocabulary.Source.values()) {
        assertThat(Vocabulary.none().words(use, source)).isEmpty();
      }
    }
    assertThat(Vocabulary.none().toString())
        .isEqualTo("Vocabulary{sale_views=0, gift_views=0, price_sorts=0}");
  }
}
