package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.Visit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class CountryExtractorTest {

  private final CountryExtractor extractor =
      new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, 256);

  @Test
  void readsCloudflareCountry() {
    Visit visit = Visit.builder("s").header("CF-IPCountry", "DE").build();

    assertThat(RecordingSink.run(extractor, visit)).containsOnly(entry("country", "DE"));
  }

  @Test
  void trimsAndUppercases() {
    Visit visit = Visit.builder("s").header("cloudfront-viewer-country", " fr\t").build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("country", "FR");
  }

  @Test
  void prefersHeadersInConfiguredOrder() {
    Visit visit =
        Visit.builder("s")
            .header("X-Country-Code", "US")
            .header("CloudFront-Viewer-Country", "GB")
            .header("CF-IPCountry", "NL")
            .build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("country", "NL");
  }

  @Test
  void fallsBackPastInvalidValues() {
    Visit visit =
        Visit.builder("s")
            .header("CF-IPCountry", "XX")
            .header("CloudFront-Viewer-Country", "T1")
            .header("X-Country-Code", "ch")
            .build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("country", "CH");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"XX", "xx", "T1", "t1", "A1", "D", "DEU", "", " ", "D E", "1 2", "ÄÖ", "DE,FR"})
  void rejectsValuesThatAreNotTwoLetters(String value) {
    Visit visit = Visit.builder("s").header("CF-IPCountry", value).build();

    assertThat(RecordingSink.run(extractor, visit)).isEmpty();
  }

  @Test
  void usesOnlyTheConfiguredHeaders() {
    CountryExtractor custom = new CountryExtractor(List.of("X-Geo"), 256);
    Visit visit = Visit.builder("s").header("CF-IPCountry", "DE").header("x-geo", "at").build();

    assertThat(RecordingSink.run(custom, visit)).containsEntry("country", "AT");
    assertThat(RecordingSink.run(new CountryExtractor(List.of(), 256), visit)).isEmpty();
  }

  @Test
  void emitsNothingWithoutHeaders() {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").build())).isEmpty();
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void truncatesAHugeHeaderBeforeReadingIt() {
    Visit visit =
        Visit.builder("s")
            .header("CF-IPCountry", "DE" + " ".repeat(1 << 20) + "X")
            .header("X-Country-Code", "PL")
            .build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("country", "DE");
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatNullPointerException().isThrownBy(() -> new CountryExtractor(null, 10));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, 0));
  }

  @Test
  void declaresAContextualText() {
    assertThat(extractor.name()).isEqualTo("country");
    assertThat(extractor.signals())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.key()).isEqualTo("country");
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }
}
