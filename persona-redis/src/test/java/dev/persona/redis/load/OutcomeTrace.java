package dev.persona.redis.load;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.Visit;
import dev.persona.config.ExtensionConfig;
import dev.persona.spi.DecisionListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcomes an instance's engine counted, one line each, written by a listener when the load
 * test runs with {@code -Dpersona.load.traceOutcomes=true} ({@link #PROPERTY}) and read back by the
 * test to tell which credits are missing from the statistics ({@link CreditCheck}). A line: kind,
 * session, placement, variant, segment, id, value, the outcome's time and the time it was told, tab
 * separated. The listener is called on the engine's listener thread only; reading is done by the
 * test thread.
 */
final class OutcomeTrace implements DecisionListener {
  /** The test's system property that turns the trace on. */
  static final String PROPERTY = "persona.load.traceOutcomes";

  /** The end of a trace file's name, next to the instance's log. */
  static final String SUFFIX = "-outcomes.tsv";

  private final BufferedWriter out;

  private OutcomeTrace(BufferedWriter out) {
    this.out = out;
  }

  /** Returns the extensions of an engine whose counted outcomes are written to {@code file}. */
  static ExtensionConfig to(Path file) {
    try {
      BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      return ExtensionConfig.builder()
          .listener(new OutcomeTrace(w))
          .listenerQueueCapacity(1 << 20)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onDecision(@Nullable Visit visit, Decision decision) {}

  @Override
  public void onOutcome(Outcome o, Instant at) {
    try {
      out.write(
          String.join(
              "\t",
              o.kind().name(),
              o.sessionId(),
              o.placement(),
              o.variant(),
              o.segment() == null ? "" : o.segment(),
              o.id() == null ? "" : o.id(),
              Double.toString(o.value()),
              Long.toString(at.toEpochMilli()),
              Long.toString(System.currentTimeMillis())));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of a trace. */
  record Line(
      Outcome.Kind kind,
      String session,
      String placement,
      String variant,
      String segment,
      String id,
      double value,
      long atMillis,
      long toldMillis) {}

  /** Reads a trace; empty when there is none. */
  static List<Line> read(Path file) throws IOException {
    List<Line> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = l.split("\t", -1);
      if (f.length != 9) {
        continue; // a line being written
      }
      out.add(
          new Line(
              Outcome.Kind.valueOf(f[0]),
              f[1],
              f[2],
              f[3],
              f[4],
              f[5],
              Double.parseDouble(f[6]),
              Long.parseLong(f[7]),
              Long.parseLong(f[8])));
    }
    return out;
  }
}
