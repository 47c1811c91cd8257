package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.Visit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class LanguageExtractorTest {

  private final LanguageExtractor extractor = new LanguageExtractor(256);

  private Map<String, Object> run(String acceptLanguage) {
    return RecordingSink.run(
        extractor, Visit.builder("s").header("Accept-Language", acceptLanguage).build());
  }

  @Test
  void emitsPrimarySubtagOfTheFirstEntry() {
    assertThat(run("de-CH,de;q=0.9,en;q=0.8"))
        .containsOnly(entry("language", "de"), entry("locale", "de-ch"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pt-BR | pt | pt-br",
        "pt_BR | pt | pt-br",
        "de | de | de",
        "EN-us | en | en-us",
        "es-419 | es | es-419",
        "zh-Hant-TW | zh | zh-tw",
        "zh-Hant | zh | zh",
        "zh-yue-HK | zh | zh-hk",
        "sr-Latn-RS-u-nu-latn | sr | sr-rs",
        "en-GB-oxendict | en | en-gb",
        "de-1996 | de | de",
        "en-x-twain | en | en",
        "gsw-CH | gsw | gsw-ch",
        "en-a-bbb-US | en | en",
        "en;q=0.3, pt-BR;q=0.9, pt;q=0.8 | pt | pt-br",
        "*, fr-CA;q=0.5 | fr | fr-ca",
        "de-CH;q=0, it-CH;q=0.1 | it | it-ch"
      })
  void emitsLocaleWithTheRegionOfTheBestRange(String header, String language, String locale) {
    assertThat(run(header)).containsOnly(entry("language", language), entry("locale", locale));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "en;q=0.5, fr;q=0.9, de;q=0.7 | fr",
        "en;q=0.8, fr | fr",
        "en;q=1, fr;q=1.0, de | en",
        "en;q=0.8, fr;q=0.800 | en",
        "en;q=0.001, fr;q=0 | en",
        "en;Q=0.2, fr;q = 0.3 | fr",
        "en;level=1;q=0.2, fr;q=0.1 | en",
        "pt-BR;q=0.9, es-419;q=0.95 | es"
      })
  void picksTheHighestQValueAndTheFirstOnATie(String header, String expected) {
    assertThat(run(header)).containsEntry("language", expected);
  }

  @Test
  void lowercasesAndKeepsThreeLetterCodes() {
    assertThat(run("EN-us")).containsEntry("language", "en");
    assertThat(run("gsw-CH")).containsEntry("language", "gsw");
    assertThat(run("zh-Hant-TW")).containsEntry("language", "zh");
    assertThat(run("en_US")).containsEntry("language", "en");
  }

  @Test
  void ignoresWildcardAndZeroWeight() {
    assertThat(run("*, fr;q=0.5")).containsEntry("language", "fr");
    assertThat(run("en;q=0, *;q=0.9, it;q=0.1")).containsEntry("language", "it");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "en;q=1.5, fr;q=0.1",
        "en;q=-1, fr;q=0.1",
        "en;q=abc, fr;q=0.1",
        "en;q=, fr;q=0.1",
        "en;q=0.5.5, fr;q=0.1",
        "en;q=1e0, fr;q=0.1",
        "en;q=NaN, fr;q=0.1",
        "e, fr;q=0.1",
        "engl, fr;q=0.1",
        "e1, fr;q=0.1",
        "en-, fr;q=0.1",
        "en--us, fr;q=0.1",
        "en-abcdefghi, fr;q=0.1",
        "i-klingon, fr;q=0.1",
        "x-pig-latin, fr;q=0.1",
        "en us, fr;q=0.1",
        "ën, fr;q=0.1",
        "\uD83D-US, fr;q=0.1",
        "en-\uDC00, fr;q=0.1",
        "en\u0000, fr;q=0.1",
        "e\u0301n, fr;q=0.1",
        "ｅｎ, fr;q=0.1",
        "en\u00A0, fr;q=0.1",
        "en;q=0.9\u0000, fr;q=0.1"
      })
  void skipsMalformedEntries(String header) {
    assertThat(run(header)).containsEntry("language", "fr").containsEntry("locale", "fr");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        ",",
        ";;;",
        "*",
        "en;q=0",
        "q=1",
        ";q=1",
        "\u0000\u0001",
        "\uD800",
        "\uDFFF\uD800",
        "--",
        "-US",
        "_"
      })
  void emitsNothingWithoutAUsableEntry(String header) {
    assertThat(run(header)).isEmpty();
  }

  @Test
  void emitsNothingWhenHeaderIsAbsent() {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").build())).isEmpty();
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void readsOnlyTheFirstMaxHeaderLengthCharacters() {
    String header = "fr;q=0.1," + " ".repeat(1 << 20) + ",en;q=0.9";

    assertThat(run(header)).containsEntry("language", "fr");
  }

  @Test
  void neverThrowsOnHugeGarbage() {
    LanguageExtractor unbounded = new LanguageExtractor(1 << 21);
    String[] headers = {
      ";".repeat(1 << 20),
      ",".repeat(1 << 20),
      "-".repeat(1 << 20),
      "en" + "-a".repeat(1 << 19),
      "en;q=0." + "9".repeat(1 << 20),
      "\uD83D".repeat(1 << 20),
      "a".repeat(1 << 20),
      "en;" + "q=".repeat(1 << 19),
      ",".repeat(1 << 20) + "en;q=0.5",
      "x1, ".repeat(1 << 18) + ";"
    };
    for (String header : headers) {
      assertThat(RecordingSink.run(unbounded, visitWith(header)).keySet())
          .isSubsetOf("language", "locale");
    }
    assertThat(RecordingSink.run(unbounded, visitWith("en" + "-a".repeat(1 << 19))))
        .containsEntry("locale", "en");
  }

  @Test
  void handlesManyEntries() {
    String header = "de;q=0.5,".repeat(100_000) + "en";

    assertThat(RecordingSink.run(new LanguageExtractor(1 << 21), visitWith(header)))
        .containsEntry("language", "en");
  }

  private static Visit visitWith(String header) {
    return Visit.builder("s").header("Accept-Language", header).build();
  }

  @Test
  void rejectsNonPositiveMaxHeaderLength() {
    assertThatIllegalArgumentException().isThrownBy(() -> new LanguageExtractor(0));
  }

  @Test
  void declaresTwoContextualTexts() {
    assertThat(extractor.name()).isEqualTo("language");
    assertThat(extractor.signals()).extracting(s -> s.key()).containsExactly("language", "locale");
    assertThat(extractor.signals())
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }

  @Test
  void preferredLanguageIsThePrimarySubtagOfTheLocale() {
    assertThat(LanguageExtractor.preferredLanguage("pt-BR;q=0.5, es-419")).isEqualTo("es");
    assertThat(LanguageExtractor.preferredLocale("pt-BR;q=0.5, es-419")).isEqualTo("es-419");
    assertThat(LanguageExtractor.preferredLanguage(null)).isNull();
    assertThat(LanguageExtractor.preferredLocale("*")).isNull();
  }
}
