package dev.persona.internal.signals;

import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * One call of a custom extractor on another thread: the extractor emits into this sink, not into
 * the request's {@link ExtractorSink} (which is not thread-safe, and which the request thread goes
 * on using if the call times out). The call returns what was emitted, which the request thread then
 * {@linkplain #replay replays} into its sink. What the extractor emits after its call, or beyond a
 * bound, is ignored. Made for one call; used by one thread at a time.
 */
final class RecordedCall implements SignalSink, Callable<Object[]> {
  private static final Object[] NONE = new Object[0];

  private final SignalExtractor extractor;
  private final Visit visit;
  private final ZonedDateTime localTime;
  private final int maxSignals;
  private Object[] emitted = NONE;
  private int count;
  private volatile boolean done;

  /**
   * @param maxSignals the most signals recorded; later ones are ignored
   */
  RecordedCall(SignalExtractor extractor, Visit visit, ZonedDateTime localTime, int maxSignals) {
    this.extractor = extractor;
    this.visit = visit;
    this.localTime = localTime;
    this.maxSignals = maxSignals;
  }

  /** Runs the extractor; returns what it emitted, as keys and values alternating. */
  @Override
  public Object[] call() {
    try {
      extractor.extract(visit, localTime, this);
    } finally {
      done = true;
    }
    return Arrays.copyOf(emitted, 2 * count);
  }

  @Override
  public void text(String key, @Nullable String value) {
    if (value != null) {
      add(key, value);
    }
  }

  @Override
  public void number(String key, double value) {
    add(key, value);
  }

  @Override
  public void flag(String key, boolean value) {
    add(key, value);
  }

  private void add(String key, Object value) {
    if (done || count == maxSignals) {
      return;
    }
    if (2 * count == emitted.length) {
      emitted = Arrays.copyOf(emitted, Math.min(2 * maxSignals, Math.max(8, 2 * emitted.length)));
    }
    emitted[2 * count] = key;
    emitted[2 * count + 1] = value;
    count++;
  }

  /** Emits into {@code sink} what a call returned, in order. */
  static void replay(Object[] emitted, SignalSink sink) {
    for (int i = 0; i < emitted.length; i += 2) {
      String key = (String) emitted[i];
      Object v = emitted[i + 1];
      if (v instanceof String s) {
        sink.text(key, s);
      } else if (v instanceof Double d) {
        sink.number(key, d);
      } else {
        sink.flag(key, (Boolean) v);
      }
    }
  }
}
