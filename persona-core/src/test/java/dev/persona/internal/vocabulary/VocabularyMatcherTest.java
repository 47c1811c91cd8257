package dev.persona.internal.vocabulary;

import static dev.persona.config.Vocabulary.Source.CATEGORY;
import static dev.persona.config.Vocabulary.Source.PATH;
import static dev.persona.config.Vocabulary.Source.QUERY;
import static dev.persona.config.Vocabulary.Source.SORT;
import static dev.persona.config.Vocabulary.Use.GIFT_VIEWS;
import static dev.persona.config.Vocabulary.Use.PRICE_SORTS;
import static dev.persona.config.Vocabulary.Use.SALE_VIEWS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How texts match the vocabulary's entries, and the defaults of each language. */
final class VocabularyMatcherTest {
  private static final VocabularyMatcher DEFAULTS = VocabularyMatcher.of(Vocabulary.defaults());
  private final char[] buffer = VocabularyMatcher.buffer(256);

  private boolean counts(Vocabulary.Use use, Vocabulary.Source source, String text) {
    return counts(DEFAULTS, use, source, text);
  }

  private boolean counts(
      VocabularyMatcher m, Vocabulary.Use use, Vocabulary.Source source, String text) {
    return (m.match(source, text, buffer) & (1 << use.ordinal())) != 0;
  }

  private static VocabularyMatcher only(Vocabulary.Source source, String... entries) {
    return VocabularyMatcher.of(
        Vocabulary.builder().clear().add(SALE_VIEWS, source, List.of(entries)).build());
  }

