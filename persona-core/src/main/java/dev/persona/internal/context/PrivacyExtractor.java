package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/** Emits whether the browser sent the Global Privacy Control signal. */
public final class PrivacyExtractor implements SignalExtractor {

  private static final String KEY = "gpc";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              KEY,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Global Privacy Control: Sec-GPC is 1; absent when the header is"));

  /** Creates the extractor. */
  public PrivacyExtractor() {}

  @Override
  public String name() {
    return "privacy";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    String value = visit == null ? null : visit.header("sec-gpc");
    if (value != null) {
      sink.flag(KEY, HeaderText.trimmedEquals(value, "1"));
    }
  }
}
