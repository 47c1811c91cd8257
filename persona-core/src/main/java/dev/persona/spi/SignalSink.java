package dev.persona.spi;

import org.jspecify.annotations.Nullable;

/**
 * Receives the signals a {@link SignalExtractor} finds in a request. Only keys the extractor
 * declared are accepted; others are ignored and counted. Values are checked against the declared
 * type. Not thread-safe: each call to {@link SignalExtractor#extract} gets its own sink, valid only
 * during that call.
 *
 * @since 0.1.0
 */
public interface SignalSink {

  /**
   * Emits a TEXT signal. A null value emits nothing.
   *
   * @param key a declared TEXT key
   * @param value the value, truncated to the engine's string limit
   */
  void text(String key, @Nullable String value);

  /**
   * Emits a NUMBER signal. A value that is not finite emits nothing.
   *
   * @param key a declared NUMBER key
   * @param value the value
   */
  void number(String key, double value);

  /**
   * Emits a FLAG signal.
   *
   * @param key a declared FLAG key
   * @param value the value
   */
  void flag(String key, boolean value);
}
