package dev.persona.rules.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most a given length, so that one huge line cannot take all the memory: the rest
 * of a longer line is skipped and the line is reported {@linkplain #tooLong() too long}. Lines end
 * at {@code \n}; a {@code \r} before it and a byte-order mark at the start are dropped.
 *
 * <p>Not thread-safe.
 */
final class LineReader implements Closeable {
  private final Reader in;
  private final int maxLength;
  private final char[] buffer = new char[64 * 1024];
  private final StringBuilder line = new StringBuilder(512);
  private int pos;
  private int end;
  private long number;
  private boolean tooLong;

  LineReader(Reader in, int maxLength) {
    this.in = in;
    this.maxLength = maxLength;
  }

  /**
   * Returns the next line without its terminator, or null at the end of input. A line beyond the
   * maximum length comes back empty with {@link #tooLong()} true.
   *
   * @throws IOException if the input cannot be read
   */
  String next() throws IOException {
    line.setLength(0);
    tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == end) {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
          pos = 0;
          end = 0;
          if (!any) {
            return null;
          }
          break;
        }
        pos = 0;
        end = n;
      }
      any = true;
      int start = pos;
      while (pos < end && buffer[pos] != '\n') {
        pos++;
      }
      append(start, pos);
      if (pos < end) {
        pos++;
        break;
      }
    }
    number++;
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') {
      line.setLength(n - 1);
    }
    if (number == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') {
      line.deleteCharAt(0);
    }
    return line.toString();
  }

  private void append(int from, int to) {
    if (tooLong) {
      return;
    }
    if (line.length() + (to - from) > maxLength) {
      tooLong = true;
      line.setLength(0);
      line.trimToSize();
    } else {
      line.append(buffer, from, to - from);
    }
  }

  /** Returns the 1-based number of the line last returned. */
  long number() {
    return number;
  }

  /** Returns whether the line last returned was longer than the maximum and was skipped. */
  boolean tooLong() {
    return tooLong;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
