package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.spi.SessionState;
import dev.persona.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class InMemorySessionStoreTest {
  private final SessionUpdate update = new SessionUpdate(3_600_000, 4, 8, 32, 60_000);

  @Test
  void size_isBoundedByMaxSessions() {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());

    for (int i = 0; i < 10_000; i++) {
      store.update("s" + i, old -> update.apply((SessionData) old, empty()));
    }
    store.cleanUp();

    assertThat(store.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void idleSessions_expire() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
    InMemorySessionStore store = new InMemorySessionStore(100, Duration.ofMinutes(30), clock);
    store.update("s", old -> update.apply((SessionData) old, empty()));

    clock.advance(Duration.ofMinutes(29));
    assertThat(store.get("s")).isNotNull();
    clock.advance(Duration.ofMinutes(31));
    assertThat(store.get("s")).isNull();
  }

  @Test
  void idleSessions_expireByElapsedTime_whenTheClockStepsBack() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
    AtomicLong nanos = new AtomicLong();
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofMinutes(30), new Timeline(clock, nanos::get));
    store.update("s", old -> update.apply((SessionData) old, empty()));
    store.update("t", old -> update.apply((SessionData) old, empty()));

    clock.advance(Duration.ofHours(-1)); // an NTP correction
    for (Duration d : List.of(Duration.ofMinutes(29), Duration.ofMinutes(2))) {
      clock.advance(d);
      nanos.addAndGet(d.toNanos());
      assertThat(store.get("t")).isNotNull(); // in use: read at 29 and 31 minutes
    }

    assertThat(store.get("s")).isNull(); // idle for 31 minutes, though the clock says -29
    assertThat(store.get("t")).isNotNull();
  }

  @Test
  void sessionsInUse_neverExpire_thoughMostReadsAreQuiet() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
    InMemorySessionStore store = new InMemorySessionStore(100, Duration.ofMinutes(30), clock);
    store.update("s", old -> update.apply((SessionData) old, empty()));
    store.update("t", old -> update.apply((SessionData) old, empty()));

    for (int minute = 2; minute <= 180; minute += 2) {
      clock.advance(Duration.ofMinutes(2));
      assertThat(store.get("s")).as("minute %d", minute).isNotNull();
    }
    store.cleanUp();

    assertThat(store.get("t")).isNull();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void remove_forgetsTheSession() {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());
    store.update("s", old -> update.apply((SessionData) old, empty()));

    store.remove("s");

    assertThat(store.get("s")).isNull();
  }

  @Test
  void parallelUpdatesOfOneSession_loseNothing() throws Exception {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());
    int threads = 8;
    int each = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    store.update("s", old -> Count.after(old));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(((Count) store.get("s")).n).isEqualTo(threads * each);
  }

  @Test
  void updateToNull_removesTheSession_andUpdateOfNothingToNull_storesNothing() {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());
    store.update("s", Count::after);

    assertThat(store.update("s", old -> null)).isNull();
    assertThat(store.get("s")).isNull();
    assertThat(store.update("t", old -> null)).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void update_afterRemove_startsFromNothing() {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());
    store.update("s", Count::after);
    store.update("s", Count::after);

    store.remove("s");
    store.update("s", Count::after);

    assertThat(((Count) store.get("s")).n).isEqualTo(1);
  }

  /** A state that counts its updates. */
  private record Count(int n) implements SessionState {
    static Count after(SessionState old) {
      return new Count(old == null ? 1 : ((Count) old).n + 1);
    }

    @Override
    public Instant lastSeen() {
      return Instant.EPOCH;
    }

    @Override
    public byte[] toBytes() {
      return new byte[0];
    }
  }

  private static Activity empty() {
    return new Activity(
        0,
        new int[0],
        new long[0],
        new String[0],
        new String[0],
        new int[0],
        new String[0],
        new double[0],
        Map.of());
  }
}