  @Test
  void anEntry_matchesWholeWords_notAWordThatMerelyContainsIt() {
    VocabularyMatcher sale = only(PATH, "sale");

    assertThat(counts(sale, SALE_VIEWS, PATH, "/sale")).isTrue();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/summer-sale")).isTrue();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/c/sale_items/shoes")).isTrue();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/wholesale")).isFalse();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/salesforce-integration")).isFalse();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/shoes/salem-boots")).isFalse();
  }

  @Test
  void aPath_isMatchedWithoutItsQueryStringAndFragment() {
    VocabularyMatcher sale = only(PATH, "sale");

    assertThat(counts(sale, SALE_VIEWS, PATH, "/shoes?utm_campaign=sale")).isFalse();
    assertThat(counts(sale, SALE_VIEWS, PATH, "/shoes#sale")).isFalse();
    assertThat(counts(sale, SALE_VIEWS, QUERY, "shoes?sale")).isFalse();
  }

  @Test
  void aTrailingStar_letsTheLastWordGoOn_andALeadingSlash_startsASegment() {
    VocabularyMatcher m = only(PATH, "gift*", "/ale", "gift cards");

    assertThat(counts(m, SALE_VIEWS, PATH, "/gifts/for-her")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/giftcards")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/regift")).isFalse();
    assertThat(counts(m, SALE_VIEWS, PATH, "/fi/ale/tv")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "ale")).as("the text's start").isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/olut/pale-ale")).isFalse();
    assertThat(counts(only(PATH, "gift cards"), SALE_VIEWS, PATH, "/Gift-Cards")).isTrue();
    assertThat(counts(only(PATH, "gift cards"), SALE_VIEWS, PATH, "/gift/cards")).isFalse();
    assertThat(counts(only(PATH, "gift cards"), SALE_VIEWS, PATH, "/gift-cardsx")).isFalse();
  }

  @Test
  void percentEncodedAndUnicodePaths_matchTheSame() {
    assertThat(counts(SALE_VIEWS, PATH, "/促销")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/%E4%BF%83%E9%94%80")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/%e4%bf%83%e9%94%80/shouji")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/wyprzedaż")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/wyprzeda%C5%BC-zimowa")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/promo%C8%9Bii")).as("promoții, decoded").isTrue();
    assertThat(counts(GIFT_VIEWS, PATH, "/%E7%A4%BC%E5%93%81%E5%8D%A1")).as("礼品卡").isTrue();
  }

  @Test
  void malformedPercentEncoding_isASeparator_notAnError() {
    VocabularyMatcher m = only(PATH, "sale");

    assertThat(counts(m, SALE_VIEWS, PATH, "/%zzsale")).isFalse();
    assertThat(counts(m, SALE_VIEWS, PATH, "/%sale")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/sale%")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/%C5sale")).isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/%ED%A0%80sale")).as("a surrogate").isTrue();
    assertThat(counts(m, SALE_VIEWS, PATH, "/%C0%AFsale")).as("overlong /").isTrue();
  }

  @Test
  void chinese_matchesAnywhereInAWord_asItIsWrittenWithoutSpaces() {
    assertThat(counts(SALE_VIEWS, PATH, "/限时促销活动")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/618特价")).isTrue();
    assertThat(counts(SALE_VIEWS, CATEGORY, "手机折扣专区")).isTrue();
    assertThat(counts(GIFT_VIEWS, QUERY, "生日礼物")).isTrue();
    assertThat(counts(PRICE_SORTS, SORT, "价格从低到高")).isTrue();
    assertThat(counts(SALE_VIEWS, PATH, "/手机")).isFalse();
  }

  @Test
  void theDefaults_countSalePagesInEachLanguage() {
    for (String path :
        List.of(
            "/sale",
            "/clearance/shoes",
            "/outlet",
            "/deals/today",
            "/black-friday",
            "/promocje",
            "/promocja/laptopy",
            "/strefa-okazji",
            "/wyprzedaz",
            "/oferte",
            "/reduceri/telefoane",
            "/promotii",
            "/fi/ale",
            "/tarjoukset",
            "/alennukset",
            "/促销",
            "/特价",
            "/折扣",
            "/cuxiao",
            "/miaosha")) {
      assertThat(counts(SALE_VIEWS, PATH, path)).as(path).isTrue();
    }
    for (String path : List.of("/", "/shoes", "/wholesale", "/pale-ale", "/promocode-help")) {
      assertThat(counts(SALE_VIEWS, PATH, path)).as(path).isFalse();
    }
    assertThat(counts(SALE_VIEWS, CATEGORY, "Outlet")).isTrue();
    assertThat(counts(SALE_VIEWS, CATEGORY, "Pale Ale")).as("ale is a path's only").isFalse();
    assertThat(counts(SALE_VIEWS, QUERY, "buty wyprzedaż")).isTrue();
    assertThat(counts(SALE_VIEWS, QUERY, "cars for sale")).as("sale is not a query's").isFalse();
  }

  @Test
  void theDefaults_countGiftPagesCategoriesAndSearchesInEachLanguage() {
    for (String text :
        List.of(
            "/gifts",
            "/gift-guide",
            "/prezenty/dla-niej",
            "/karty-podarunkowe",
            "/upominki",
            "/cadouri",
            "/card-cadou",
            "/lahjat",
            "/lahjakortit",
            "/礼品",
            "/lipin")) {
      assertThat(counts(GIFT_VIEWS, PATH, text)).as(text).isTrue();
      assertThat(counts(GIFT_VIEWS, CATEGORY, text.substring(1))).as(text).isTrue();
    }
    assertThat(counts(GIFT_VIEWS, QUERY, "Gift ideas")).isTrue();
    assertThat(counts(GIFT_VIEWS, QUERY, "prezent dla mamy")).isTrue();
    assertThat(counts(GIFT_VIEWS, PATH, "/shoes")).isFalse();
  }

  @Test
  void theDefaults_countPriceSortsInEachLanguage() {
    for (String sort :
        List.of(
            "price",
            "price_asc",
            "price-desc",
            "priceasc",
            "-price",
            "price:asc",
            "cena",
            "cena_rosnaco",
            "pret",
            "preț-crescător",
            "hinta",
            "hinta_laskeva",
            "halvin",
            "价格")) {
      assertThat(counts(PRICE_SORTS, SORT, sort)).as(sort).isTrue();
    }
    for (String sort : List.of("relevance", "newest", "popularity", "rating", "name")) {
      assertThat(counts(PRICE_SORTS, SORT, sort)).as(sort).isFalse();
    }
    assertThat(counts(PRICE_SORTS, PATH, "/laptopuri/sort-priceasc/c")).as("eMAG").isTrue();
  }

  @Test
  void everyUse_isFoundInOneWalk() {
    VocabularyMatcher m =
        VocabularyMatcher.of(
            Vocabulary.builder()
                .clear()
                .add(SALE_VIEWS, PATH, List.of("outlet"))
                .add(GIFT_VIEWS, PATH, List.of("gift*"))
                .build());

    assertThat(m.match(PATH, "/outlet/gifts", buffer)).isEqualTo(0b11);
    assertThat(m.match(PATH, null, buffer)).isZero();
    assertThat(m.match(SORT, "outlet", buffer)).as("another source").isZero();
  }

  @Test
  void aTextLongerThanTheBuffer_isMatchedAsFarAsItReaches() {
    VocabularyMatcher m = only(PATH, "sale");
    char[] small = VocabularyMatcher.buffer(8);

    assertThat(m.match(PATH, "/x/sale", small)).isEqualTo(1);
    assertThat(m.match(PATH, "/abcdefghijklmnop/sale", small)).isZero();
  }

  @Test
  void textsSeenLately_matchAsTheyDidTheFirstTime_manyTextsSharingTheTable() {
    VocabularyMatcher m = only(PATH, "sale");
    char[] buffer = VocabularyMatcher.buffer(64);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 2_000; i++) {
        String sale = "/c" + i + "/sale";
        String wholesale = "/c" + i + "/wholesale";
        assertThat(m.match(PATH, sale, buffer)).as(sale).isEqualTo(1);
        assertThat(m.match(PATH, wholesale, buffer)).as(wholesale).isZero();
      }
    }
  }
}
