package dev.persona.redis;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.SessionStore;
import dev.persona.testing.LocalRedis;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Engines, stores and visits shared by the tests. */
final class Fixtures {
  static final RuleSet RULES = RuleSetReader.defaultRuleSet();

  /** A fixed clock: behaviour does not decay between requests, so counts are exact. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-10T12:00:00Z"), ZoneOffset.UTC);

  private Fixtures() {}

  /** An engine, as one instance of a storefront, on the given store. */
  static PersonaEngine engine(SessionStore store) {
    return PersonaEngine.builder()
        .ruleSet(RULES)
        .clock(CLOCK)
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  /**
   * A session store generous with time, for tests of correctness rather than of timeouts, on a
   * server or a cluster.
   */
  static RedisSessionStore.Builder patientStore(LocalRedis redis) {
    return RedisSessionStore.builder(redis.uri())
        .cluster(redis.cluster())
        .commandTimeout(java.time.Duration.ofSeconds(5));
  }

  /**
   * How many times longer to run the exactness tests than in the normal build: {@code
   * -Dpersona.redis.scale=N} (default 1).
   */
  static int scale() {
    int n = Integer.getInteger("persona.redis.scale", 1);
    if (n < 1) {
      throw new IllegalArgumentException("-Dpersona.redis.scale must be a positive number");
    }
    return n;
  }

  /**
   * Returns three session ids that start with {@code prefix}, one in each third of the cluster's
   * hash slots: on a cluster of three masters, one on each.
   */
  static List<String> onEveryThird(RedisSessionStore store, String prefix) {
    List<String> sessions = new ArrayList<>();
    for (int third = 0; third < 3; third++) {
      for (int i = 0; ; i++) {
        String id = prefix + i;
        if (SlotHash.getSlot(store.redisKey(id)) * 3 / SlotHash.SLOT_COUNT == third) {
          sessions.add(id);
          break;
        }
      }
    }
    return sessions;
  }

  /** A request of the session that views one product. */
  static Visit productView(String sessionId) {
    return Visit.builder(sessionId).event(Event.of("product_view")).build();
  }

  /** Returns whether a key holds a session's state (not nothing, nor a tombstone). */
  static boolean holdsState(LocalRedis redis, String key) {
    return redis.commands(r -> r.hexists(key.getBytes(StandardCharsets.UTF_8), new byte[] {'d'}));
  }

  /** Returns a numeric signal of a decision, or -1 when it is missing. */
  static double signal(Decision d, String key) {
    Signal s = d.signal(key);
    return s == null ? -1.0 : ((Number) s.value()).doubleValue();
  }
}
