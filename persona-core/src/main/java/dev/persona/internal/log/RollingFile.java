package dev.persona.internal.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * A file of lines that rolls by size: when a line would take the file past {@code maxBytes}, the
 * file becomes {@code FILE.1}, {@code FILE.1} becomes {@code FILE.2}, and so on, the oldest beyond
 * {@code maxFiles} files in all deleted; a new {@code FILE} is started. An existing file is
 * appended to. Not thread-safe: one writer thread.
 */
public final class RollingFile implements AutoCloseable {
  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private @Nullable OutputStream out;
  private long size;

  /**
   * @param maxBytes the most bytes of one file, positive; a single longer line gets a file alone
   * @param maxFiles files kept, this one included; at least 1
   */
  public RollingFile(Path file, long maxBytes, int maxFiles) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
  }

  /** Writes one line, {@code bytes} with its line break; rolls first when it does not fit. */
  public void write(byte[] line) throws IOException {
    OutputStream o = open();
    if (size > 0 && size + line.length > maxBytes) {
      roll();
      o = open();
    }
    o.write(line);
    size += line.length;
  }

  /** Hands what is buffered to the operating system. */
  public void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  private OutputStream open() throws IOException {
    OutputStream o = out;
    if (o == null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      o =
          new BufferedOutputStream(
              Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
              1 << 16);
      size = Files.size(file);
      out = o;
    }
    return o;
  }

  private void roll() throws IOException {
    close();
    if (maxFiles <= 1) {
      Files.deleteIfExists(file);
      return;
    }
    Files.deleteIfExists(numbered(maxFiles - 1));
    for (int i = maxFiles - 2; i >= 1; i--) {
      Path from = numbered(i);
      if (Files.exists(from)) {
        Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path numbered(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }

  /** Closes the file; a later write opens it again. */
  @Override
  public void close() throws IOException {
    OutputStream o = out;
    out = null;
    size = 0;
    if (o != null) {
      o.close();
    }
  }
}
