package dev.persona.rules.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A line on standard error that a long run updates in place, about once a second: only when the
 * tool runs in a terminal ({@link System#console()}), so that a redirected stderr gets no carriage
 * returns. Not thread-safe.
 */
final class Progress {
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final PrintStream err;
  private final boolean on;
  private final LongSupplier clock;
  private long next;
  private int shown;

  Progress(PrintStream err, boolean on, LongSupplier nanoClock) {
    this.err = err;
    this.on = on;
    this.clock = nanoClock;
    this.next = on ? nanoClock.getAsLong() + INTERVAL_NANOS : Long.MAX_VALUE;
  }

  /**
   * Returns a progress line on {@code err} when the tool runs in a terminal, else one that is off.
   */
  static Progress inTerminal(PrintStream err) {
    return new Progress(err, terminal(), System::nanoTime);
  }

  /**
   * Returns whether the tool runs in a terminal: before Java 22, {@link System#console()} is null
   * unless it does; from 22, it is not null, and {@code Console.isTerminal()} says.
   */
  @SuppressWarnings("SystemConsoleNull") // checked as Java 17 needs, and as 22 allows
  static boolean terminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22: a console is a terminal
    }
  }

  /** Shows {@code text} if a second has passed since the last; cheap otherwise. */
  void show(String text) {
    if (!on) {
      return;
    }
    long now = clock.getAsLong();
    if (now - next < 0) {
      return;
    }
    next = now + INTERVAL_NANOS;
    String line = text.length() > 99 ? text.substring(0, 99) : text;
    err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
    err.flush();
    shown = line.length();
  }

  /** Clears the line, so that what follows starts on a clean one. */
  void done() {
    if (on && shown > 0) {
      err.print("\r" + " ".repeat(shown) + "\r");
      err.flush();
      shown = 0;
    }
  }
}
