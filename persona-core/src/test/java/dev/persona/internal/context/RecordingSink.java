package dev.persona.internal.context;

import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects emitted signals by key, failing on keys or types the extractor did not declare. */
final class RecordingSink implements SignalSink {

  static final ZonedDateTime NOON = ZonedDateTime.of(2024, 6, 5, 12, 0, 0, 0, ZoneOffset.UTC);

  private final List<SignalSpec> declared;
  private final Map<String, Object> values = new LinkedHashMap<>();

  RecordingSink(List<SignalSpec> declared) {
    this.declared = declared;
  }

  /** Runs {@code extractor} on {@code visit} at noon UTC and returns what it emitted. */
  static Map<String, Object> run(SignalExtractor extractor, Visit visit) {
    return run(extractor, visit, NOON);
  }

  static Map<String, Object> run(SignalExtractor extractor, Visit visit, ZonedDateTime time) {
    RecordingSink sink = new RecordingSink(extractor.signals());
    extractor.extract(visit, time, sink);
    return sink.values;
  }

  /** Returns what was emitted, by key. */
  Map<String, Object> values() {
    return values;
  }

  @Override
  public void text(String key, String value) {
    check(key, SignalType.TEXT);
    if (value != null) {
      values.put(key, value);
    }
  }

  @Override
  public void number(String key, double value) {
    check(key, SignalType.NUMBER);
    if (Double.isFinite(value)) {
      values.put(key, value);
    }
  }

  @Override
  public void flag(String key, boolean value) {
    check(key, SignalType.FLAG);
    values.put(key, value);
  }

  private void check(String key, SignalType type) {
    for (SignalSpec spec : declared) {
      if (spec.key().equals(key)) {
        if (spec.type() != type) {
          throw new AssertionError("signal " + key + " emitted as " + type + ", declared " + spec);
        }
        if (values.containsKey(key)) {
          throw new AssertionError("signal " + key + " emitted twice");
        }
        return;
      }
    }
    throw new AssertionError("undeclared signal " + key + "; declared " + declared);
  }
}
