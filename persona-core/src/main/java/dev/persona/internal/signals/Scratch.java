package dev.persona.internal.signals;

import dev.persona.Visit;
import dev.persona.internal.context.TrafficSourceExtractor;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.vocabulary.VocabularyMatcher;
import java.util.function.BiConsumer;

/**
 * The working memory of one request, kept per thread and reused: its input report, the extractors'
 * sink and the frame the rules read. Nothing in it outlives the request; what a decision keeps is
 * copied out. A request that starts while its thread's scratch is busy (an extractor or store
 * deciding from inside a decision) gets a scratch of its own. Not thread-safe.
 */
public final class Scratch {
  /** The request's input report. */
  public final InputReport report = new InputReport();

  /** The sink for the request's extractors. */
  public final ExtractorSink sink;

  private SignalFrame frame;

  /**
   * Whether the scratch is in use, at {@link #BUSY}: written twice a request, so kept inside a
   * padded array, where no other thread's object can share its cache line.
   */
  private final int[] busy = new int[2 * BUSY + 1];

  private static final int BUSY = 16;
  private int maxHeaderLength;
  private final BiConsumer<String, String> longHeaderCheck = this::noteIfLong;

  /** The buffer the vocabulary reads an event's texts into. */
  private final char[] words;

  private Scratch(ContextSignals table, int maxStringLength) {
    this.sink = new ExtractorSink(table, maxStringLength);
    this.words = VocabularyMatcher.buffer(maxStringLength);
  }

  /** Returns the buffer for {@link VocabularyMatcher#match}, for texts of the engine's limits. */
  public char[] words() {
    return words;
  }

  /** Returns an empty frame for {@code rules}. */
  public SignalFrame frame(CompiledRuleSet rules) {
    SignalFrame f = frame;
    if (f == null || !rules.fits(f)) {
      f = rules.newFrame();
      frame = f;
    } else {
      f.clear();
    }
    return f;
  }

  /**
   * Notes in the report every header longer than {@code max} characters, which extractors read only
   * that far, and every query parameter the traffic-source extractor reads that is longer than that
   * (it reads them only that far too). Walks the headers without an iterator.
   */
  public void noteLongHeaders(Visit visit, int max) {
    if (maxHeaderLength != max) {
      maxHeaderLength = max;
    }
    visit.headers().forEach(longHeaderCheck);
    if (!visit.query().isEmpty()) {
      for (int i = TrafficSourceExtractor.truncatedParameters(visit.query(), max); i > 0; i--) {
        report.truncated(
            "a query parameter longer than " + max + " characters was read only that far");
      }
    }
  }

  private void noteIfLong(String name, String value) {
    if (value.length() > maxHeaderLength) {
      report.truncated(
          "a header longer than " + maxHeaderLength + " characters was read only that far");
    }
  }

  /** Hands out one scratch per thread. Thread-safe. */
  public static final class Pool {
    private final ContextSignals table;
    private final int maxStringLength;
    private final ThreadLocal<Scratch> local;

    /** Creates a pool for requests of an engine with these extractors and string limit. */
    public Pool(ContextSignals table, int maxStringLength) {
      this.table = table;
      this.maxStringLength = maxStringLength;
      this.local = ThreadLocal.withInitial(() -> new Scratch(table, maxStringLength));
    }

    /** Returns an empty scratch for a request; {@link #release} it when done. */
    public Scratch acquire() {
      Scratch s = local.get();
      if (s.busy[BUSY] != 0) {
        s = new Scratch(table, maxStringLength);
      }
      s.busy[BUSY] = 1;
      s.report.reset();
      s.sink.reset(s.report);
      return s;
    }

    /** Returns the scratch of a finished request. */
    public void release(Scratch s) {
      s.busy[BUSY] = 0;
    }
  }
}
