package dev.persona.spi;

import dev.persona.SignalSpec;
import dev.persona.Visit;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Turns a request into contextual signals: device, language, country, traffic source, local time.
 * The engine runs every extractor on every request, so an extractor should be cheap, and cache what
 * it can (bounded).
 *
 * <p>An extractor {@linkplain #signals() declares} the contextual signals it emits; rules may test
 * them, and two extractors may not declare the same key. Register custom extractors with {@code
 * ExtensionConfig.Builder.extractor(...)}; they are never discovered from the classpath.
 *
 * <p>Implementations must be thread-safe. An extractor that throws loses only its own signals for
 * that request: the engine flags the decision, counts the failure and logs it at most once a
 * minute. A failure is anything thrown but a JVM-fatal error: an {@link Error} such as an {@link
 * AssertionError} or a {@link LinkageError} counts as one, while a {@link VirtualMachineError}
 * other than {@link StackOverflowError} (such as {@link OutOfMemoryError}) and {@link ThreadDeath}
 * are thrown on, out of the engine's call.
 *
 * @since 0.1.0
 */
public interface SignalExtractor {

  /**
   * Returns the extractor's name, used as the source of its signals and in logs.
   *
   * @return a short, stable name
   */
  String name();

  /**
   * Returns the signals this extractor may emit, all of kind {@link
   * dev.persona.SignalKind#CONTEXTUAL}.
   *
   * @return the declarations
   */
  List<SignalSpec> signals();

  /**
   * Emits the signals found in one request.
   *
   * @param visit the request
   * @param localTime the request's time in the engine's time zone
   * @param sink receives the signals
   */
  void extract(Visit visit, ZonedDateTime localTime, SignalSink sink);
}
