package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.CapturedLog;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The retry queue keeps its bound, tries in order until done, and counts what it drops. */
final class RetryQueueTest {
  private static final Duration MS = Duration.ofMillis(1);

  private static <T> RetryQueue<T> queue(int capacity, RetryQueue.Attempt<T> attempt) {
    return new RetryQueue<>(
        "test", capacity, MS, Duration.ofMillis(4), Duration.ofHours(1), attempt);
  }

  /** Waits until the condition holds; fails after a minute, however slow the machine. */
  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited a minute").isNegative();
      RedisServer.sleep(2);
    }
  }

  private static boolean retryThreadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("persona-retry (test)"));
  }

  @Test
  void beyondItsCapacity_anItemIsRefused_counted_andLogged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    RetryQueue<String> q =
        queue(
            2,
            item -> {
              awaitLatch(release);
              return done.add(item);
            });
    try {
      assertThat(q.offer("a")).isTrue(); // the thread holds it while trying
      assertThat(q.offer("b")).isTrue();
      String log = CapturedLog.during(() -> assertThat(q.offer("c")).isFalse());

      assertThat(q.size()).isEqualTo(2);
      assertThat(q.dropped()).isEqualTo(1);
      assertThat(q.refused()).isEqualTo(1);
      assertThat(log).contains("WARN dev.persona.redis").contains("test: dropped 1 queued retries");

      release.countDown();
      awaitUntil(() -> q.size() == 0);
      assertThat(done).containsExactly("a", "b");
      assertThat(q.queued()).isEqualTo(2);
      assertThat(q.done()).isEqualTo(2);
      assertThat(q.dropped()).isEqualTo(1);
    } finally {
      release.countDown();
      q.close();
    }
  }

  @Test
  void failedAttempts_areTriedAgain_inOrder_untilDone() {
    AtomicInteger failuresLeft = new AtomicInteger(5);
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    RetryQueue<String> q =
        queue(
            10,
            item -> {
              if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("not yet");
              }
              return done.add(item);
            });
    try {
      q.offer("a");
      q.offer("b");
      q.offer("c");

      awaitUntil(() -> done.size() == 3);
      assertThat(done).containsExactly("a", "b", "c");
      assertThat(q.attempts()).isEqualTo(8);
      assertThat(q.dropped()).isZero();
    } finally {
      q.close();
    }
  }

  @Test
  void anItemWaitingLongerThanItsTime_isGivenUp_andCounted() {
    AtomicLong nanos = new AtomicLong();
    AtomicInteger tries = new AtomicInteger();
    RetryQueue<String> q =
        new RetryQueue<>(
            "test",
            10,
            MS,
            MS,
            Duration.ofMinutes(1),
            item -> tries.incrementAndGet() < 0,
            nanos::get);
    try {
      q.offer("a");
      awaitUntil(() -> tries.get() >= 3);
      assertThat(q.givenUp()).isZero();

      nanos.addAndGet(Duration.ofMinutes(1).toNanos());

      awaitUntil(() -> q.size() == 0);
      assertThat(q.givenUp()).isEqualTo(1);
      assertThat(q.dropped()).isEqualTo(1);
      assertThat(q.done()).isZero();
    } finally {
      q.close();
    }
  }

  @Test
  void close_triesWhatIsQueued_thenStopsTheThread() {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    RetryQueue<Integer> q =
        queue(
            100,
            item -> {
              awaitLatch(release);
              return done.add(item);
            });
    assertThat(retryThreadRuns()).isFalse();
    for (int i = 0; i < 50; i++) {
      q.offer(i);
    }
    assertThat(retryThreadRuns()).isTrue();

    release.countDown();
    q.close(Duration.ofMinutes(1));

    assertThat(done).hasSize(50);
    assertThat(q.dropped()).isZero();
    assertThat(q.offer(50)).isFalse();
    assertThat(q.refused()).isEqualTo(1);
    awaitUntil(() -> !retryThreadRuns());
  }

  @Test
  void close_dropsWhatItCouldNotDoByItsDeadline() {
    RetryQueue<String> q = queue(10, item -> false);
    q.offer("a");
    q.offer("b");

    q.close(Duration.ofMillis(20));

    assertThat(q.size()).isZero();
    assertThat(q.dropped()).isEqualTo(2);
    assertThat(q.done()).isZero();
    awaitUntil(() -> !retryThreadRuns());
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
