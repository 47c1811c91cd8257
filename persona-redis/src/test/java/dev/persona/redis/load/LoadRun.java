package dev.persona.redis.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Client threads playing shoppers against two instances for a while: each thread plays one shopper
 * after another, each shopper's requests alternating between the instances, and records what it
 * sent (per {@link Shopper}), the statistics its outcomes must add up to, every error, the flags
 * and the signals of every decision, and each request's latency. Checks each decision as it comes
 * for the use of erased state; what the shared state holds at the end is checked by {@link
 * TwoInstanceLoadTest}. Used from one test thread; its client threads each keep their own tally.
 */
final class LoadRun {
  /** The width of the time slices decisions are counted in. */
  static final long SLICE_MILLIS = 100;

  private final String name;
  private final int[] ports;
  private final int threads;
  private final long millis;
  private final long seed;
  private final ExecutorService pool;
  private final List<Future<Tally>> futures = new ArrayList<>();
  private long startMillis;

  LoadRun(String name, int[] ports, int threads, long millis, long seed) {
    this.name = name;
    this.ports = ports.clone();
    this.threads = threads;
    this.millis = millis;
    this.seed = seed;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** Starts the client threads; they stop after the run's time. */
  void start() {
    startMillis = System.currentTimeMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> new Client(thread, deadline).play()));
    }
  }

  /** Waits for the client threads and returns what they did, merged. */
  Tally await() throws InterruptedException, ExecutionException, TimeoutException {
    Tally all = new Tally(startMillis, slices());
    for (Future<Tally> f : futures) {
      all.add(f.get(millis + 300_000, TimeUnit.MILLISECONDS));
    }
    pool.shutdown();
    return all;
  }

  private int slices() {
    return (int) (millis / SLICE_MILLIS) + 600;
  }

  /** What the client threads did and sent; one per thread, merged at the end. */
  static final class Tally {
    final long startMillis;
    final List<Shopper> shoppers = new ArrayList<>();
    long requests;
    long decisions;
    long degraded;
    long errors;
    final Map<String, Long> errorKinds = new TreeMap<>();
    final Map<Shopper.Erasure, Long> erasures = new TreeMap<>();
    long decisionsAfterErasure;

    /** When each {@code forgetUser} answered with no session erased was sent (epoch millis). */
    final List<Long> forgetUserErasedNothing = new ArrayList<>();

    /**
     * Decisions that used state erased before them. An erasure is reported failed on an error, or
     * {@code STORE_FAILED} on the {@code Sec-GPC} decision.
     */
    final List<ErasedUse> erasedStateUses = new ArrayList<>();

    /** Decisions of never-erased sessions whose {@code requests} exceeded the visits sent. */
    long overCounted;

    /** Decisions and degraded decisions per {@link #SLICE_MILLIS} since the start. */
    final long[] decisionsBySlice;

    final long[] degradedBySlice;
    final Samples decideNanos = new Samples();
    final Samples otherNanos = new Samples();

    /** The statistics the outcomes sent must add up to, by placement, variant and segment. */
    final Map<String, double[]> expectedStats = new HashMap<>();

    /** Each credit the engine must make of an add to cart or purchase, for the report. */
    final List<ExpectedCredit> credits = new ArrayList<>();

    Tally(long startMillis, int slices) {
      this.startMillis = startMillis;
      this.decisionsBySlice = new long[slices];
      this.degradedBySlice = new long[slices];
    }

    void add(Tally t) {
      shoppers.addAll(t.shoppers);
      credits.addAll(t.credits);
      requests += t.requests;
      decisions += t.decisions;
      degraded += t.degraded;
      errors += t.errors;
      t.errorKinds.forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
      t.erasures.forEach((k, v) -> erasures.merge(k, v, Long::sum));
      decisionsAfterErasure += t.decisionsAfterErasure;
      forgetUserErasedNothing.addAll(t.forgetUserErasedNothing);
      erasedStateUses.addAll(t.erasedStateUses);
      overCounted += t.overCounted;
      for (int i = 0; i < decisionsBySlice.length; i++) {
        decisionsBySlice[i] += t.decisionsBySlice[i];
        degradedBySlice[i] += t.degradedBySlice[i];
      }
      decideNanos.addAll(t.decideNanos);
      otherNanos.addAll(t.otherNanos);
      t.expectedStats.forEach(
          (k, v) ->
              expectedStats.merge(
                  k,
                  v.clone(),
                  (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                      a[i] += b[i];
                    }
                    return a;
                  }));
    }

    /** Returns the share of decisions flagged degraded between two times, in epoch millis. */
    double degradedShare(long fromMillis, long toMillis) {
      long d = 0;
      long g = 0;
      for (int i = 0; i < decisionsBySlice.length; i++) {
        long at = startMillis + i * SLICE_MILLIS;
        if (at >= fromMillis && at < toMillis) {
          d += decisionsBySlice[i];
          g += degradedBySlice[i];
        }
      }
      return d == 0 ? Double.NaN : (double) g / d;
    }

    /** Returns the statistics key of a placement, variant and segment. */
    static String statsKey(String placement, String variant, @Nullable String segment) {
      return placement + "|" + variant + "|" + (segment == null ? "" : segment);
    }

    private void expect(String placement, Shopper.Exposure e, int kind, double value) {
      double[] counts =
          expectedStats.computeIfAbsent(
              statsKey(placement, e.variant(), e.segment()), k -> new double[5]);
      counts[kind]++;
      counts[4] += value;
    }
  }

  /**
   * A credit the engine must make: a visit's add to cart or purchase (its {@code n}th visit, sent
   * to {@code visitInstance} at {@code visitMillis}, the decision's flags) to a placement's last
   * exposure before it. Filled by one client thread.
   */
  static final class ExpectedCredit {
    final String session;
    final String placement;
    final Shopper.Exposure exposure;
    final boolean purchase;
    final double value;
    final int visit;
    final int visitInstance;
    final long visitMillis;
    final int epoch;
    final int visitRequest;
    String visitFlags = "?";

    ExpectedCredit(
        String session,
        String placement,
        Shopper.Exposure exposure,
        boolean purchase,
        double value,
        int visit,
        int visitInstance,
        long visitMillis,
        int epoch,
        int visitRequest) {
      this.session = session;
      this.placement = placement;
      this.exposure = exposure;
      this.purchase = purchase;
      this.value = value;
      this.visit = visit;
      this.visitInstance = visitInstance;
      this.visitMillis = visitMillis;
      this.epoch = epoch;
      this.visitRequest = visitRequest;
    }

    /**
     * Returns whether the engine must make this credit. One whose session was erased later is made
     * only if the visit's change and the exposure's both reached the session in Redis before the
     * erasure landed: an erasure drops the changes an instance received before it and had not
     * written yet, and with them the exposures and conversions they carry, credited or not (as
     * docs/experiments.md and docs/redis.md say). The client knows they did when a decision on each
     * one's instance, from the visit itself on and after the exposure, was not degraded before the
     * erasure was sent: that decision's write carried what waited for the session there.
     */
    boolean certain(Shopper s) {
      if (s.epoch == epoch) {
        return true; // never erased since
      }
      return s.landed(visitRequest, visitInstance, true, s.erasedRequest)
          && s.landed(exposure.request(), exposure.instance(), false, s.erasedRequest);
    }
  }

  /** Latencies in nanoseconds; percentiles by sorting. Not thread-safe. */
  static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    void addAll(Samples other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    }

    int size() {
      return size;
    }

    /** Returns the {@code p}th percentile in milliseconds, or NaN when empty. */
    double percentileMillis(double p) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int at = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100 * size) - 1));
      return sorted[at] / 1e6;
    }
  }

  /** One client thread. */
  private final class Client {
    private final int thread;
    private final long deadline;
    private final Random random;
    private final HttpLink[] links;
    private final Tally tally = new Tally(startMillis, slices());

    Client(int thread, long deadline) {
      this.thread = thread;
      this.deadline = deadline;
      this.random = new Random(seed * 1_000_003L + thread);
      this.links = new HttpLink[] {new HttpLink(ports[0]), new HttpLink(ports[1])};
    }

    Tally play() {
      try {
        for (int n = 0; System.nanoTime() < deadline; n++) {
          Shopper s = new Shopper(name + "-" + thread + "-" + n, random);
          tally.shoppers.add(s);
          for (int a = 0; a < s.actions && System.nanoTime() < deadline; a++) {
            if (a == s.erasureAt) {
              erase(s, a);
            } else {
              visit(s, a);
            }
          }
        }
      } finally {
        links[0].close();
        links[1].close();
      }
      return tally;
    }

    private void visit(Shopper s, int action) {
      Form visit = new Form().add("session", s.sessionId).add("user", s.userAt(action));
      if (s.grants) {
        visit.add("consent", "granted"); // after a withdrawal: stored again from this visit on
        s.grants = false;
      }
      List<String> events = s.events(true);
      events.forEach(e -> visit.add("event", e));
      s.visits++;
      int made = tally.credits.size();
      attribute(s, events);
      int request = s.nextRequest();
      int instance = s.peekInstance();
      long sent = System.currentTimeMillis();
      Form answer = send(s, "/decide", visit, false);
      if (answer == null) {
        return;
      }
      decided(answer);
      s.decisions.add(new int[] {request, instance, degraded(answer) ? 1 : 0});
      for (int i = made; i < tally.credits.size(); i++) {
        tally.credits.get(i).visitFlags = String.valueOf(answer.first("flags"));
      }
      long requests = answer.number("requests", -1);
      boolean erasedUsed = false;
      if (requests > s.visits) {
        if (s.epoch > 0) {
          erasedUsed = true;
        } else {
          tally.overCounted++;
        }
      }
      List<String> erasedProducts = new ArrayList<>();
      String recent = answer.first("recent");
      if (recent != null && !recent.isEmpty()) {
        for (String product : recent.split(",", -1)) {
          if (s.erasedProduct(product)) {
            erasedProducts.add(product.substring(0, product.indexOf('-')));
          }
        }
      }
      erasedUsed |= !erasedProducts.isEmpty();
      if (s.epoch > 0) {
        tally.decisionsAfterErasure++;
        if (erasedUsed) {
          long before = s.answeredBeforeErasure[instance];
          tally.erasedStateUses.add(
              new ErasedUse(
                  ErasedUse.hash(s.sessionId),
                  s.erasure,
                  s.erasedOn,
                  instance,
                  s.erasedAtMillis,
                  s.erasureMillis,
                  s.erasureFailed,
                  sent,
                  System.currentTimeMillis(),
                  request - s.erasedRequest,
                  before == 0 ? -1 : s.erasedAtMillis - before,
                  s.degradedBeforeErasure(instance),
                  String.format(
                      Locale.ROOT,
                      "visits %d of %d sent since, erased products %d of %d recent (epochs %s, now"
                          + " e%d)",
                      requests,
                      s.visits,
                      erasedProducts.size(),
                      recent == null || recent.isEmpty() ? 0 : recent.split(",", -1).length,
                      new TreeSet<>(erasedProducts),
                      s.epoch),
                  String.valueOf(answer.first("flags"))));
        }
      }
      outcomes(s, answer);
    }

    /** Credits the visit's adds to cart and purchases to each exposure, as the engine does. */
    private void attribute(Shopper s, List<String> events) {
      long now = System.currentTimeMillis();
      for (String e : events) {
        String[] parts = e.split(",", -1);
        boolean purchase = parts[0].equals("purchase");
        if (purchase || parts[0].equals("add_to_cart")) {
          double value = purchase ? Double.parseDouble(parts[3]) : 0;
          s.exposures.forEach(
              (p, x) -> {
                tally.expect(p, x, purchase ? 3 : 2, value);
                tally.credits.add(
                    new ExpectedCredit(
                        s.sessionId,
                        p,
                        x,
                        purchase,
                        value,
                        s.visits,
                        s.peekInstance(),
                        now,
                        s.epoch,
                        s.nextRequest()));
              });
        }
      }
    }

    /**
     * Reports some of the decision's variants as shown, clicked or bought, as a storefront would.
     */
    private void outcomes(Shopper s, Form decision) {
      List<String> placements = new ArrayList<>();
      for (Map.Entry<String, String> p : decision.pairs()) {
        if (p.getKey().startsWith("v.")) {
          placements.add(p.getKey().substring(2));
        }
      }
      if (!placements.isEmpty() && random.nextInt(100) < 30) {
        String p = placements.get(random.nextInt(placements.size()));
        Shopper.Exposure e =
            new Shopper.Exposure(
                decision.first("v." + p),
                decision.first("s." + p),
                decision.first("t." + p) != null, // the page carries its choice's tracking
                s.peekInstance(),
                System.currentTimeMillis(),
                s.nextRequest());
        s.exposures.put(p, e);
        outcome(s, "EXPOSURE", p, e, 0, 0);
      }
      if (!s.exposures.isEmpty() && random.nextInt(100) < 10) {
        String p = pick(s);
        outcome(s, "CLICK", p, s.exposures.get(p), 1, 0);
      }
      if (!s.exposures.isEmpty() && random.nextInt(100) < 3) {
        String p = pick(s);
        outcome(s, "PURCHASE", p, s.exposures.get(p), 3, 10 + random.nextInt(191));
      }
    }

    private String pick(Shopper s) {
      List<String> exposed = new ArrayList<>(s.exposures.keySet());
      return exposed.get(random.nextInt(exposed.size()));
    }

    private void outcome(
        Shopper s, String kind, String placement, Shopper.Exposure e, int index, double value) {
      tally.expect(placement, e, index, value);
      send(
          s,
          "/outcome",
          new Form()
              .add("session", s.sessionId)
              .add("kind", kind)
              .add("placement", placement)
              .add("variant", e.variant())
              .add("segment", e.segment())
              .add("tracked", e.tracked() ? 1 : null)
              .add("value", value == 0 ? null : value),
          false);
    }

    private void erase(Shopper s, int action) {
      long[] answeredBefore = s.answeredMillis.clone();
      long at = System.currentTimeMillis();
      s.erasedOn = s.peekInstance();
      s.erasedRequest = s.nextRequest();
      tally.erasures.merge(s.erasure, 1L, Long::sum);
      Form answer;
      boolean failed;
      switch (s.erasure) {
        case FORGET:
          answer = send(s, "/forget", new Form().add("session", s.sessionId), false);
          failed = answer == null;
          break;
        case FORGET_USER:
          answer = send(s, "/forgetUser", new Form().add("user", s.userId), false);
          failed = answer == null;
          if (answer != null && answer.number("erased", -1) == 0) {
            tally.forgetUserErasedNothing.add(at);
          }
          break;
        case GPC:
        case WITHDRAW:
          Form visit = new Form().add("session", s.sessionId).add("user", s.userAt(action));
          boolean gpc = s.erasure == Shopper.Erasure.GPC;
          if (!gpc) {
            visit.add("consent", "denied");
            s.grants = true;
          }
          s.events(false).forEach(e -> visit.add("event", e));
          answer = send(s, "/decide", visit, gpc);
          failed = answer == null || answer.first("flags").contains("STORE_FAILED");
          if (answer != null) {
            decided(answer);
          }
          break;
        default:
          throw new AssertionError(s.erasure);
      }
      s.erased(at, failed, answeredBefore);
    }

    private void decided(Form answer) {
      long now = System.currentTimeMillis();
      int slice =
          (int) Math.min(tally.decisionsBySlice.length - 1, (now - startMillis) / SLICE_MILLIS);
      tally.decisions++;
      tally.decisionsBySlice[slice]++;
      if (degraded(answer)) {
        tally.degraded++;
        tally.degradedBySlice[slice]++;
      }
    }

    private static boolean degraded(Form answer) {
      String flags = answer.first("flags");
      return flags != null && flags.contains("STORE_DEGRADED");
    }

    /** Sends a request to the shopper's next instance; returns its answer, or null on an error. */
    private @Nullable Form send(Shopper s, String path, Form body, boolean gpc) {
      int instance = s.nextInstance();
      tally.requests++;
      if (s.firstRequestMillis == 0) {
        s.firstRequestMillis = System.currentTimeMillis();
      }
      long start = System.nanoTime();
      try {
        HttpLink.Answer answer = links[instance].send("POST", path, body, gpc);
        (path.equals("/decide") ? tally.decideNanos : tally.otherNanos)
            .add(System.nanoTime() - start);
        if (answer.status() != 200) {
          error(path + " " + answer.status() + " " + answer.form().first("error"));
          return null;
        }
        s.answeredMillis[instance] = System.currentTimeMillis();
        return answer.form();
      } catch (IOException | RuntimeException e) {
        error(path + " " + e.getClass().getName());
        return null;
      } finally {
        s.lastRequestMillis = System.currentTimeMillis();
      }
    }

    private void error(String kind) {
      tally.errors++;
      tally.errorKinds.merge(kind, 1L, Long::sum);
    }
  }

  @Override
  public String toString() {
    return "LoadRun{" + name + ", " + threads + " threads, " + millis + " ms}";
  }
}
