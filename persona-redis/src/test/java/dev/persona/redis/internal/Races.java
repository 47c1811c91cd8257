package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.StatsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What the tests that force interleavings of requests and the background writer share: sessions on
 * a server with the library's default timeouts, an engine on them, and a gate that holds a thread
 * at a {@link RedisSessions.Probe} point.
 */
final class Races {
  /** A fixed clock for the engines: counts do not decay, so they are exact. */
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);

  private Races() {}

  /** Returns sessions on the server at {@code uri}, their changes dated by the system clock. */
  static RedisSessions sessions(String uri, boolean writeBehind, int maxPendingChanges) {
    return sessions(link(uri), writeBehind, maxPendingChanges);
  }

  /**
   * Returns a link to the server at {@code uri}, for {@link #sessions(RedisLink, boolean, int)}.
   */
  static RedisLink link(String uri) {
    return new RedisLink(
        RedisLink.parse(uri),
        false,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        RedisSessions.SCRIPTS);
  }

  /** Returns sessions on the link, their changes dated by the system clock. */
  static RedisSessions sessions(RedisLink link, boolean writeBehind, int maxPendingChanges) {
    return new RedisSessions(
        link,
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        1_000,
        Duration.ofSeconds(1),
        maxPendingChanges,
        Clock.systemUTC(),
        writeBehind);
  }

  /**
   * Returns sessions on the link whose copies answer a read only while known current (no staleness
   * allowed), their changes dated by the system clock.
   */
  static RedisSessions patient(RedisLink link) {
    return new RedisSessions(
        link,
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        1_000,
        Duration.ZERO,
        1_000,
        Clock.systemUTC(),
        false);
  }

  /**
   * Waits until each of these instances would find that Redis lost its data (its writer read the
   * canary), at most 20 s: a test that kills Redis waits for it first, however busy the machine.
   */
  static void awaitWatchingForLoss(RedisSessions... instances) {
    for (RedisSessions s : instances) {
      awaitTrue(s::watchesForLoss);
    }
  }

  /** Waits until the condition holds, at most 20 s, looking every 10 ms. */
  static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, 20);
  }

  /** Waits until the condition holds, at most {@code seconds}, looking every 10 ms. */
  static void awaitTrue(BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within " + seconds + " s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Returns sessions on the link whose calls wait for Redis 50 ms, the default command timeout. */
  static RedisSessions quick(RedisLink link) {
    return quick(link, false);
  }

  /** Returns sessions as {@link #quick(RedisLink)} does, writing behind or not. */
  static RedisSessions quick(RedisLink link, boolean writeBehind) {
    return new RedisSessions(
        link,
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofMillis(50),
        1_000,
        Duration.ofSeconds(1),
        1_000,
        Clock.systemUTC(),
        writeBehind);
  }

  /**
   * Returns an engine with the default rule set on the sessions, with the {@link #FIXED} clock,
   * recording outcomes in {@code stats}.
   */
  static PersonaEngine engine(RedisSessions sessions, StatsStore stats) {
    return PersonaEngine.builder()
        .ruleSet(RuleSetReader.defaultRuleSet())
        .clock(FIXED)
        .sessions(SessionConfig.store(store(sessions)).build())
        .experiments(ExperimentConfig.builder().statsStore(stats).build())
        .build();
  }

  /** Returns an engine with the default rule set on the sessions, with the {@link #FIXED} clock. */
  static PersonaEngine engine(RedisSessions sessions) {
    return PersonaEngine.builder()
        .ruleSet(RuleSetReader.defaultRuleSet())
        .clock(FIXED)
        .sessions(SessionConfig.store(store(sessions)).build())
        .build();
  }

  /**
   * Returns the sessions as the engine's session store, as {@code RedisSessionStore} wraps them.
   */
  static SessionStore store(RedisSessions sessions) {
    return new SessionStore() {
      @Override
      public @Nullable SessionState get(String sessionId) {
        return sessions.get(sessionId);
      }

      @Override
      public @Nullable SessionState update(
          String sessionId, UnaryOperator<@Nullable SessionState> change) {
        return sessions.update(sessionId, change);
      }

      @Override
      public void remove(String sessionId) {
        sessions.remove(sessionId);
      }

      @Override
      public boolean boundsCallTime() {
        return true;
      }

      @Override
      public boolean tellsKept() {
        return true;
      }
    };
  }

  /** Returns sessions on the server at {@code uri} that hold no copy: each read is Redis's. */
  static RedisSessions noCopies(String uri) {
    return new RedisSessions(
        link(uri),
        new SessionKeys("race:", null),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        0,
        Duration.ZERO,
        1_000,
        Clock.systemUTC(),
        false);
  }

  /**
   * Returns the visits Redis holds of the session, read by {@code reader}: 0 when it holds none, -1
   * when Redis did not answer (so that no awaited count is met by an unreachable server).
   */
  static long visits(RedisSessions reader, String sessionId) {
    try {
      SessionState s = reader.get(sessionId);
      return s == null ? 0 : s.visits();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Returns whether the link is connected again: it answers a PING within a second. */
  static boolean answers(RedisLink link) {
    try {
      link.await(() -> link.commands().ping(), System.nanoTime() + 1_000_000_000L);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Returns a visit of the session with one product view. */
  static Visit productView(String sessionId) {
    return Visit.builder(sessionId).event(Event.of("product_view")).build();
  }

  /** Holds the first thread that reaches a point while armed, until opened. */
  static final class Gate {
    private final String point;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicBoolean taken = new AtomicBoolean();
    private volatile boolean armed;

    Gate(String point) {
      this.point = point;
    }

    void arm() {
      armed = true;
    }

    void at(String p) {
      if (armed && p.equals(point) && taken.compareAndSet(false, true)) {
        reached.countDown();
        try {
          opened.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void awaitReached() throws InterruptedException {
      assertThat(reached.await(20, TimeUnit.SECONDS)).as(point + " reached").isTrue();
    }

    void open() {
      armed = false;
      opened.countDown();
    }
  }
}
