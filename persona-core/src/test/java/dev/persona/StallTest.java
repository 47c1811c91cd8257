package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExtensionConfig;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.testing.CapturedLog;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Custom code that stalls (blocks on a latch nobody opens in time) costs only its own part of a
 * decision: extractors and stores by the extension timeout, listeners by their own queue.
 */
final class StallTest {
  private static final Duration TIMEOUT = Duration.ofMillis(50);

  /** Generous: the machine is shared; what matters is that decide returns at all, and how soon. */
  private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  @Test
  void stalledExtractor_costsOnlyItsOwnSignals_andIsLoggedOncePerInterval() {
    CountDownLatch never = new CountDownLatch(1);
    List<Decision> decisions = new ArrayList<>();
    long[] slowest = {0};
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .extractor(new Stalling(never, null, true))
                    .callTimeout(TIMEOUT)
                    .build())
            .build()) {

      String log =
          CapturedLog.during(
              () -> {
                for (int i = 0; i < 5; i++) {
                  long start = System.nanoTime();
                  decisions.add(engine.decide(iphoneVisit("s-stall-" + i)));
                  slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
                }
              });

      assertThat(slowest[0]).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
      for (Decision d : decisions) {
        assertThat(d.isDefault()).isFalse();
        assertThat(d.flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
        assertThat(d.signal("stalled")).isNull();
        assertThat(d.signal("device").value()).isEqualTo("mobile");
        assertThat(d.signal("coupons_applied").value()).isEqualTo(1.0);
        assertThat(d.reasons())
            .extracting(Reason::text)
            .contains("extractor 'stalling' timed out after 50 ms; its signals are missing");
      }
      assertThat(engine.stats().extractorFailures()).isEqualTo(5);
      assertThat(CapturedLog.count(log, "extractor 'stalling' timed out after 50 ms")).isEqualTo(1);
      assertThat(log).doesNotContain("s-stall-", "iPhone");
    } finally {
      never.countDown();
    }
  }

  @Test
  void stalledCallsFillThePool_furtherCallsAreRefusedAtOnce_andTheExtractorRecovers()
      throws Exception {
    int threads = ExtensionConfig.MAX_CALL_THREADS;
    CountDownLatch entered = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    Duration longTimeout = Duration.ofSeconds(10);
    ExecutorService requests = Executors.newFixedThreadPool(threads);
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .extractor(new Stalling(release, entered, false))
                    .callTimeout(longTimeout)
                    .build())
            .build()) {
      List<Future<Decision>> stalled = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String session = "s" + i;
        stalled.add(requests.submit(() -> engine.decide(iphoneVisit(session))));
      }
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      Decision refused = engine.decide(iphoneVisit("one-too-many"));
      long waited = System.nanoTime() - start;

      assertThat(waited).isLessThan(MARGIN_NANOS).isLessThan(longTimeout.toNanos() / 2);
      assertThat(refused.flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
      assertThat(refused.signal("device").value()).isEqualTo("mobile");
      assertThat(refused.reasons())
          .extracting(Reason::text)
          .anyMatch(t -> t.startsWith("extractor 'stalling' was not called: all " + threads));

      release.countDown();
      for (Future<Decision> f : stalled) {
        Decision d = f.get(10, TimeUnit.SECONDS);
        assertThat(d.flags()).isEmpty();
        assertThat(d.signal("stalled").value()).isEqualTo(true);
      }
      Decision recovered = engine.decide(iphoneVisit("after"));
      assertThat(recovered.flags()).isEmpty();
      assertThat(recovered.signal("stalled").value()).isEqualTo(true);
      assertThat(engine.stats().extractorFailures()).isEqualTo(1);
    } finally {
      release.countDown();
      requests.shutdownNow();
    }
  }

  @Test
  void stalledListener_missesOnlyItsOwnDecisions_andTheDropsAreCounted() throws Exception {
    int decisions = 20;
    int capacity = 4;
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Decision> told = new CopyOnWriteArrayList<>();
    Semaphore toldOne = new Semaphore(0);
    List<Decision> made = new ArrayList<>();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .listenerQueueCapacity(capacity)
                    .listener(
                        (visit, decision) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                        })
                    .listener(
                        (visit, decision) -> {
                          told.add(decision);
                          toldOne.release();
                        })
                    .build())
            .build();
    String log;
    try {
      made.add(engine.decide(iphoneVisit("first")));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // holds its first decision
      assertThat(toldOne.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

      log =
          CapturedLog.during(
              () -> {
                for (int i = 1; i < decisions; i++) {
                  made.add(engine.decide(iphoneVisit("s" + i)));
                  // the other listener keeps up (its queue is as small), whatever the machine
                  assertThat(tryAcquire(toldOne)).isTrue();
                }
              });

      assertThat(told).containsExactlyElementsOf(made);
      assertThat(made).allSatisfy(d -> assertThat(d.flags()).isEmpty());
      // the first is being told, the next four wait, the other fifteen are dropped
      assertThat(engine.stats().listenerDrops()).isEqualTo(decisions - 1 - capacity);
    } finally {
      release.countDown();
      engine.close();
    }
    assertThat(engine.stats().listenerDrops()).isEqualTo(decisions - 1 - capacity);
    assertThat(CapturedLog.count(log, "queue is full (4 decisions wait for the listener)"))
        .isEqualTo(1);
  }

  @Test
  void stalledListener_holdsAtMost16MiBOfLargeVisits_theRestAreDroppedAndCounted()
      throws Exception {
    int decisions = 200;
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger told = new AtomicInteger();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .listener(
                        (visit, decision) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                          told.incrementAndGet();
                        })
                    .build())
            .build();
    String big = "x".repeat(512 * 1024); // one string: the visits share it, the queue counts each
    String log;
    try {
      engine.decide(Visit.builder("first").header("X-Big", big).build());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // holds its first decision
      log =
          CapturedLog.during(
              () -> {
                for (int i = 1; i < decisions; i++) {
                  engine.decide(Visit.builder("s" + i).header("X-Big", big).build());
                }
              });
      // a little over 1 MiB each, as estimated: the first (being told) and 14 more fit in 16 MiB
      assertThat(engine.stats().listenerDrops()).isEqualTo(decisions - 15);
    } finally {
      release.countDown();
      engine.close();
    }
    assertThat(told.get()).isEqualTo(15);
    assertThat(CapturedLog.count(log, "hold more than 16 MiB")).isEqualTo(1);
  }

  @Test
  void stalledStore_costsOnlyTheSessionsMemory() {
    CountDownLatch never = new CountDownLatch(1);
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new StallingStore(never, false)).build())
            .extensions(ExtensionConfig.builder().callTimeout(TIMEOUT).build())
            .build()) {
      long start = System.nanoTime();
      Decision d = engine.decide(iphoneVisit("s1"));

      assertThat(System.nanoTime() - start).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
      assertThat(d.isDefault()).isFalse();
      assertThat(d.flags()).containsExactly(Decision.Flag.STORE_FAILED);
      assertThat(d.signal("coupons_applied").value()).isEqualTo(1.0);
      assertThat(d.reasons())
          .extracting(Reason::text)
          .contains(
              "the session store timed out after 50 ms; only this request's behaviour is used");
      assertThat(engine.stats().storeFailures()).isEqualTo(1);
    } finally {
      never.countDown();
    }
  }

  @Test
  void stalledStore_stallingOnEveryRequest_isLoggedOncePerInterval_andCountedEachTime() {
    int many = 20; // each waits out the 50 ms timeout: about a second in all, within one interval
    CountDownLatch never = new CountDownLatch(1);
    List<Decision> decisions = new ArrayList<>();
    long[] slowest = {0};
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new StallingStore(never, false)).build())
            .extensions(ExtensionConfig.builder().callTimeout(TIMEOUT).build())
            .build()) {

      String log =
          CapturedLog.during(
              () -> {
                for (int i = 0; i < many; i++) {
                  long start = System.nanoTime();
                  decisions.add(engine.decide(iphoneVisit("s-stall-" + i)));
                  slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
                }
              });

      assertThat(slowest[0]).isLessThan(TIMEOUT.toNanos() + MARGIN_NANOS);
      assertThat(decisions)
          .hasSize(many)
          .allSatisfy(
              d -> {
                assertThat(d.isDefault()).isFalse();
                assertThat(d.flags()).containsExactly(Decision.Flag.STORE_FAILED);
              });
      assertThat(engine.stats().storeFailures()).isEqualTo(many);
      assertThat(CapturedLog.count(log, "session store timed out after 50 ms")).isEqualTo(1);
      assertThat(CapturedLog.count(log, "WARN")).isEqualTo(1);
      assertThat(log).doesNotContain("more times since the last report", "s-stall-", "iPhone");
    } finally {
      never.countDown();
    }
  }

  @Test
  void storeThatBoundsItsOwnCalls_isCalledOnTheRequestThread_othersOnThePool() {
    StallingStore bounded = new StallingStore(null, true);
    StallingStore unbounded = new StallingStore(null, false);
    try (PersonaEngine a = engineWith(bounded);
        PersonaEngine b = engineWith(unbounded)) {
      assertThat(a.decide(iphoneVisit("s1")).flags()).isEmpty();
      assertThat(b.decide(iphoneVisit("s1")).flags()).isEmpty();
    }
    assertThat(bounded.threads).containsOnly(Thread.currentThread().getName());
    assertThat(unbounded.threads).hasSize(1).allMatch(n -> n.startsWith("persona-extension-"));
  }

  @Test
  void close_tellsListenersWhatIsQueued_isIdempotent_andDecideStillWorks() throws Exception {
    Set<String> before = liveThreadNames();
    List<Decision> told = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .extractor(new Stalling(new CountDownLatch(0), null, true))
                    .listener(
                        (visit, decision) -> {
                          awaitUninterruptibly(release); // holds the first decision until released
                          told.add(decision);
                        })
                    .build())
            .build();
    List<Decision> made = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      made.add(engine.decide(iphoneVisit("s" + i)));
    }

    Thread releaser = new Thread(release::countDown);
    releaser.start(); // while close waits for the listener to work through its queue
    engine.close();
    engine.close();
    releaser.join();
    Decision after = engine.decide(iphoneVisit("late"));

    assertThat(told).containsExactlyElementsOf(made);
    Set<String> left = liveThreadNames();
    left.removeAll(before);
    assertThat(left).noneMatch(n -> n.startsWith("persona-"));
    assertThat(after.isDefault()).isFalse();
    assertThat(after.signal("device").value()).isEqualTo("mobile");
    assertThat(after.flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
    assertThat(after.reasons())
        .extracting(Reason::text)
        .contains(
            "extractor 'stalling' was not called: the engine is closed; its signals are missing");
    assertThat(told).hasSize(100);
    assertThat(engine.stats().listenerDrops()).isEqualTo(1);
  }

  @Test
  void defaultEngine_startsNoThread_whileAListenerHasOne() {
    Set<String> before = liveThreadNames();
    PersonaEngine plain = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    for (int i = 0; i < 50; i++) {
      plain.decide(iphoneVisit("s" + i));
    }
    plain.close();
    Set<String> started = liveThreadNames();
    started.removeAll(before);
    assertThat(started).isEmpty(); // NoThreadTest checks it in a fresh JVM

    try (PersonaEngine listened =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(ExtensionConfig.builder().listener((v, d) -> {}).build())
            .build()) {
      assertThat(listened.decide(iphoneVisit("s1")).isDefault()).isFalse();
      assertThat(liveThreadNames()).contains("persona-listener-1");
    }
  }

  private static PersonaEngine engineWith(SessionStore store) {
    return PersonaEngine.builder()
        .ruleSet(TestRules.ruleSet())
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  private static Visit iphoneVisit(String session) {
    return Visit.builder(session)
        .header("User-Agent", SignalKindsTest.iphone())
        .event(Event.of("apply_coupon"))
        .build();
  }

  private static Set<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  private static boolean tryAcquire(Semaphore s) {
    try {
      return s.tryAcquire(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Emits {@code stalled} once its latch opens; counts its callers in on {@code entered}. */
  private static final class Stalling implements SignalExtractor {
    private final CountDownLatch latch;
    private final CountDownLatch entered;
    private final boolean interruptible;

    Stalling(CountDownLatch latch, CountDownLatch entered, boolean interruptible) {
      this.latch = latch;
      this.entered = entered;
      this.interruptible = interruptible;
    }

    @Override
    public String name() {
      return "stalling";
    }

    @Override
    public List<SignalSpec> signals() {
      return List.of(
          new SignalSpec("stalled", SignalKind.CONTEXTUAL, SignalType.FLAG, "set when let go"));
    }

    @Override
    public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
      if (entered != null) {
        entered.countDown();
      }
      if (!interruptible) {
        awaitUninterruptibly(latch);
      } else {
        try {
          latch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      sink.flag("stalled", true);
    }
  }

  /** A store in memory that waits for a latch (if any) first, and notes the threads calling it. */
  private static final class StallingStore implements SessionStore {
    private final SessionStore delegate = SessionStore.inMemory(100, Duration.ofHours(1));
    private final CountDownLatch latch;
    private final boolean bounded;
    final List<String> threads = new CopyOnWriteArrayList<>();

    StallingStore(CountDownLatch latch, boolean bounded) {
      this.latch = latch;
      this.bounded = bounded;
    }

    private void enter() {
      threads.add(Thread.currentThread().getName());
      if (latch != null) {
        try {
          latch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }

    @Override
    public SessionState get(String sessionId) {
      enter();
      return delegate.get(sessionId);
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      enter();
      return delegate.update(sessionId, change);
    }

    @Override
    public void remove(String sessionId) {
      enter();
      delegate.remove(sessionId);
    }

    @Override
    public boolean boundsCallTime() {
      return bounded;
    }
  }
}
