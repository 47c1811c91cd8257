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
    assertThat(run("de-CH,de;q=0.9,en;q=0.8")).containsOnly(entry("language", "de"));
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
        "ën, fr;q=0.1"
      })
  void skipsMalformedEntries(String header) {
    assertThat(run(header)).containsEntry("language", "fr");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ",", ";;;", "*", "en;q=0", "q=1", ";q=1", "\u0000\u0001"})
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
  void declaresAContextualText() {
    assertThat(extractor.name()).isEqualTo("language");
    assertThat(extractor.signals())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.key()).isEqualTo("language");
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }
}
