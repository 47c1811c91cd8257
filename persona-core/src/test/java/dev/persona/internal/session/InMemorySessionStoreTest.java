package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class InMemorySessionStoreTest {
  private final SessionUpdate update = new SessionUpdate(3_600_000, 4, 8, 32);

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
    Instant[] now = {Instant.parse("2026-11-10T12:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    InMemorySessionStore store = new InMemorySessionStore(100, Duration.ofMinutes(30), clock);
    store.update("s", old -> update.apply((SessionData) old, empty()));

    now[0] = now[0].plus(Duration.ofMinutes(29));
    assertThat(store.get("s")).isNotNull();
    now[0] = now[0].plus(Duration.ofMinutes(31));
    assertThat(store.get("s")).isNull();
  }

  @Test
  void remove_forgetsTheSession() {
    InMemorySessionStore store =
        new InMemorySessionStore(100, Duration.ofHours(1), Clock.systemUTC());
    store.update("s", old -> update.apply((SessionData) old, empty()));

    store.remove("s");

    assertThat(store.get("s")).isNull();
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
