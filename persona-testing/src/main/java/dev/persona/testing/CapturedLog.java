package dev.persona.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the engine logs while a piece of code runs. The tests' slf4j-simple writes every
 * line, down to DEBUG, to {@code System.err} as it is at the time (each module's test resources
 * hold a simplelogger.properties that says so). Shared by the tests of every package; not
 * thread-safe, as {@code System.err} is one for all.
 */
public final class CapturedLog {
  private CapturedLog() {}

  /** Runs {@code run} and returns every line logged meanwhile. */
  public static String during(Runnable run) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Returns how many times {@code text} occurs in {@code log}. */
  public static int count(String log, String text) {
    int n = 0;
    for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }
}
