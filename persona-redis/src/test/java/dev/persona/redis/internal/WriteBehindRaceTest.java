package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.sessions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.Visit;
import dev.persona.spi.SessionState;
import dev.persona.testing.RedisServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Write-behind with a request that writes its session through at the same time, in interleavings
 * forced by holding the background writer and the request at points of the code ({@link
 * RedisSessions.Probe}): each change lands once in Redis and in the copy, and every decision sees
 * the changes decided before it, however many changes are in flight.
 */
final class WriteBehindRaceTest {
  /** More changes than a state remembers the ids of (SessionData.APPLIED_WINDOW, 32). */
  private static final int MANY = 40;

  private RedisServer redis;
  private final ExecutorService requests = Executors.newFixedThreadPool(2);

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() {
    requests.shutdownNow();
    redis.close();
  }

  /**
   * The writer holds many changes of a session written behind, more than a state remembers the ids
   * of; the queue is at the part of its bound that changes written behind may fill, so the
   * session's next request writes through, with what waits. Held before it sends, the writer's
   * compare-and-set then conflicts with the request's and is written again on the state the request
   * wrote; held before it lands, the request's conflicts with the writer's.
   */
  @ParameterizedTest(name = "the writer held before it {0}s")
  @ValueSource(strings = {"send", "land"})
  void aRequestWritingThroughWhileTheWriterWritesManyChanges_eachChangeLandsOnce(String held)
      throws Exception {
    Races.Gate round = new Races.Gate("round");
    Races.Gate writer = new Races.Gate(held);
    CompletableFuture<Void> waits = new CompletableFuture<>();
    RedisSessions a = sessions(redis.uri(), true, RedisSessions.BEHIND_SHARE * MANY);
    boolean closed = false;
    try (RedisSessions reader = sessions(redis.uri(), false, 100_000)) {
      a.probe(
          point -> {
            round.at(point);
            writer.at(point);
            if (point.equals("waits")) {
              waits.complete(null);
            }
          });
      try {
        PersonaEngine onA = engine(a);
        assertThat(requests(onA.decide(productView("s")))).isEqualTo(1); // written through
        round.arm();
        for (int i = 0; i < MANY; i++) {
          assertThat(requests(onA.decide(productView("s")))).isEqualTo(i + 2); // written behind
        }
        writer.arm();
        round.open();
        writer.awaitReached(); // with all the changes, on the copy the requests saw

        // the queue is at its bound for changes written behind: written through, with what waits
        CompletableFuture<Integer> through =
            CompletableFuture.supplyAsync(() -> requests(onA.decide(productView("s"))), requests);
        CompletableFuture.anyOf(through, waits).get(20, TimeUnit.SECONDS); // wrote, or waits
        writer.open();

        int made = 1 + MANY + 1;
        assertThat(through.get(20, TimeUnit.SECONDS))
            .as("the request written through")
            .isEqualTo(made);
        assertThat(a.counters()[11]).as("written behind").isEqualTo(MANY);
        a.close(); // the writer ends its round, and writes what waits
        closed = true;
        SessionState stored = reader.get("s");
        assertThat(stored).isNotNull();
        assertThat(stored.visits()).as("requests in Redis").isEqualTo(made);
      } finally {
        round.open();
        writer.open();
        if (!closed) {
          a.close();
        }
      }
    }
  }

  /**
   * While one change waits, at the part of the bound that changes written behind may fill, a
   * request writes through; once its write landed, and before it keeps its copy, the next request
   * goes behind on the copy as it was. That one decided without the change written through, so the
   * request written through must see it.
   */
  @Test
  void aRequestWritingThroughWhileOthersGoBehind_seesTheChangesDecidedBeforeIt() throws Exception {
    // The next request goes behind on the copy as it was only while the report of the write
    // through is being checked (a check finds the new token, and the copy as it was is then
    // changed); the check's answer is kept from coming, so that the order is the one under test.
    // Otherwise the report or the check may come first, and a fresh session is tried.
    for (int attempt = 0; attempt < 5; attempt++) {
      if (writeThroughWithOneBehind("s" + attempt)) {
        return;
      }
    }
    throw new AssertionError("no request went behind while another wrote through, in 5 tries");
  }

  /** Returns whether a request went behind while another wrote through, after checking them. */
  private boolean writeThroughWithOneBehind(String id) throws Exception {
    Races.Gate round = new Races.Gate("round");
    Races.Gate written = new Races.Gate("written");
    CompletableFuture<Void> waits = new CompletableFuture<>();
    AtomicBoolean unchecked = new AtomicBoolean();
    // a tenth of 10: while one change waits, the next request writes through
    RedisSessions a = sessions(redis.uri(), true, 10);
    boolean closed = false;
    try (RedisSessions reader = sessions(redis.uri(), false, 100_000)) {
      a.probe(
          point -> {
            round.at(point);
            written.at(point);
            if (point.equals("waits")) {
              waits.complete(null);
            }
            if (point.equals("check") && unchecked.get()) {
              throw new IllegalStateException("the check's answer does not come");
            }
          });
      try {
        PersonaEngine onA = engine(a);
        assertThat(requests(onA.decide(productView(id)))).isEqualTo(1); // written through
        round.arm(); // the writer leaves what is queued alone
        assertThat(requests(onA.decide(productView(id)))).isEqualTo(2); // written behind
        RedisServer.sleep(50); // the first write's report heard and checked
        unchecked.set(true);
        written.arm();

        // one change waits: written through, and held after it landed, before its copy is kept
        CompletableFuture<Integer> through =
            CompletableFuture.supplyAsync(() -> requests(onA.decide(productView(id))), requests);
        written.awaitReached();
        // nothing waits now: written behind, on the copy as it was
        CompletableFuture<Integer> behind =
            CompletableFuture.supplyAsync(() -> requests(onA.decide(productView(id))), requests);
        CompletableFuture.anyOf(behind, waits).get(20, TimeUnit.SECONDS);
        boolean wentBehind = a.counters()[11] == 2;
        written.open();
        int last = through.get(20, TimeUnit.SECONDS);
        int before = behind.get(20, TimeUnit.SECONDS);
        if (!wentBehind) {
          return false;
        }

        // the change written behind did not see the one written through, so that one sees it
        assertThat(before).as("the request written behind").isEqualTo(3);
        assertThat(last).as("the request written through").isEqualTo(4);
        round.open();
        a.close(); // the writer writes what waits
        closed = true;
        SessionState stored = reader.get(id);
        assertThat(stored).isNotNull();
        assertThat(stored.visits()).as("requests in Redis").isEqualTo(4);
        return true;
      } finally {
        round.open();
        written.open();
        if (!closed) {
          a.close();
        }
      }
    }
  }

  private static Visit productView(String sessionId) {
    return Visit.builder(sessionId).event(Event.of("product_view")).build();
  }

  /** Returns the requests the decision's session state counted; the decision is not degraded. */
  private static int requests(Decision d) {
    assertThat(d.flags()).isEmpty();
    Signal s = d.signal("requests");
    assertThat(s).isNotNull();
    return ((Number) s.value()).intValue();
  }
}
