package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.Visit;
import dev.persona.config.ContextConfig;
import dev.persona.spi.SignalExtractor;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class BuiltInExtractorsTest {

  private static final List<String> HEADERS =
      List.of(
          "User-Agent",
          "Sec-CH-UA",
          "Sec-CH-UA-Mobile",
          "Sec-CH-UA-Platform",
          "Accept-Language",
          "CF-IPCountry",
          "CloudFront-Viewer-Country",
          "X-Country-Code",
          "Referer",
          "Host",
          "X-Forwarded-Host",
          "Sec-GPC");
  private static final List<String> PARAMETERS =
      List.of("utm_source", "utm_medium", "utm_campaign", "gclid");

  private final List<SignalExtractor> extractors =
      BuiltInExtractors.create(ContextConfig.builder().userAgentCacheSize(1000).build(), 2048);

  @Test
  void createsAllSixInOrder() {
    assertThat(extractors)
        .extracting(SignalExtractor::name)
        .containsExactly("device", "language", "country", "traffic_source", "time", "privacy");
  }

  @Test
  void specsListEveryDeclaredSignalOnce() {
    assertThat(BuiltInExtractors.specs())
        .extracting(SignalSpec::key)
        .containsExactly(
            "device",
            "os",
            "browser",
            "app",
            "bot_kind",
            "language",
            "locale",
            "country",
            "region",
            "traffic_source",
            "referrer_host",
            "campaign",
            "daypart",
            "weekday",
            "weekend",
            "season",
            "gifting_period",
            "gpc",
            "dnt",
            "save_data")
        .doesNotHaveDuplicates();
    assertThat(BuiltInExtractors.specs())
        .isEqualTo(extractors.stream().flatMap(e -> e.signals().stream()).toList());
  }

  @Test
  void specsAreContextualWithLowerCaseKeysAndShortDescriptions() {
    assertThat(BuiltInExtractors.specs())
        .allSatisfy(
            spec -> {
              assertThat(spec.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(spec.key()).isEqualTo(spec.key().toLowerCase(Locale.ROOT));
              assertThat(spec.description()).isNotBlank().hasSizeLessThanOrEqualTo(80);
            });
  }

  @Test
  void usesTheGivenGeoHeaders() {
    List<SignalExtractor> custom =
        BuiltInExtractors.create(
            ContextConfig.builder().geoHeaders(List.of("X-Geo")).userAgentCacheSize(0).build(), 64);
    Visit visit = Visit.builder("s").header("X-Geo", "se").header("CF-IPCountry", "DE").build();

    assertThat(RecordingSink.run(custom.get(2), visit)).containsEntry("country", "SE");
  }

  @Test
  void rejectsMissingGeoHeaders() {
    assertThatNullPointerException().isThrownBy(() -> ContextConfig.builder().geoHeaders(null));
  }

  @Test
  void extractsAFullRequest() {
    Visit visit =
        Visit.builder("s")
            .header("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)")
            .header("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.8")
            .header("CF-IPCountry", "be")
            .header("Referer", "https://www.instagram.com/")
            .header("Sec-GPC", "1")
            .query("utm_campaign", "Spring")
            .build();
    ZonedDateTime sunday = ZonedDateTime.of(2024, 6, 9, 21, 0, 0, 0, ZoneOffset.UTC);

    Map<String, Object> all = new LinkedHashMap<>();
    for (SignalExtractor extractor : extractors) {
      all.putAll(RecordingSink.run(extractor, visit, sunday));
    }

    assertThat(all)
        .containsExactlyEntriesOf(
            orderedMap(
                "device", "mobile",
                "os", "ios",
                "browser", "other",
                "language", "nl",
                "locale", "nl-be",
                "country", "BE",
                "traffic_source", "organic_social",
                "referrer_host", "instagram.com",
                "campaign", "spring",
                "daypart", "evening",
                "weekday", "sunday",
                "weekend", true,
                "season", "summer",
                "gifting_period", false,
                "gpc", true));
  }

  @Test
  void neverThrowOnGarbageOrHugeInput() {
    Random random = new Random(7);
    String huge = "\u0000(;q=,".repeat(200_000);
    for (int i = 0; i < 3_000; i++) {
      Visit.Builder builder = Visit.builder("s");
      for (String header : HEADERS) {
        if (random.nextInt(4) > 0) {
          builder.header(header, i % 500 == 0 ? huge : garbage(random));
        }
      }
      for (String parameter : PARAMETERS) {
        if (random.nextBoolean()) {
          builder.query(parameter, garbage(random));
        }
      }
      Visit visit = builder.build();
      for (SignalExtractor extractor : extractors) {
        assertThatNoException()
            .as("%s on %s", extractor.name(), visit.headers())
            .isThrownBy(() -> RecordingSink.run(extractor, visit));
      }
    }
  }

  private static String garbage(Random random) {
    String[] pieces = {
      "Mozilla/5.0 (",
      "Android",
      "Mobile",
      "iPad",
      "bot",
      ";q=",
      "0.",
      "1",
      "?1",
      "\"",
      "https://",
      "www.",
      "google.",
      ".",
      ":",
      "[",
      "]",
      "@",
      "/",
      ",",
      "-",
      " ",
      "\t",
      "\u0000",
      "\uD83D",
      "é",
      "XX",
      "de"
    };
    StringBuilder s = new StringBuilder();
    int parts = random.nextInt(12);
    for (int i = 0; i < parts; i++) {
      s.append(
          random.nextInt(3) == 0
              ? (char) random.nextInt(0x10000)
              : pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }

  private static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
