package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.Visit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class PrivacyExtractorTest {

  private final PrivacyExtractor extractor = new PrivacyExtractor();

  private static Visit gpc(String value) {
    return Visit.builder("s").header("Sec-GPC", value).build();
  }

  @Test
  void flagsGpcWhenHeaderIsOne() {
    assertThat(RecordingSink.run(extractor, gpc("1"))).containsOnly(entry("gpc", true));
  }

  @Test
  void trimsWhitespaceAroundTheValue() {
    assertThat(RecordingSink.run(extractor, gpc(" 1\t"))).containsEntry("gpc", true);
  }

  @Test
  void readsTheHeaderCaseInsensitively() {
    Visit visit = Visit.builder("s").header("sec-gpc", "1").build();

    assertThat(RecordingSink.run(extractor, visit)).containsEntry("gpc", true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "", " ", "true", "11", "1, 1", "?1", "\u0000"})
  void emitsFalseForAnyOtherValue(String value) {
    assertThat(RecordingSink.run(extractor, gpc(value))).containsEntry("gpc", false);
  }

  @Test
  void emitsNothingWhenHeaderIsAbsent() {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").build())).isEmpty();
    assertThat(RecordingSink.run(extractor, gpc(null))).isEmpty();
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void handlesAHugeHeader() {
    assertThat(RecordingSink.run(extractor, gpc("1" + " ".repeat(1 << 20))))
        .containsEntry("gpc", true);
    assertThat(RecordingSink.run(extractor, gpc("1".repeat(1 << 20)))).containsEntry("gpc", false);
  }

  @Test
  void declaresAContextualFlag() {
    assertThat(extractor.name()).isEqualTo("privacy");
    assertThat(extractor.signals())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.key()).isEqualTo("gpc");
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.FLAG);
            });
  }
}
