package dev.persona.internal.context;

import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;

/**
 * A built-in extractor, which the engine calls with the request's time as epoch millis rather than
 * a {@link ZonedDateTime} made for every request; only {@link TimeExtractor} reads the time.
 */
public interface BuiltInExtractor extends SignalExtractor {

  /**
   * Emits the signals found in one request.
   *
   * @param visit the request
   * @param epochMillis the request's time
   * @param zone the engine's time zone
   * @param sink receives the signals
   */
  default void extract(Visit visit, long epochMillis, ZoneOffsets zone, SignalSink sink) {
    extract(visit, (ZonedDateTime) null, sink);
  }
}
