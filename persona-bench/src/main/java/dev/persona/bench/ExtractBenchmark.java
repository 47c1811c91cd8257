package dev.persona.bench;

import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.internal.context.DeviceExtractor;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.spi.SignalSink;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building session state from one request. Contextual extraction: the device extractor ({@code
 * device}, {@code os}, {@code browser}, {@code app}) on one visit, with a User-Agent seen before (a
 * cache hit) and with User-Agents never seen before (a rotation of 4,096 distinct real-world
 * strings through an extractor built without a cache, so every call classifies: common browsers,
 * and the long tail, whose Android models go through the model rules). Implicit signals: the
 * session update for one event ({@link SessionUpdate#apply}: decay every counter and affinity to
 * now, count a product view with its category and brand), on a session that has seen twenty events.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar ExtractBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExtractBenchmark {

  private static final ZonedDateTime NOON =
      ZonedDateTime.of(2025, 6, 5, 12, 0, 0, 0, ZoneOffset.UTC);

  /** Real User-Agent shapes; {@code %d} takes a version number to make each string distinct. */
  private static final String[] TEMPLATES = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Version/18.6 Mobile/15E148 Safari/%d.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/%d.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/%d.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/17.5 Safari/%d.1.15",
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/%d.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; arm_64; Android 12; TGR-W09) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/124.0.%d.508 YaSearchBrowser/24.65/apad BroPP/1.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Mobile/15E148 Instagram 334.0.4.%d.98 (iPhone15,2; iOS 17_5; en_US; en)",
    "Mozilla/5.0 (compatible; Googlebot/2.%d; +http://www.google.com/bot.html)",
  };

  /**
   * Long-tail shapes: Android models that no rule knows (every model rule is tried), a tablet line,
   * an app's Dalvik client, a TV, a Fire TV, an old Internet Explorer.
   */
  private static final String[] LONG_TAIL_TEMPLATES = {
    "Mozilla/5.0 (Linux; Android 8.1.0; BIOWOLF%dF30) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/74.0.3729.136 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; U; Android 4.2.2; fr-fr; Numy 3G AX%dt Build/JDQ39) AppleWebKit/534.30"
        + " (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
    "Dalvik/2.1.0 (Linux; U; Android 9; HT-%dXS Build/PPR1.181005.003)",
    "Mozilla/5.0 (Linux; Android 11; Redmi Note %d Pro Build/RKQ1.200826.002)"
        + " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " %d.0.3809.146/6.0 TV Safari/537.36",
    "Mozilla/5.0 (Linux; Android 9; AFTMM) AppleWebKit/537.36 (KHTML, like Gecko) Silk/%d.2.3"
        + " like Chrome/120.0.6099.230 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; M%dL Pro) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/114.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0; LEN%d)",
  };

  private static final int DISTINCT = 4096;

  /** Keeps what was emitted last, so the benchmarks can return it. */
  private static final class LastValueSink implements SignalSink {
    private Object last;

    @Override
    public void text(String key, String value) {
      last = value;
    }

    @Override
    public void number(String key, double value) {
      last = value;
    }

    @Override
    public void flag(String key, boolean value) {
      last = value;
    }
  }

  private static final String[] CATEGORIES = {"shoes", "kitchen", "toys", "garden", "books"};
  private static final String[] BRANDS = {"acme", "globex", "initech", "umbrella"};

  private final LastValueSink sink = new LastValueSink();
  private final SessionUpdate sessionUpdate =
      new SessionUpdate(
          Duration.ofHours(1).toMillis(),
          Limits.defaults().maxAffinityKeys(),
          Limits.defaults().maxDeclaredKeys(),
          Limits.defaults().maxSetSize(),
          60_000);
  private SessionData session;
  private Activity productView;
  private DeviceExtractor cached;
  private DeviceExtractor uncached;
  private Visit seen;
  private Visit[] unseen;
  private Visit[] unseenLongTail;
  private int next;
  private int nextLongTail;

  /** Builds the extractors and the visits. */
  @Setup
  public void setUp() {
    cached = new DeviceExtractor(512, 10_000);
    uncached = new DeviceExtractor(512, 0);
    seen = visit(String.format(TEMPLATES[0], 604));
    cached.extract(seen, NOON, sink);
    unseen = new Visit[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      String template = TEMPLATES[i % TEMPLATES.length];
      unseen[i] = visit(String.format(template, 100 + i / TEMPLATES.length));
    }
    unseenLongTail = new Visit[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      String template = LONG_TAIL_TEMPLATES[i % LONG_TAIL_TEMPLATES.length];
      unseenLongTail[i] = visit(String.format(template, 100 + i / LONG_TAIL_TEMPLATES.length));
    }
    long t = NOON.toInstant().toEpochMilli();
    for (int i = 0; i < 20; i++) {
      t += 30_000;
      session =
          sessionUpdate.apply(
              session, oneEvent(t, Counter.PRODUCT_VIEWS, CATEGORIES[i % 5], BRANDS[i % 4]));
    }
    productView = oneEvent(t + 30_000, Counter.PRODUCT_VIEWS, "shoes", "acme");
  }

  private static Activity oneEvent(long at, Counter counter, String category, String brand) {
    return new Activity(
        at,
        new int[] {1 << counter.ordinal()},
        new long[] {at},
        new String[] {category},
        new String[] {brand},
        new int[] {0},
        new String[] {"sku-" + (at % 50)},
        new double[] {0},
        Map.of());
  }

  /** A User-Agent classified before: one cache hit plus the client-hint checks. */
  @Benchmark
  public Object deviceCachedUserAgent() {
    cached.extract(seen, NOON, sink);
    return sink.last;
  }

  /** A User-Agent never seen before: the full classification. */
  @Benchmark
  public Object deviceUnseenUserAgent() {
    int i = next;
    next = i + 1 == DISTINCT ? 0 : i + 1;
    uncached.extract(unseen[i], NOON, sink);
    return sink.last;
  }

  /** A long-tail User-Agent never seen before: the full classification, model rules included. */
  @Benchmark
  public Object deviceUnseenLongTailUserAgent() {
    int i = nextLongTail;
    nextLongTail = i + 1 == DISTINCT ? 0 : i + 1;
    uncached.extract(unseenLongTail[i], NOON, sink);
    return sink.last;
  }

  /** One event's update of a session's counters and affinities. */
  @Benchmark
  public SessionData sessionUpdatePerEvent() {
    return sessionUpdate.apply(session, productView);
  }

  private static Visit visit(String userAgent) {
    return Visit.builder("s")
        .header("User-Agent", userAgent)
        .header("Accept-Language", "en-US,en;q=0.9")
        .build();
  }
}
