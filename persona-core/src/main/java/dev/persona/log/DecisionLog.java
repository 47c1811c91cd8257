package dev.persona.log;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.Visit;
import dev.persona.internal.experiment.RecentIds;
import dev.persona.internal.log.KeyedHash;
import dev.persona.internal.log.LogLines;
import dev.persona.internal.log.RollingFile;
import dev.persona.internal.report.KnownFailure;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.spi.DecisionListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Writes every decision, and every outcome the engine counts, to a rolling file of JSON lines that
 * {@code persona evaluate} reads: the decision's id and time, keyed hashes of its session and user
 * (never the ids), its rule-set version, scores, lifecycle, stage, each placement's variant, basis,
 * experiment and probability, and the signals it was decided on (format version {@value
 * #FORMAT_VERSION}, in docs/decision-log.md).
 *
 * <pre>{@code
 * byte[] key = Files.readAllBytes(Path.of("/etc/shop/decision-log.key")); // 16 bytes or more
 * DecisionLog log = DecisionLog.builder(Path.of("/var/log/shop/decisions.jsonl"))
 *     .hashKey(key)
 *     .build();
 * PersonaEngine engine = PersonaEngine.builder()
 *     .ruleSet(rules)
 *     .extensions(ExtensionConfig.builder().listener(log).build())
 *     .build();
 * Decision decision = engine.decide(visit);
 * engine.recordOutcome(Outcome.clicked(sessionId, decision.variant("home.hero"))); // logged too
 * }</pre>
 *
 * <p><b>Outcomes.</b> As the engine's listener, the log is told ({@link #onOutcome}) of every
 * outcome the engine counts: those recorded with {@code recordOutcome} and the purchases and adds
 * to cart it credits by itself from {@code purchase} and {@code add_to_cart} events to the
 * exposures before them, each joined to its decision by {@link Outcome#decisionId()}. There is no
 * need to give it those outcomes yourself; {@link #outcome} is for outcomes the engine does not
 * see, such as those of a replay. An outcome with an {@linkplain Outcome#id() id} (every outcome
 * made from a choice has one) is written once however often it reaches the log, through {@link
 * #outcome} or from the engine, while the log remembers its key (the latest {@value
 * #REMEMBERED_KEYS}); its line carries that key, by which {@code persona evaluate} and {@code
 * persona report} count it once across files, instances and restarts. An outcome without an id is
 * written each time.
 *
 * <p><b>Never in the way.</b> Records wait in a bounded queue ({@link Builder#queueCapacity},
 * default 8,192) for the log's own daemon thread, which formats and writes them; {@link
 * #onDecision} and {@link #outcome} only offer, and a record that finds the queue full is dropped
 * and counted in {@link #stats()}. The engine also calls a listener on a thread of its own; a
 * decision it drops there is counted in {@code EngineStats.listenerDrops()}. A failure to write (a
 * full disk) costs the record, counted too, and is logged at most once a minute, by type. The file
 * rolls by size ({@link Builder#maxFileBytes}, default 100 MiB) and at most {@link
 * Builder#maxFiles} files are kept (default 10): {@code FILE}, {@code FILE.1} (the newest rolled),
 * and so on.
 *
 * <p><b>Privacy.</b> Session and user ids are written as HMAC-SHA256 hashes under the {@linkplain
 * Builder#hashKey key} you give (without it, a random key drawn for this log, so that hashes join
 * only within its lifetime). A decision under limited consent ({@code REQUEST_ONLY}) is written
 * without session, user or signals. Outcomes are written with their decision's id, never with the
 * session or the outcome's own id (which may be an order id), only with a keyed hash of that id,
 * kind and placement. The signals are behavioural data under a pseudonym: keep the files as you
 * keep such data, or leave the signals out with {@link Builder#signals(boolean) signals(false)}, at
 * the cost of evaluating other rule sets.
 *
 * <p>Thread-safe: {@link #onDecision} and {@link #outcome} may be called from any number of
 * threads. {@code toString} names the file only.
 *
 * @since 0.5.0
 */
public final class DecisionLog implements DecisionListener, AutoCloseable {
  /** The version of the format written, the {@code "v"} of every line. */
  public static final int FORMAT_VERSION = LogLines.VERSION;

  /** How many keys of outcomes written the log remembers, to write each once. */
  public static final int REMEMBERED_KEYS = 16_384;

  private static final Object STOP = new Object();

  private final Path file;
  private final BlockingQueue<Object> queue;
  private final boolean waitWhenFull;
  private final Duration closeTimeout;
  private final Clock clock;
  private final LogLines lines;
  private final RollingFile out;
  private final Thread thread;
  private final LongAdder decisions = new LongAdder();
  private final LongAdder outcomes = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder repeated = new LongAdder();

  /** The keys of the latest outcomes written; only the writer thread touches it. */
  private final RecentIds written = new RecentIds(REMEMBERED_KEYS, Long.MAX_VALUE, () -> 0L);

  private final ThrottledLog failures =
      new ThrottledLog(LoggerFactory.getLogger("dev.persona.log"), 60_000);
  private final KnownFailure full =
      new KnownFailure("is full; records are dropped and counted in DecisionLog.stats()");
  private volatile boolean closed;

  private DecisionLog(Builder b, byte[] key) {
    this.file = b.file;
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.waitWhenFull = b.waitWhenFull;
    this.closeTimeout = b.closeTimeout;
    this.clock = b.clock;
    this.lines = new LogLines(new KeyedHash(key), b.signals);
    this.out = new RollingFile(b.file, b.maxFileBytes, b.maxFiles);
    this.thread = new Thread(null, this::run, "persona-decision-log", 0, false);
    thread.setDaemon(true);
  }

  /**
   * Returns a builder of a log written to {@code file} (created with its directories when missing,
   * appended to when present).
   *
   * @param file the current file; rolled files are named after it
   * @return a new builder
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * Queues the decision to be written; never blocks (unless built {@linkplain Builder#waitWhenFull
   * waiting}). The visit gives the time ({@link Visit#timestamp()}, else this log's clock now) and
   * the session and user, which are hashed.
   */
  @Override
  public void onDecision(@Nullable Visit visit, Decision decision) {
    Instant t = visit == null ? null : visit.timestamp();
    offer(
        new DecisionItem(
            decision,
            t == null ? clock.instant() : t,
            visit == null ? null : visit.sessionId(),
            visit == null ? null : visit.userId()));
  }

  /**
   * Queues an outcome to be written, at this log's clock's time; never blocks (unless built
   * {@linkplain Builder#waitWhenFull waiting}). It joins its decision by {@link
   * Outcome#decisionId()}: make it from the decision's choice, or give the id with {@link
   * Outcome.Builder#decisionId}. An engine that has this log as its listener tells it of the
   * outcomes it counts already ({@link #onOutcome}): this is for outcomes the engine does not see.
   * One with an id that the log wrote lately is not written again.
   *
   * @param outcome the outcome
   */
  public void outcome(Outcome outcome) {
    outcome(outcome, clock.instant());
  }

  /**
   * Queues an outcome to be written with the time it happened, as a replay of recorded traffic
   * knows it.
   *
   * @param outcome the outcome
   * @param at when it happened
   */
  public void outcome(Outcome outcome, Instant at) {
    offer(
        new OutcomeItem(
            Objects.requireNonNull(outcome, "outcome"), Objects.requireNonNull(at, "at")));
  }

  /**
   * Queues an outcome the engine counted to be written with the time the engine gives it, as {@link
   * #outcome(Outcome, Instant)} does; never blocks (unless built {@linkplain Builder#waitWhenFull
   * waiting}).
   */
  @Override
  public void onOutcome(Outcome outcome, Instant at) {
    outcome(outcome, at);
  }

  private void offer(Object item) {
    if (closed) {
      dropped.increment();
      return;
    }
    if (waitWhenFull) {
      try {
        queue.put(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dropped.increment();
      }
    } else if (!queue.offer(item)) {
      dropped.increment();
      failures.failure("decision log queue", full, "the record was dropped");
    }
  }

  /**
   * Returns how many records were written, dropped and lost to failures so far.
   *
   * @return the counts
   */
  public Stats stats() {
    return new Stats(decisions.sum(), outcomes.sum(), dropped.sum(), failed.sum(), repeated.sum());
  }

  /**
   * Writes what is queued (waiting at most {@link Builder#closeTimeout}), closes the file and stops
   * the thread; what is still queued then, and whatever comes later, is dropped and counted. Close
   * the engine first, so that its listener thread has handed over the last decisions.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.offer(STOP); // when full, the thread stops once it sees closed and the queue empty
    try {
      TimeUnit.NANOSECONDS.timedJoin(thread, closeTimeout.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    ArrayList<Object> left = new ArrayList<>();
    queue.drainTo(left);
    for (Object o : left) {
      if (o != STOP) {
        dropped.increment();
      }
    }
  }

  private void run() {
    try {
      while (true) {
        Object next = queue.take();
        while (next != null) {
          if (next == STOP) {
            return;
          }
          write(next);
          next = queue.poll();
        }
        flush();
        if (closed && queue.isEmpty()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closing: close() counts what is left
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        failures.failure("decision log file", e, "the last records may be lost");
      }
    }
  }

  private void write(Object item) {
    boolean decision = item instanceof DecisionItem;
    String key = null;
    try {
      String line;
      if (item instanceof DecisionItem d) {
        line = lines.decision(d.decision, d.at, d.sessionId, d.userId);
      } else {
        OutcomeItem o = (OutcomeItem) item;
        key = lines.outcomeKey(o.outcome);
        if (key != null && written.contains(key)) {
          repeated.increment();
          return;
        }
        line = lines.outcome(o.outcome, o.at, key);
      }
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      (decision ? decisions : outcomes).increment();
      if (key != null) {
        written.add(key);
      }
    } catch (IOException | RuntimeException e) {
      failed.increment();
      failures.failure("decision log file", e, "the record was not written");
      try {
        out.close(); // the next record opens the file again
      } catch (IOException closing) {
        // already counted
      }
    }
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      failures.failure("decision log file", e, "buffered records may be lost");
    }
  }

  /** Starts the thread of a log built {@linkplain Builder#unstarted unstarted}; for tests. */
  void start() {
    thread.start();
  }

  /** Returns the file's name, nothing of what it holds. */
  @Override
  public String toString() {
    return "DecisionLog{" + file.getFileName() + "}";
  }

  private record DecisionItem(
      Decision decision, Instant at, @Nullable String sessionId, @Nullable String userId) {}

  private record OutcomeItem(Outcome outcome, Instant at) {}

  /**
   * What a {@link DecisionLog} has done so far. Immutable and thread-safe.
   *
   * @param decisions decisions written
   * @param outcomes outcomes written
   * @param dropped records dropped: the queue was full, or the log closed
   * @param failed records that could not be written (an I/O failure)
   * @param repeated outcomes not written because the log had written one with the same key lately
   *     (the same id, kind and placement): given by the caller and told by the engine, or recorded
   *     twice
   * @since 0.5.0
   */
  public record Stats(long decisions, long outcomes, long dropped, long failed, long repeated) {}

  /**
   * Builds a {@link DecisionLog}. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private final Path file;
    private byte @Nullable [] hashKey;
    private long maxFileBytes = 100L << 20;
    private int maxFiles = 10;
    private int queueCapacity = 8_192;
    private boolean signals = true;
    private boolean waitWhenFull;
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Sets the key of the hashes of session and user ids (default: 32 random bytes drawn for this
     * log). Give the same key to every instance and across restarts so that hashes join; keep it
     * secret, as anyone with it can test whether a given id is in the log.
     *
     * @param key 16 bytes or more; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public Builder hashKey(byte[] key) {
      if (key.length < 16) {
        throw new IllegalArgumentException("the hash key must have 16 bytes or more");
      }
      this.hashKey = key.clone();
      return this;
    }

    /**
     * Sets the size at which the file rolls (default 100 MiB).
     *
     * @param bytes positive
     * @return this builder
     */
    public Builder maxFileBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxFileBytes must be positive");
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /**
     * Sets how many files are kept, the current one included (default 10); the oldest is deleted.
     *
     * @param files at least 1
     * @return this builder
     */
    public Builder maxFiles(int files) {
      if (files < 1) {
        throw new IllegalArgumentException("maxFiles must be at least 1");
      }
      this.maxFiles = files;
      return this;
    }

    /**
     * Sets how many records may wait to be written (default 8,192); more are dropped and counted.
     *
     * @param capacity positive
     * @return this builder
     */
    public Builder queueCapacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("queueCapacity must be positive");
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Sets whether decisions carry the signals they were decided on (default true), which {@code
     * persona evaluate} needs to decide them again with another rule set.
     *
     * @param signals false to leave them out
     * @return this builder
     */
    public Builder signals(boolean signals) {
      this.signals = signals;
      return this;
    }

    /**
     * Makes a full queue wait for room instead of dropping (default false): for batch tools such as
     * {@code persona replay}, which call {@link DecisionLog#onDecision} themselves. Never in a
     * server, where it would hold requests up.
     *
     * @param wait true to wait
     * @return this builder
     */
    public Builder waitWhenFull(boolean wait) {
      this.waitWhenFull = wait;
      return this;
    }

    /**
     * Sets how long {@link DecisionLog#close()} waits for the queued records (default 5 s).
     *
     * @param timeout not negative
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative");
      }
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * Sets the clock that times outcomes, and decisions whose visit has no timestamp (default the
     * system's, UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the log and starts its thread; the file is opened with the first record.
     *
     * @return the running log
     */
    public DecisionLog build() {
      DecisionLog log = unstarted();
      log.thread.start();
      return log;
    }

    /** Builds the log without starting its thread: a writer that has stalled, for tests. */
    DecisionLog unstarted() {
      byte[] key = hashKey;
      if (key == null) {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
      }
      return new DecisionLog(this, key);
    }
  }
}
