package dev.persona.internal.engine;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.spi.SignalSink;
import java.util.List;
import java.util.Map;

/**
 * The {@link SignalSink} handed to the extractors of one request, one after the other: accepts only
 * the keys the current extractor declared, with values of the declared type, and adds them to the
 * request's signals.
 */
public final class ExtractorSink implements SignalSink {
  private String source;
  private Map<String, SignalSpec> declared;
  private final List<Signal> out;
  private final InputReport report;
  private final int maxStringLength;

  public ExtractorSink(
      String source,
      Map<String, SignalSpec> declared,
      List<Signal> out,
      InputReport report,
      int maxStringLength) {
    this.source = source;
    this.declared = declared;
    this.out = out;
    this.report = report;
    this.maxStringLength = maxStringLength;
  }

  /** Points this sink at the next extractor of the same request. */
  public void next(String source, Map<String, SignalSpec> declared) {
    this.source = source;
    this.declared = declared;
  }

  @Override
  public void text(String key, String value) {
    if (value != null && accepts(key, SignalType.TEXT)) {
      String v = value;
      if (v.length() > maxStringLength) {
        report.truncated("signal '" + key + "' longer than " + maxStringLength + " characters");
        v = v.substring(0, maxStringLength);
      }
      add(key, v);
    }
  }

  @Override
  public void number(String key, double value) {
    if (Double.isFinite(value) && accepts(key, SignalType.NUMBER)) {
      add(key, value);
    }
  }

  @Override
  public void flag(String key, boolean value) {
    if (accepts(key, SignalType.FLAG)) {
      add(key, value);
    }
  }

  private boolean accepts(String key, SignalType type) {
    SignalSpec spec = key == null ? null : declared.get(key);
    if (spec == null || spec.type() != type) {
      report.rejected("extractor '" + source + "' emitted an undeclared or mistyped signal");
      return false;
    }
    for (Signal s : out) {
      if (s.key().equals(key)) {
        return false;
      }
    }
    return true;
  }

  private void add(String key, Object value) {
    out.add(new Signal(key, SignalKind.CONTEXTUAL, value, source, 1.0));
  }
}
