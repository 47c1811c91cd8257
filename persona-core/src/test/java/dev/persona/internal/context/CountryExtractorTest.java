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
import org.junit.jupiter.params.provider.CsvSource;
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
      strings = {
        "XX", "xx", "T1", "t1", "A1", "A2", "AP", "EU", "ZZ", "AA", "QM", "XK", "UK", "AN", "YU",
        "ZR", "CS", "SU", "EZ", "UN", "AC", "TA", "IC", "OO", "D", "DEU", "", " ", "D E", "1 2",
        "ÄÖ", "DE,FR", "ＤＥ", "D\u0000", "\uD83DE", "\uDC00\uD800", "DE\u00A0X", "de-"
      })
  void rejectsValuesThatAreNotAssignedCodes(String value) {
    Visit visit = Visit.builder("s").header("CF-IPCountry", value).build();

    assertThat(RecordingSink.run(extractor, visit)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"AD", "AX", "BQ", "CW", "GB", "SS", "SX", "TL", "US", "ZW", "gb", "Ss"})
  void acceptsAssignedCodesIncludingRecentOnes(String value) {
    Visit visit = Visit.builder("s").header("CF-IPCountry", value).build();

    assertThat(RecordingSink.run(extractor, visit)).containsOnlyKeys("country");
  }

  @Test
  void knowsExactlyTheTwoHundredFortyNineAssignedCodes() {
    int assigned = 0;
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'A'; b <= 'Z'; b++) {
        if (CountryExtractor.countryCode("" + a + b) != null) {
          assigned++;
        }
      }
    }
    assertThat(assigned).isEqualTo(249);
  }

  @Test
  void emitsTheRegionInIso31662Style() {
    Visit visit =
        Visit.builder("s").header("CF-IPCountry", "US").header("CF-Region-Code", "ca").build();

    assertThat(RecordingSink.run(extractor, visit))
        .containsExactly(entry("country", "US"), entry("region", "US-CA"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CloudFront-Viewer-Country | DE | CloudFront-Viewer-Country-Region | BY | DE-BY",
        "X-Country-Code | FR | X-Region-Code | 75 | FR-75",
        "X-Country-Code | FR | X-Region-Code | 'fr-IDF ' | FR-IDF",
        "CF-IPCountry | GB | CF-Region-Code | ENG | GB-ENG",
        "CF-IPCountry | GB | CF-Region-Code | GB-ENG | GB-ENG",
        "CF-IPCountry | SI | CF-Region-Code | 1 | SI-1"
      })
  void readsRegionsOfEachCdn(
      String countryHeader, String country, String header, String value, String region) {
    Visit visit = Visit.builder("s").header(countryHeader, country).header(header, value).build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("region", region);
  }

  @Test
  void prefersRegionHeadersInOrderAndSkipsInvalidOnes() {
    Visit visit =
        Visit.builder("s")
            .header("CF-IPCountry", "US")
            .header("CF-Region-Code", "C@")
            .header("CloudFront-Viewer-Country-Region", "NY")
            .header("X-Region-Code", "TX")
            .build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("region", "US-NY");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "CALI",
        "C A",
        "C-",
        "-CA",
        "DE-BY",
        "US-",
        "US-ABCD",
        "Ç",
        "\u0000",
        "\uD83D",
        "CA\uDC00",
        "C;A",
        "C\tA",
        "ＣＡ"
      })
  void rejectsMalformedRegions(String value) {
    Visit visit =
        Visit.builder("s").header("CF-IPCountry", "US").header("CF-Region-Code", value).build();

    assertThat(RecordingSink.run(extractor, visit)).containsOnly(entry("country", "US"));
  }

  @Test
  void emitsNoRegionWithoutAValidCountry() {
    Visit unknown =
        Visit.builder("s").header("CF-IPCountry", "XX").header("CF-Region-Code", "CA").build();
    Visit none = Visit.builder("s").header("CF-Region-Code", "CA").build();

    assertThat(RecordingSink.run(extractor, unknown)).isEmpty();
    assertThat(RecordingSink.run(extractor, none)).isEmpty();
  }

  @Test
  void usesOnlyTheConfiguredRegionHeaders() {
    Visit visit =
        Visit.builder("s")
            .header("CF-IPCountry", "US")
            .header("CF-Region-Code", "CA")
            .header("X-Geo-Region", "WA")
            .build();

    assertThat(
            RecordingSink.run(
                new CountryExtractor(
                    CountryExtractor.DEFAULT_HEADERS, List.of("X-Geo-Region"), 256),
                visit))
        .containsEntry("region", "US-WA");
    assertThat(
            RecordingSink.run(
                new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, List.of(), 256), visit))
        .containsOnly(entry("country", "US"));
  }

  @Test
  void neverThrowsOnHugeOrHostileHeaders() {
    CountryExtractor unbounded = new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, 1 << 21);
    String[] values = {
      " ".repeat(1 << 20), "\u0000".repeat(1 << 20), "\uD800".repeat(1 << 20), "US".repeat(1 << 19)
    };
    for (String value : values) {
      Visit visit =
          Visit.builder("s")
              .header("CF-IPCountry", value)
              .header("CloudFront-Viewer-Country", "US")
              .header("CF-Region-Code", value)
              .build();

      assertThat(RecordingSink.run(unbounded, visit)).containsOnly(entry("country", "US"));
    }
    Visit padded =
        Visit.builder("s")
            .header("CF-IPCountry", " US" + " ".repeat(1 << 20))
            .header("CF-Region-Code", "CA" + " ".repeat(1 << 20))
            .build();
    assertThat(RecordingSink.run(unbounded, padded)).containsEntry("region", "US-CA");
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
    assertThatNullPointerException()
        .isThrownBy(() -> new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, null, 10));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CountryExtractor(CountryExtractor.DEFAULT_HEADERS, 0));
  }

  @Test
  void declaresTwoContextualTexts() {
    assertThat(extractor.name()).isEqualTo("country");
    assertThat(extractor.signals()).extracting(s -> s.key()).containsExactly("country", "region");
    assertThat(extractor.signals())
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }
}
