package dev.persona.rules;

import dev.persona.PersonaEngine;
import dev.persona.rules.internal.RuleFiles;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads an engine's rules when their file changes. A file that does not load is logged with every
 * problem and its position, and the rule set in use keeps serving; decisions never wait for a
 * reload.
 *
 * <pre>{@code
 * Path file = Path.of("/etc/store/rules.json");
 * PersonaEngine engine = PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();
 * RuleFileWatcher watcher = RuleFileWatcher.start(file, engine);   // close() on shutdown
 * }</pre>
 *
 * <p>Watches the file's directory, so editors that save by renaming a temporary file are seen. A
 * file over the size limit is refused before it is read, and a reload that fails in any way, an
 * {@link Error} included, is counted in {@link #failures()} without stopping the watcher; {@link
 * #isRunning()} tells whether it still watches. A health check reads both, with the time and reason
 * of the latest failure, from {@link #stats()}. Thread-safe; runs on one daemon thread until {@link
 * #close()}.
 *
 * @since 0.1.0
 */
public final class RuleFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.rules");
  private static final long SETTLE_MILLIS = 100;

  private final Path file;
  private final PersonaEngine engine;
  private final RuleSetReader reader;
  private final WatchService watcher;
  private final Thread thread;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile byte[] lastLoaded = new byte[0];
  private volatile @Nullable RuntimeException lastFailure;
  private volatile @Nullable Instant lastReloadAt;
  private volatile @Nullable Instant lastFailureAt;
  private volatile @Nullable String lastFailureReason;
  private volatile @Nullable String stopReason;
  private volatile boolean running = true;

  /** Runs between reading the file and compiling it; tests change the file here. */
  volatile Runnable afterRead = () -> {};

  private RuleFileWatcher(Path file, PersonaEngine engine, RuleSetReader reader)
      throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.engine = engine;
    this.reader = reader;
    this.watcher = FileSystems.getDefault().newWatchService();
    Path dir = this.file.getParent();
    dir.register(
        watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    this.thread = new Thread(this::run, "persona-rule-file-watcher");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching {@code file}, reading it with the engine's signals known.
   *
   * @param file the rule file the engine was built from
   * @param engine the engine to reload
   * @return the running watcher
   * @throws UncheckedIOException if the file's directory cannot be watched
   */
  public static RuleFileWatcher start(Path file, PersonaEngine engine) {
    Objects.requireNonNull(engine, "engine");
    return start(file, engine, RuleSetReader.create().withSignals(engine.signals()));
  }

  /**
   * Starts watching {@code file}, reading it with {@code reader}.
   *
   * @param file the rule file
   * @param engine the engine to reload
   * @param reader the reader to read it with
   * @return the running watcher
   * @throws UncheckedIOException if the file's directory cannot be watched
   */
  public static RuleFileWatcher start(Path file, PersonaEngine engine, RuleSetReader reader) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(reader, "reader");
    try {
      RuleFileWatcher w = new RuleFileWatcher(file, engine, reader);
      w.lastLoaded = readQuietly(w.file);
      w.thread.start();
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the file now and reloads the engine if it changed and loads.
   *
   * @return true when the engine now runs the file's rules; false when the file was unchanged or
   *     failed to load (see {@link #lastFailure()})
   */
  public synchronized boolean reloadNow() {
    byte[] bytes;
    try {
      bytes = RuleFiles.readFile(file, file.toString());
    } catch (IOException e) {
      return fail(new UncheckedIOException(e), "cannot read " + file + ": " + e.getMessage());
    } catch (RuleSetException e) {
      return fail(e, e.getMessage());
    }
    if (Arrays.equals(bytes, lastLoaded)) {
      return false;
    }
    afterRead.run();
    try {
      RuleSet rules = reader.read(bytes, file.toString());
      engine.reload(rules);
      lastLoaded = bytes;
      lastFailure = null;
      lastReloadAt = Instant.now();
      reloads.incrementAndGet();
      LOG.info("reloaded rules {} from {}", rules.version(), file);
      return true;
    } catch (RuleSetException e) {
      return fail(e, e.getMessage());
    } catch (RuntimeException e) {
      return fail(e, e.toString());
    }
  }

  private boolean fail(RuntimeException e, String message) {
    lastFailure = e;
    lastFailureAt = Instant.now();
    lastFailureReason = message;
    failures.incrementAndGet();
    LOG.warn("rules in {} not reloaded; the previous rule set keeps serving: {}", file, message);
    return false;
  }

  /**
   * Returns whether the watcher still watches: false after {@link #close()}, and after it stopped
   * on its own (the directory was deleted or unmounted), which it logs as an error. A failing
   * reload does not stop it; it counts in {@link #failures()}.
   *
   * @return true while changes to the file are still seen
   */
  public boolean isRunning() {
    return running;
  }

  /**
   * Returns why the latest reload failed, while the file stays broken.
   *
   * @return the failure, usually a {@link RuleSetException}; null after a good reload
   */
  public @Nullable RuntimeException lastFailure() {
    return lastFailure;
  }

  /**
   * Returns what the watcher did since it started, for a health check: whether it runs (and why it
   * stopped, if on its own), its reloads and failed reloads with the time of the latest of each,
   * the latest failure's reason, and whether the file in place fails to load. Does not wait for a
   * reload under way.
   *
   * @return a snapshot
   * @since 0.5.0
   */
  public WatcherStats stats() {
    WatcherStats.Builder b =
        WatcherStats.builder()
            .reloads(reloads.get(), lastReloadAt)
            .failures(failures.get(), lastFailureAt, lastFailureReason, lastFailure != null);
    return running ? b.build() : b.stopped(stopReason).build();
  }

  /**
   * Returns how many reloads succeeded.
   *
   * @return the count
   */
  public long reloads() {
    return reloads.get();
  }

  /**
   * Returns how many reloads failed.
   *
   * @return the count
   */
  public long failures() {
    return failures.get();
  }

  /** Stops watching; the engine keeps its current rules. */
  @Override
  public void close() {
    running = false;
    try {
      watcher.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service failed", e);
    }
    thread.interrupt();
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          Object changed = event.context();
          ours |=
              event.kind() == StandardWatchEventKinds.OVERFLOW
                  || (changed instanceof Path p && file.getFileName().equals(p));
        }
        if (!key.reset()) {
          stopped("the directory of " + file + " can no longer be watched");
          return;
        }
        if (ours) {
          settle();
          reloadSurviving();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      stopped(e.toString());
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    } finally {
      running = false;
    }
  }

  /** Reloads; any throwable, an {@link Error} included, counts as a failed reload. */
  private void reloadSurviving() {
    try {
      reloadNow();
    } catch (Throwable t) {
      synchronized (this) {
        fail(new IllegalStateException("reloading failed: " + t, t), t.toString());
      }
    }
  }

  private void stopped(String why) {
    stopReason = why;
    running = false;
    LOG.error("the rule-file watcher of {} stopped; changes are no longer reloaded: {}", file, why);
  }

  /** Waits until writes to the directory pause, so a file is read once it is complete. */
  private void settle() throws InterruptedException {
    WatchKey more;
    while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
      more.pollEvents();
      more.reset();
    }
  }

  private static byte[] readQuietly(Path file) {
    try {
      return RuleFiles.readFile(file, file.toString());
    } catch (IOException | RuleSetException e) {
      return new byte[0];
    }
  }
}
