package dev.persona.redis.load;

import dev.persona.VariantStats;
import dev.persona.redis.RedisStatsStore;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;
import dev.persona.testing.RedisServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's load test: two storefront instances, each a {@link StorefrontInstance} in a JVM of its
 * own with the library's defaults, on one real redis-server; 32 client threads play shoppers whose
 * requests alternate between the instances (views with categories, adds to cart, purchases,
 * outcomes), and some of whom are erased mid-run ({@code forget}, {@code forgetUser}, {@code
 * Sec-GPC: 1}, or a declared {@code consent=denied} granted again on the next visit, on either
 * instance; {@code -Dpersona.load.withdraw=false} leaves that one out) and go on shopping. Then
 * every session's raw totals in Redis must be what was sent (nothing lost, nothing counted twice),
 * the statistics in Redis what the outcomes add up to, no decision may have used erased state and
 * no erased state may be back in Redis, and no request may have failed. The second scenario kills
 * Redis (SIGKILL) for 10 s mid-run and restarts it empty on the same port. Each prints a summary,
 * also written to {@code target/load-test/}.
 *
 * <p>The short run puts 4 s of load on each scenario: the second's 2 s before the outage, 10 s
 * during it and 2 s after. {@code -Dpersona.load.seconds=300} runs longer (the second scenario then
 * runs half of it before the outage and 5 s after), {@code -Dpersona.load.threads} sets the client
 * threads (32), {@code -Dpersona.load.seed} the shoppers' random seed, and {@code
 * -Dpersona.load.commandTimeoutMillis} the instances' command timeout instead of the default;
 * {@code -Dpersona.load.cluster=true} runs both on a Redis Cluster of three masters started for it
 * ({@code RedisCluster}), of which the second scenario kills and restarts one master:
 *
 * <pre>
 * mvn -B -ntp -pl persona-redis -am test -Dtest=TwoInstanceLoadTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dpersona.load.seconds=300
 * </pre>
 *
 * The statistics must hold every outcome sent and every credit of an add to cart or purchase to the
 * exposure before it, but for credits made before their session's erasure whose changes may not
 * have reached Redis before it landed: the erasure drops them ({@link
 * LoadRun.ExpectedCredit#certain}); those may be missing, and are reported. {@code
 * -Dpersona.load.traceOutcomes=true} lists, per session, the credits missing or extra ({@link
 * CreditCheck}).
 *
 * <p>Both short scenarios run with every build; the long ones on demand (the command above).
 */
final class TwoInstanceLoadTest {
  private static final int THREADS = Integer.getInteger("persona.load.threads", 32);
  private static final long SECONDS = Long.getLong("persona.load.seconds", 4);
  private static final long SEED = Long.getLong("persona.load.seed", 16);
  private static final long OUTAGE_MILLIS = 10_000;

  /**
   * How many reads a second apart must find nothing changed before state that differs from what was
   * sent is taken as final: writes an instance still retries may land meanwhile.
   */
  private static final int SETTLED_ROUNDS = 2;

  /** The sessions each instance keeps locally by default: all of a run's, up to this many. */
  private static final int NEAR_CACHE_SIZE = 10_000;

  /** The data-loss canaries' keys: {@code {alive}}, and on a cluster {@code {alive:N}}. */
  private static final Pattern CANARY = Pattern.compile("\\{alive(:[0-9]+)?}$");

  private static final boolean CLUSTER = Boolean.getBoolean(StorefrontInstance.CLUSTER_PROPERTY);

  private static LocalRedis redis;
  private static final List<InstanceProcess> instances = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    redis = CLUSTER ? RedisCluster.start(3) : RedisServer.start();
    Path dir = outputDir();
    List<Process> forked = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Files.deleteIfExists(dir.resolve("instance-" + i + OutcomeTrace.SUFFIX)); // an earlier run's
      forked.add(InstanceProcess.fork(redis.uri(), dir.resolve("instance-" + i + ".log")));
    }
    for (int i = 0; i < 2; i++) {
      instances.add(InstanceProcess.ready(forked.get(i), dir.resolve("instance-" + i + ".log")));
    }
  }

  @AfterAll
  static void stop() {
    for (InstanceProcess i : instances) {
      i.close();
    }
    instances.clear();
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void alternatingShoppers_sharedStateIsExact() throws Exception {
    clearButCanary();
    LoadRun run = new LoadRun("steady", ports(), THREADS, SECONDS * 1000, SEED);
    run.start();
    LoadRun.Tally t = run.await();
    long end = System.currentTimeMillis();

    Sessions sessions = compare(readSessions(t.shoppers), s -> true);
    Stats stats = checkStats(t);
    StringBuilder out = new StringBuilder();
    header(out, "steady", t, end);
    summary(out, t, sessions);
    out.append(
        String.format(
            Locale.ROOT,
            "  STORE_DEGRADED: %.1f%% of decisions (first 2 s %.1f%%, after %.1f%%)%n",
            100.0 * t.degraded / t.decisions,
            100 * t.degradedShare(t.startMillis, t.startMillis + 2000),
            100 * t.degradedShare(t.startMillis + 2000, end)));
    out.append(stats.text);
    out.append(CreditCheck.report(t, traces()));
    footer(out, t, end);
    report("steady", out);

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(t.errors).as("errors to callers: %s", t.errorKinds).isZero();
    soft.assertThat(sessions.lostEvents).as("events lost").isZero();
    soft.assertThat(sessions.doubleEvents).as("events counted twice").isZero();
    soft.assertThat(sessions.lostVisits + sessions.doubleVisits).as("visits off").isZero();
    soft.assertThat(t.erasedStateUses.size()).as("decisions that used erased state").isZero();
    soft.assertThat(sessions.erasedBack).as("sessions with erased state in Redis").isZero();
    soft.assertThat(stats.missing).as("outcome counts missing from the statistics").isZero();
    soft.assertThat(stats.extra).as("outcome counts in the statistics not sent").isZero();
    soft.assertAll();
  }

  @Test
  void redisKilledForTenSecondsAndRestartedEmpty_losesNothingTheInstancesHold() throws Exception {
    clearButCanary();
    // Load before the kill, then through the outage, then a few seconds after the restart: so few
    // that the sessions served during the outage are still among those the instances hold.
    long before = Math.max(2, SECONDS / 2) * 1000;
    long after = Math.min(before, 5000);
    LoadRun run = new LoadRun("outage", ports(), THREADS, before + OUTAGE_MILLIS + after, SEED + 1);
    run.start();
    Thread.sleep(before);
    long killed = System.currentTimeMillis();
    killedAtMillis = killed;
    RedisServer killedServer = redis.servers().get(0); // on a cluster, one master of three
    killedServer.kill();
    Thread.sleep(OUTAGE_MILLIS);
    killedServer.startAgain();
    long restarted = System.currentTimeMillis();
    LoadRun.Tally t = run.await();
    long end = System.currentTimeMillis();
    if (redis instanceof RedisCluster cluster) {
      // The other masters marked the killed one failed, so the whole cluster refuses commands
      // (CLUSTERDOWN) until they see it back, which may be longer than the run after the restart.
      cluster.awaitWhole();
    }

    List<Shopper> held = held(t.shoppers);
    Map<Shopper, Form> read = readSessions(held);
    Sessions sessions = compare(read, s -> true);
    Sessions finishedBefore = compare(read, s -> s.lastRequestMillis < killed);
    Sessions during =
        compare(read, s -> s.lastRequestMillis >= killed && s.firstRequestMillis < restarted);
    Sessions startedAfter = compare(read, s -> s.firstRequestMillis >= restarted);
    long erasedInOutage =
        t.shoppers.stream()
            .filter(s -> s.erasedAtMillis >= killed && s.erasedAtMillis < restarted)
            .count();
    long usesAfter =
        t.erasedStateUses.stream()
            .filter(
                u ->
                    u.atMillis() >= restarted
                        && u.erasedAtMillis() >= killed
                        && u.erasedAtMillis() < restarted)
            .count();
    long forgetUserNothingDuring =
        t.forgetUserErasedNothing.stream().filter(at -> at >= killed && at < restarted).count();

    StringBuilder out = new StringBuilder();
    header(out, "outage", t, end);
    int shown = 0;
    for (Map.Entry<Shopper, Form> e : read.entrySet()) {
      Shopper s = e.getKey();
      Form f = e.getValue();
      if (shown >= 8) {
        continue;
      }
      StringBuilder counts = new StringBuilder();
      boolean lost = false;
      for (int c = 0; c < Shopper.COUNTERS.size(); c++) {
        long h = f.number("total." + Shopper.COUNTERS.get(c), 0);
        lost |= h < s.sent[c];
        counts.append(Shopper.COUNTERS.get(c)).append('=').append(h).append('/');
        counts.append(s.sent[c]).append(' ');
      }
      boolean erasedHeld = false;
      long extra = 0;
      for (int c = 0; c < Shopper.COUNTERS.size(); c++) {
        extra += Math.max(0, f.number("total." + Shopper.COUNTERS.get(c), 0) - s.sent[c]);
      }
      if (s.epoch > 0) {
        erasedHeld =
            extra > 0
                || f.number("requests", 0) > s.visits
                || (s.visits == 0 && f.first("absent") == null);
      }
      if (lost || erasedHeld) {
        shown++;
        out.append(
            String.format(
                Locale.ROOT,
                "  %s: erasure %s %+d ms from the kill (%s)%n",
                lost ? "lost" : "erased state held",
                s.erasure,
                s.epoch > 0 ? s.erasedAtMillis - killed : 0,
                s.erasureFailed ? "reported failed" : "reported done"));
        out.append(
            String.format(
                Locale.ROOT,
                "  lost in a session: %s visits=%d/%d first=%+d ms last=%+d ms from the kill%n",
                counts,
                f.number("requests", 0),
                s.visits,
                s.firstRequestMillis - killed,
                s.lastRequestMillis - killed));
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  %s killed (SIGKILL) %.1f s after the start, restarted empty %.1f s later%n",
            CLUSTER ? "one master of the cluster's three" : "Redis",
            (killed - t.startMillis) / 1000.0,
            (restarted - killed) / 1000.0));
    out.append(
        "  sessions checked: "
            + (held.size() == t.shoppers.size()
                ? "all (no more than the near cache's default size, " + NEAR_CACHE_SIZE + ")"
                : "the "
                    + held.size()
                    + " served last (the near cache keeps "
                    + NEAR_CACHE_SIZE
                    + ")")
            + "\n");
    long forgetUserNothingBefore =
        t.forgetUserErasedNothing.stream().filter(at -> at < killed).count();
    summary(
        out,
        t,
        sessions,
        String.format(
            Locale.ROOT,
            "%d made during the outage (they wait for Redis, by design), %d others (%d before the"
                + " kill, %d after the restart)",
            forgetUserNothingDuring,
            t.forgetUserErasedNothing.size() - forgetUserNothingDuring,
            forgetUserNothingBefore,
            t.forgetUserErasedNothing.size() - forgetUserNothingDuring - forgetUserNothingBefore));
    out.append(
        String.format(
            Locale.ROOT,
            "    events lost in sessions that ended before the kill: %d of %d (%d sessions);"
                + " active during the outage: %d of %d (%d); begun after the restart: %d of %d (%d)%n",
            finishedBefore.lostEvents,
            finishedBefore.expectedEvents,
            finishedBefore.sessions,
            during.lostEvents,
            during.expectedEvents,
            during.sessions,
            startedAfter.lostEvents,
            startedAfter.expectedEvents,
            startedAfter.sessions));
    out.append(
        String.format(
            Locale.ROOT,
            "  STORE_DEGRADED: %.1f%% of decisions (before the kill %.1f%%, during the outage"
                + " %.1f%%, after the restart %.1f%%)%n",
            100.0 * t.degraded / t.decisions,
            100 * t.degradedShare(t.startMillis, killed),
            100 * t.degradedShare(killed, restarted),
            100 * t.degradedShare(restarted, end)));
    out.append(
        String.format(
            Locale.ROOT,
            "  erasures during the outage: %d; decisions after the restart that used state erased"
                + " during the outage: %d; erased-state uses by when their erasure was made, ms"
                + " from the kill: %s%n",
            erasedInOutage,
            usesAfter,
            t.erasedStateUses.stream().limit(20).map(u -> u.erasedAtMillis() - killed).toList()));
    out.append(
        checkStats(t).text.replace("statistics:", "statistics (not asserted: Redis lost them):"));
    footer(out, t, end);
    report("outage", out);

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(t.errors).as("errors to callers: %s", t.errorKinds).isZero();
    soft.assertThat(sessions.lostEvents).as("events lost").isZero();
    soft.assertThat(sessions.doubleEvents).as("events counted twice").isZero();
    soft.assertThat(sessions.lostVisits + sessions.doubleVisits).as("visits off").isZero();
    soft.assertThat(t.erasedStateUses.size()).as("decisions that used erased state").isZero();
    soft.assertThat(sessions.erasedBack).as("sessions with erased state in Redis").isZero();
    soft.assertAll();
  }

  /**
   * Deletes what an earlier test left in Redis but the keys whose absence tells the instances that
   * Redis lost its data: a steady run must not start with the recovery from a loss.
   */
  private static void clearButCanary() {
    for (RedisServer server : redis.servers()) {
      server.admin(
          r -> {
            for (byte[] k : r.keys("*".getBytes(StandardCharsets.UTF_8))) {
              if (!CANARY.matcher(new String(k, StandardCharsets.UTF_8)).find()) {
                r.del(k);
              }
            }
            return null;
          });
    }
  }

  /** What the shared sessions hold, against what was sent. */
  private static final class Sessions {
    int sessions;
    long expectedEvents;
    long lostEvents;
    long lostInErased;
    long doubleEvents;
    long lostVisits;
    long doubleVisits;
    int sessionsWithLoss;
    int erasedBack;

    /** By kind of erasure: events lost in erased sessions, and sessions with erased state. */
    final Map<Shopper.Erasure, long[]> byErasure = new TreeMap<>();

    /** The first sessions whose state in Redis is not what was sent, a line each. */
    final List<String> off = new ArrayList<>();
  }

  /** When the outage scenario killed Redis, for {@link #off}; 0 before. */
  private static volatile long killedAtMillis;

  /** Describes a session whose state in Redis is not what was sent, without its id. */
  private static String off(Shopper s, Form held, long lost, long extra) {
    StringBuilder d = new StringBuilder();
    for (int[] x : s.decisions) {
      d.append(x[0]).append('@').append(x[1]).append(x[2] == 1 ? "D " : " ");
    }
    return String.format(
        Locale.ROOT,
        "    %s: %d events lost, %d extra; sent %s in %d visits since the erasure (request %d on"
            + " %d%s, %s, %d ms); held %s; decisions (request@instance, D degraded) %s%n",
        s,
        lost,
        extra,
        Arrays.toString(s.sent),
        s.visits,
        s.erasedRequest,
        s.erasedOn,
        killedAtMillis == 0 || s.erasedAtMillis == 0
            ? ""
            : String.format(
                Locale.ROOT, " at %+d ms from the kill", s.erasedAtMillis - killedAtMillis),
        s.erasureFailed ? "reported failed" : "reported done",
        s.erasureMillis,
        held.pairs().stream().filter(p -> !p.getKey().equals("key")).toList(),
        d.toString().trim());
  }

  /**
   * Returns the sessions the instances still hold in their near caches: all when there are no more
   * than its default size; else the half of that served last (Caffeine's admission policy is not
   * strictly least recently used).
   */
  private static List<Shopper> held(List<Shopper> shoppers) {
    if (shoppers.size() <= NEAR_CACHE_SIZE) {
      return shoppers;
    }
    List<Shopper> recent = new ArrayList<>(shoppers);
    recent.sort(Comparator.comparingLong((Shopper s) -> s.lastRequestMillis).reversed());
    return recent.subList(0, NEAR_CACHE_SIZE / 2);
  }

  /**
   * Reads the shoppers' sessions from Redis, through instance 0, once neither instance has changes
   * or erasures waiting in its queue (at most 30 s: after an outage the writers may take seconds).
   * Sessions that differ from what was sent, or whose read failed, are read again each second until
   * {@link #SETTLED_ROUNDS} reads change nothing (at most 15 s).
   */
  private static Map<Shopper, Form> readSessions(List<Shopper> shoppers)
      throws IOException, InterruptedException {
    long drained = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < drained && !queuesEmpty()) {
      Thread.sleep(100);
    }
    Map<Shopper, Form> held = new HashMap<>();
    List<Shopper> pending = shoppers;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (int quiet = 0; !pending.isEmpty(); ) {
      boolean changed = false;
      List<Shopper> again = new ArrayList<>();
      IOException failed = null;
      for (Shopper s : pending) {
        Form f;
        try {
          f =
              instances
                  .get(0)
                  .get("/session?id=" + URLEncoder.encode(s.sessionId, StandardCharsets.UTF_8));
        } catch (IOException e) {
          // the reader found that Redis lost its data: reads fail while copies are written back
          failed = e;
          changed = true;
          again.add(s);
          continue;
        }
        Form old = held.put(s, f);
        changed |= old == null || !old.encode().equals(f.encode());
        if (!exact(s, f)) {
          again.add(s);
        }
      }
      pending = again;
      quiet = changed ? 0 : quiet + 1;
      if (quiet == SETTLED_ROUNDS || System.nanoTime() > deadline) {
        if (failed != null) {
          throw failed;
        }
        break;
      }
      Thread.sleep(1000);
    }
    return held;
  }

  /** Returns whether neither instance has changes or erasures waiting; false if one cannot say. */
  private static boolean queuesEmpty() {
    for (InstanceProcess p : instances) {
      try {
        Form f = p.get("/stats");
        if (f.number("pendingChanges", 1) != 0 || f.number("pendingErasures", 1) != 0) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** Compares the sessions {@code which} selects with what their shoppers sent since erasure. */
  private static Sessions compare(Map<Shopper, Form> read, Predicate<Shopper> which) {
    Sessions out = new Sessions();
    for (Map.Entry<Shopper, Form> e : read.entrySet()) {
      Shopper s = e.getKey();
      if (!which.test(s)) {
        continue;
      }
      Form f = e.getValue();
      out.sessions++;
      long lost = 0;
      long extra = 0;
      for (int c = 0; c < Shopper.COUNTERS.size(); c++) {
        long held = f.number("total." + Shopper.COUNTERS.get(c), 0);
        out.expectedEvents += s.sent[c];
        lost += Math.max(0, s.sent[c] - held);
        extra += Math.max(0, held - s.sent[c]);
      }
      long visits = f.number("requests", 0);
      boolean erasedHeld = false;
      String recent = f.first("recent");
      if (recent != null && !recent.isEmpty()) {
        for (String product : recent.split(",", -1)) {
          erasedHeld |= s.erasedProduct(product);
        }
      }
      if (s.epoch > 0 && s.visits == 0) {
        // nothing sent since the erasure: nothing held, but a withdrawal's denial
        erasedHeld =
            s.erasure == Shopper.Erasure.WITHDRAW
                ? !"denied".equals(f.first("consent")) || visits > 0
                : f.first("absent") == null;
      }
      if (s.epoch > 0) {
        long[] k = out.byErasure.computeIfAbsent(s.erasure, x -> new long[2]);
        k[0] += lost;
        k[1] += erasedHeld || extra > 0 || visits > s.visits ? 1 : 0;
      }
      if (s.epoch > 0 && (erasedHeld || extra > 0 || visits > s.visits)) {
        out.erasedBack++;
      } else {
        out.doubleEvents += extra;
        out.doubleVisits += Math.max(0, visits - s.visits);
      }
      out.lostEvents += lost;
      out.lostInErased += s.epoch > 0 ? lost : 0;
      out.lostVisits += Math.max(0, s.visits - visits);
      if (lost > 0 || visits < s.visits) {
        out.sessionsWithLoss++;
      }
      if ((lost > 0 || visits != s.visits || erasedHeld || extra > 0) && out.off.size() < 10) {
        out.off.add(off(s, f, lost, extra));
      }
    }
    return out;
  }

  private static boolean exact(Shopper s, Form f) {
    for (int c = 0; c < Shopper.COUNTERS.size(); c++) {
      if (f.number("total." + Shopper.COUNTERS.get(c), 0) != s.sent[c]) {
        return false;
      }
    }
    return f.number("requests", 0) == s.visits;
  }

  /** The statistics in Redis against what the outcomes sent add up to. */
  private static final class Stats {
    long missing;
    long extra;
    String text;
  }

  private static Stats checkStats(LoadRun.Tally t) throws InterruptedException {
    double[] sent = new double[5];
    t.expectedStats.values().forEach(v -> add(sent, v));
    Map<String, double[]> held;
    try (RedisStatsStore store =
        RedisStatsStore.builder(redis.uri())
            .cluster(redis.cluster())
            .commandTimeout(Duration.ofSeconds(2))
            .snapshotTimeout(Duration.ofSeconds(10))
            .build()) {
      held = readStats(store);
      for (int i = 0, quiet = 0;
          i < 15 && quiet < SETTLED_ROUNDS && !text(held).equals(text(t.expectedStats));
          i++) {
        Thread.sleep(1000);
        Map<String, double[]> again = readStats(store);
        quiet = text(again).equals(text(held)) ? quiet + 1 : 0;
        held = again;
      }
    }
    // credits the engine may not make: made before their session's erasure, and one of their
    // changes perhaps not in Redis when it landed (LoadRun.ExpectedCredit#certain)
    Map<String, double[]> uncertain = new HashMap<>();
    Map<String, Shopper> shoppers = new HashMap<>();
    t.shoppers.forEach(s -> shoppers.put(s.sessionId, s));
    long uncertainCount = 0;
    for (LoadRun.ExpectedCredit c : t.credits) {
      if (!c.certain(shoppers.get(c.session))) {
        uncertainCount++;
        double[] u =
            uncertain.computeIfAbsent(
                LoadRun.Tally.statsKey(c.placement, c.exposure.variant(), c.exposure.segment()),
                k -> new double[5]);
        u[c.purchase ? 3 : 2]++;
        u[4] += c.value;
      }
    }
    double[] inRedis = new double[5];
    long missing = 0;
    long uncertainMissing = 0;
    long extra = 0;
    TreeSet<String> keys = new TreeSet<>(t.expectedStats.keySet());
    keys.addAll(held.keySet());
    StringBuilder differing = new StringBuilder();
    int shown = 0;
    for (String k : keys) {
      double[] e = t.expectedStats.getOrDefault(k, new double[5]);
      double[] h = held.getOrDefault(k, new double[5]);
      add(inRedis, h);
      boolean differs = false;
      double[] u = uncertain.getOrDefault(k, new double[5]);
      for (int i = 0; i < 4; i++) {
        missing += (long) Math.max(0, e[i] - u[i] - h[i]);
        uncertainMissing += (long) Math.max(0, Math.min(u[i], e[i] - h[i]));
        extra += (long) Math.max(0, h[i] - e[i]);
        differs |= e[i] - u[i] > h[i] || h[i] > e[i];
      }
      if (differs && shown++ < 12) {
        differing.append(
            String.format(
                Locale.ROOT,
                "    %s: sent %s (of which may be erased %s), in Redis %s%n",
                k,
                Arrays.toString(Arrays.copyOf(e, 4)),
                Arrays.toString(Arrays.copyOf(u, 4)),
                Arrays.toString(Arrays.copyOf(h, 4))));
      }
    }
    Stats out = new Stats();
    out.missing = missing;
    out.extra = extra;
    out.text =
        String.format(
                Locale.ROOT,
                "  statistics: sent (with attributed ones) exposures %.0f, clicks %.0f, adds to cart %.0f,"
                    + " purchases %.0f, value %.0f; in Redis %.0f, %.0f, %.0f, %.0f, %.0f;"
                    + " %d counts missing, %d extra; of %d credits made before their session's"
                    + " erasure whose changes may not have reached Redis before it, %d not counted%n",
                sent[0],
                sent[1],
                sent[2],
                sent[3],
                sent[4],
                inRedis[0],
                inRedis[1],
                inRedis[2],
                inRedis[3],
                inRedis[4],
                missing,
                extra,
                uncertainCount,
                uncertainMissing)
            + differing;
    return out;
  }

  private static Map<String, double[]> readStats(RedisStatsStore store) {
    Map<String, double[]> out = new HashMap<>();
    for (VariantStats v : store.snapshot()) {
      out.put(
          LoadRun.Tally.statsKey(v.placement(), v.variant(), v.segment()),
          new double[] {v.exposures(), v.clicks(), v.addsToCart(), v.purchases(), v.value()});
    }
    return out;
  }

  private static String text(Map<String, double[]> stats) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(stats).forEach((k, v) -> sb.append(k).append(Arrays.toString(v)).append('\n'));
    return sb.toString();
  }

  private static void add(double[] sum, double[] v) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += v[i];
    }
  }

  private static void header(StringBuilder out, String name, LoadRun.Tally t, long end) {
    String timeout = System.getProperty(StorefrontInstance.COMMAND_TIMEOUT_PROPERTY);
    out.append(
        String.format(
            Locale.ROOT,
            "TwoInstanceLoadTest %s: 2 instances (JVMs, 16 server threads each), %d client threads,"
                + " %.1f s, command timeout %s, %d CPUs%n",
            name,
            THREADS,
            (end - t.startMillis) / 1000.0,
            timeout == null ? "default" : timeout + " ms",
            Runtime.getRuntime().availableProcessors()));
  }

  private static void summary(StringBuilder out, LoadRun.Tally t, Sessions s) {
    summary(out, t, s, Long.toString(t.forgetUserErasedNothing.size()));
  }

  /**
   * Writes the summary's lines, each erased-state use's among them ({@link ErasedUse#lines});
   * {@code forgetUserNothing} says how many {@code forgetUser} calls erased nothing.
   */
  private static void summary(
      StringBuilder out, LoadRun.Tally t, Sessions s, String forgetUserNothing) {
    long events = t.shoppers.stream().mapToLong(x -> x.eventsSent).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "  sessions %d (erased %s), requests %d, decisions %d, events sent %d%n",
            t.shoppers.size(),
            t.erasures,
            t.requests,
            t.decisions,
            events));
    out.append(
        String.format(
            Locale.ROOT,
            "  in Redis, of %d sessions with %d events to hold: %d events lost (%.1f%%, in %d"
                + " sessions; %d in erased ones: by kind of erasure, lost events and sessions"
                + " holding erased state %s), %d counted twice; visits: %d lost, %d counted"
                + " twice%n",
            s.sessions,
            s.expectedEvents,
            s.lostEvents,
            s.expectedEvents == 0 ? 0.0 : 100.0 * s.lostEvents / s.expectedEvents,
            s.sessionsWithLoss,
            s.lostInErased,
            s.byErasure.entrySet().stream()
                .map(x -> x.getKey() + "=" + x.getValue()[0] + "/" + x.getValue()[1])
                .toList(),
            s.doubleEvents,
            s.lostVisits,
            s.doubleVisits));
    s.off.forEach(out::append);
    out.append(
        String.format(
            Locale.ROOT,
            "  erased-state uses: %d of %d decisions after an erasure (%d after an erasure the"
                + " instance reported failed, %d degraded, by kind of erasure %s, ms after the"
                + " erasure %s); forgetUser that erased nothing: %s; sessions with"
                + " erased state in Redis at the end: %d; decisions counting more visits than"
                + " sent: %d%n",
            t.erasedStateUses.size(),
            t.decisionsAfterErasure,
            t.erasedStateUses.stream().filter(ErasedUse::erasureFailed).count(),
            t.erasedStateUses.stream().filter(ErasedUse::degraded).count(),
            t.erasedStateUses.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        ErasedUse::kind,
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())),
            t.erasedStateUses.stream()
                .limit(20)
                .map(u -> u.atMillis() - u.erasedAtMillis())
                .toList(),
            forgetUserNothing,
            s.erasedBack,
            t.overCounted));
    out.append(ErasedUse.lines(t.erasedStateUses));
  }

  private static void footer(StringBuilder out, LoadRun.Tally t, long end) throws IOException {
    out.append(
        String.format(
            Locale.ROOT,
            "  checked in %.1f s after the load ended%n",
            (System.currentTimeMillis() - end) / 1000.0));
    out.append(
        String.format(
            Locale.ROOT,
            "  errors to callers: %d %s%n  latency (client): decide p50 %.2f ms, p99 %.2f ms;"
                + " other requests p50 %.2f ms, p99 %.2f ms%n",
            t.errors,
            t.errorKinds,
            t.decideNanos.percentileMillis(50),
            t.decideNanos.percentileMillis(99),
            t.otherNanos.percentileMillis(50),
            t.otherNanos.percentileMillis(99)));
    for (int i = 0; i < instances.size(); i++) {
      InstanceProcess p = instances.get(i);
      out.append("  instance ")
          .append(i)
          .append(": ")
          .append(p.get("/stats").encode().replace('&', ' '))
          .append(", log lines so far ")
          .append(p.logLines())
          .append('\n');
    }
  }

  private static void report(String name, StringBuilder out) throws IOException {
    System.out.print(out);
    Files.writeString(outputDir().resolve(name + "-summary.txt"), out);
  }

  /** The instances' outcome traces ({@link OutcomeTrace}), which exist only when asked for. */
  private static List<Path> traces() {
    List<Path> out = new ArrayList<>();
    for (InstanceProcess p : instances) {
      String name = p.log().getFileName().toString().replaceFirst("\\.log$", "");
      out.add(p.log().resolveSibling(name + OutcomeTrace.SUFFIX));
    }
    return out;
  }

  private static int[] ports() {
    return new int[] {instances.get(0).port(), instances.get(1).port()};
  }

  /** Returns target/load-test of this module. */
  private static Path outputDir() throws IOException {
    try {
      Path classes =
          Path.of(
              TwoInstanceLoadTest.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      Path dir = classes.getParent().resolve("load-test");
      Files.createDirectories(dir);
      return dir;
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
