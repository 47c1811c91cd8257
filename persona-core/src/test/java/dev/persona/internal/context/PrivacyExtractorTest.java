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
  void flagsDoNotTrack() {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").header("DNT", "1").build()))
        .containsOnly(entry("dnt", true));
    assertThat(RecordingSink.run(extractor, Visit.builder("s").header("dnt", " 1 ").build()))
        .containsOnly(entry("dnt", true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "", "null", "yes", "01", "1;", "\uD83D", "\u00001x"})
  void emitsFalseDoNotTrackForAnyOtherValue(String value) {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").header("DNT", value).build()))
        .containsOnly(entry("dnt", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"on", "On", "ON", " on\t", "on; foo", "on;", "on, on"})
  void flagsSaveData(String value) {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").header("Save-Data", value).build()))
        .containsOnly(entry("save_data", true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "", "1", "true", "o n", "onn", ";on", ",on", "\uDC00n", "ｏｎ"})
  void emitsFalseSaveDataForAnyOtherValue(String value) {
    assertThat(RecordingSink.run(extractor, Visit.builder("s").header("Save-Data", value).build()))
        .containsOnly(entry("save_data", false));
  }

  @Test
  void emitsAllThreeIndependently() {
    Visit visit =
        Visit.builder("s")
            .header("Sec-GPC", "1")
            .header("DNT", "0")
            .header("Save-Data", "on")
            .build();

    assertThat(RecordingSink.run(extractor, visit))
        .containsExactly(entry("gpc", true), entry("dnt", false), entry("save_data", true));
  }

  @Test
  void handlesHugeDntAndSaveDataHeaders() {
    Visit huge =
        Visit.builder("s")
            .header("DNT", "1" + " ".repeat(1 << 20))
            .header("Save-Data", "on" + " ".repeat(1 << 20) + ";" + "x".repeat(1 << 20))
            .build();
    Visit garbage =
        Visit.builder("s")
            .header("DNT", "\uD800".repeat(1 << 20))
            .header("Save-Data", ";".repeat(1 << 20))
            .build();

    assertThat(RecordingSink.run(extractor, huge))
        .containsExactly(entry("dnt", true), entry("save_data", true));
    assertThat(RecordingSink.run(extractor, garbage))
        .containsExactly(entry("dnt", false), entry("save_data", false));
  }

  @Test
  void handlesAHugeHeader() {
    assertThat(RecordingSink.run(extractor, gpc("1" + " ".repeat(1 << 20))))
        .containsEntry("gpc", true);
    assertThat(RecordingSink.run(extractor, gpc("1".repeat(1 << 20)))).containsEntry("gpc", false);
  }

  @Test
  void declaresThreeContextualFlags() {
    assertThat(extractor.name()).isEqualTo("privacy");
    assertThat(extractor.signals())
        .extracting(s -> s.key())
        .containsExactly("gpc", "dnt", "save_data");
    assertThat(extractor.signals())
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.FLAG);
            });
  }
}
