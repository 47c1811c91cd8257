package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Emits the privacy and data-saving preferences the browser sent: Global Privacy Control, Do Not
 * Track and Save-Data. Each flag is absent when its header is, false for any value but the one that
 * turns it on.
 */
public final class PrivacyExtractor implements BuiltInExtractor {

  private static final String GPC = "gpc";
  private static final String DNT = "dnt";
  private static final String SAVE_DATA = "save_data";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              GPC,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Global Privacy Control: Sec-GPC is 1; absent when the header is"),
          new SignalSpec(
              DNT,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Do Not Track: DNT is 1; absent when the header is"),
          new SignalSpec(
              SAVE_DATA,
              SignalKind.CONTEXTUAL,
              SignalType.FLAG,
              "Data saving requested: Save-Data is on; absent when the header is"));

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

  /**
   * Returns whether a {@code Sec-GPC} header value asks not to be tracked: the one reading of the
   * header, for the {@code gpc} signal and for consent alike.
   */
  public static boolean isGpc(@Nullable String value) {
    return value != null && HeaderText.trimmedEquals(value, "1");
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (visit == null) {
      return;
    }
    String gpc = visit.headers().get("sec-gpc");
    if (gpc != null) {
      sink.flag(GPC, isGpc(gpc));
    }
    String dnt = visit.headers().get("dnt");
    if (dnt != null) {
      sink.flag(DNT, HeaderText.trimmedEquals(dnt, "1"));
    }
    String saveData = visit.headers().get("save-data");
    if (saveData != null) {
      sink.flag(SAVE_DATA, isOn(saveData));
    }
  }

  /**
   * Returns whether a Save-Data value's first token, before any {@code ;} parameters or {@code ,}
   * of a repeated header and ignoring surrounding whitespace, is {@code on} in any case.
   */
  static boolean isOn(String value) {
    int end = 0;
    while (end < value.length() && value.charAt(end) != ';' && value.charAt(end) != ',') {
      end++;
    }
    int start = 0;
    while (start < end && value.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && value.charAt(end - 1) <= ' ') {
      end--;
    }
    return end - start == 2 && value.regionMatches(true, start, "on", 0, 2);
  }
}
