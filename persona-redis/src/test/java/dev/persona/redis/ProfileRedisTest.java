package dev.persona.redis;

import static dev.persona.redis.Fixtures.patientStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.SessionSnapshot;
import dev.persona.Signal;
import dev.persona.Visit;
import dev.persona.config.ProfileConfig;
import dev.persona.config.SessionConfig;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Profiles on Redis (issue 20): a second {@link RedisSessionStore}, with a key prefix of its own
 * and the profile's time to live, shares each signed-in user's profile between instances with the
 * guarantees of sessions: one engine's sessions build it, another's new session starts from it, two
 * devices on two instances converge, and {@code forgetUser} erases it everywhere, also when Redis
 * is down at that moment.
 */
class ProfileRedisTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private RedisServer redis;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  /** One instance of a storefront: its session store and its profile store. */
  private final class Instance implements AutoCloseable {
    final RedisSessionStore sessions;
    final RedisSessionStore profiles;
    final PersonaEngine engine;

    Instance(
        RedisSessionStore.Builder sessions,
        RedisSessionStore.Builder profiles,
        boolean requireConsent) {
      this.sessions = sessions.keyPrefix("shop:").clock(clock).build();
      this.profiles =
          profiles.keyPrefix("shop:profile:").sessionTtl(Duration.ofDays(180)).clock(clock).build();
      this.engine =
          PersonaEngine.builder()
              .ruleSet(Fixtures.RULES)
              .clock(clock)
              .sessions(SessionConfig.store(this.sessions).build())
              .profiles(ProfileConfig.store(this.profiles).build())
              .requireConsent(requireConsent)
              .build();
    }

    Instance(RedisSessionStore.Builder sessions, RedisSessionStore.Builder profiles) {
      this(sessions, profiles, false);
    }

    Instance() {
      this(patientStore(redis), patientStore(redis));
    }

    @Override
    public void close() {
      sessions.close();
      profiles.close();
    }
  }

  @Test
  void aNewSessionOnAnotherInstance_startsFromTheProfile() {
    try (Instance a = new Instance();
        Instance b = new Instance()) {
      a.engine.decide(
          signedIn("phone", "u1")
              .event(view("sku-1"))
              .event(view("sku-2"))
              .event(add("sku-2"))
              .build());
      clock.advance(Duration.ofDays(3));

      Decision d = b.engine.decide(signedIn("laptop", "u1").build());

      assertThat(set(d, "recently_viewed")).containsExactly("sku-2", "sku-1");
      assertThat(set(d, "open_cart")).containsExactly("sku-2");
      assertThat(number(d, "previous_visits")).isEqualTo(1);
      assertThat(number(d, "days_since_last_visit")).isEqualTo(3.0);
      // the user id reaches Redis only hashed, under the profile store's own prefix
      assertThat(redis.keys()).contains(a.profiles.redisKey("u1"));
      assertThat(redis.keys()).noneMatch(k -> k.contains("u1"));
    }
  }

  @Test
  void twoDevicesOnTwoInstances_converge() {
    try (Instance a = new Instance();
        Instance b = new Instance()) {
      a.engine.decide(signedIn("phone", "u1").event(view("p1")).build());
      clock.advance(Duration.ofMinutes(1));
      b.engine.decide(signedIn("laptop", "u1").event(view("p2")).event(add("p2")).build());
      clock.advance(Duration.ofMinutes(1));
      a.engine.decide(signedIn("phone", "u1").event(add("p1")).build());
      clock.advance(Duration.ofMinutes(1));

      Decision phone = a.engine.decide(signedIn("phone", "u1").build());
      Decision laptop = b.engine.decide(signedIn("laptop", "u1").build());

      assertThat(set(phone, "recently_viewed")).containsExactly("p2", "p1");
      assertThat(set(laptop, "recently_viewed")).containsExactly("p2", "p1");
      assertThat(set(phone, "open_cart")).containsExactly("p1", "p2");
      assertThat(set(laptop, "open_cart")).containsExactly("p1", "p2");
      assertThat(number(phone, "cart_items")).isEqualTo(2);
      assertThat(number(laptop, "cart_items")).isEqualTo(2);
    }
  }

  @Test
  void anAnonymousSessionSigningInOnAnotherInstance_isMergedIntoTheProfile() {
    try (Instance a = new Instance();
        Instance b = new Instance()) {
      a.engine.decide(signedIn("old", "u1").event(view("sku-x")).build());
      clock.advance(Duration.ofDays(1));
      a.engine.decide(Visit.builder("new").event(view("sku-a")).event(add("sku-a")).build());
      clock.advance(Duration.ofMinutes(1));

      Decision d = b.engine.decide(signedIn("new", "u1").build());

      assertThat(set(d, "recently_viewed")).containsExactly("sku-a", "sku-x");
      assertThat(set(d, "open_cart")).containsExactly("sku-a");
      assertThat(number(d, "requests")).isEqualTo(2);
    }
  }

  @Test
  void forgetUser_erasesTheProfile_onEveryInstance() {
    try (Instance a = new Instance();
        Instance b = new Instance()) {
      a.engine.decide(signedIn("phone", "u1").event(view("sku-1")).build());
      b.engine.decide(signedIn("laptop", "u1").event(view("sku-2")).build()); // b holds a copy

      assertThat(a.engine.forgetUser("u1")).isEqualTo(2);

      Decision d = b.engine.decide(signedIn("tablet", "u1").build());
      assertThat(d.signal("recently_viewed")).isNull();
      assertThat(number(d, "previous_visits")).isZero();
      assertThat(b.engine.decide(signedIn("laptop", "u1").build()).signal("recently_viewed"))
          .isNull();
    }
  }

  @Test
  void forgetUserWhileRedisIsDown_erasesTheProfileWhenRedisAnswers_andNoInstanceUsesItMeanwhile() {
    try (Instance a = new Instance(fastStore(), fastStore());
        Instance b = new Instance(fastStore(), fastStore())) {
      a.engine.decide(signedIn("phone", "u1").event(view("before")).build());
      b.engine.decide(signedIn("laptop", "u1").event(view("before-2")).build());
      RedisServer.sleep(1_500); // both have seen the canary
      redis.stop();
      clock.advance(Duration.ofSeconds(1));
      a.engine.forgetUser("u1"); // waits in a's queue

      clock.advance(Duration.ofSeconds(1));
      Decision onA = a.engine.decide(signedIn("tablet", "u1").event(view("after")).build());
      Decision onB = b.engine.decide(signedIn("laptop", "u1").build());
      assertThat(set(onA, "recently_viewed")).containsExactly("after");
      assertThat(
              onB.signal("recently_viewed") == null
                  || !set(onB, "recently_viewed").contains("before"))
          .as("b uses no copy while Redis is away")
          .isTrue();

      redis.startAgain();
      awaitTrue(
          () ->
              a.profiles.stats().pendingChanges() + a.profiles.stats().pendingErasures() == 0
                  && b.profiles.stats().pendingChanges() + b.profiles.stats().pendingErasures() == 0
                  && a.sessions.stats().pendingErasures() == 0);
      RedisServer.sleep(2_000); // what may still land: write-backs, re-checks

      try (Instance c = new Instance()) {
        clock.advance(Duration.ofSeconds(1));
        Decision later = c.engine.decide(signedIn("desktop", "u1").build());
        Set<String> viewed = set(later, "recently_viewed");
        assertThat(viewed).contains("after").doesNotContain("before", "before-2");
      }
    }
  }

  @Test
  void inspectUser_onAnotherInstance_showsTheProfile_untilForgetUserErasesIt() {
    try (Instance a = new Instance();
        Instance b = new Instance()) {
      a.engine.decide(
          signedIn("phone", "u1")
              .declared("priority", "price")
              .event(view("sku-1"))
              .event(add("sku-1"))
              .build());
      clock.advance(Duration.ofMinutes(1));
      a.engine.decide(signedIn("laptop", "u1").event(view("sku-2")).build());

      SessionSnapshot p = b.engine.inspectUser("u1");

      assertThat(p).isNotNull();
      assertThat(p.sessions()).isEqualTo(2);
      assertThat(p.recentlyViewed()).containsExactly("sku-2", "sku-1");
      assertThat(p.openCart()).containsExactly("sku-1");
      assertThat(p.declared()).containsEntry("priority", "price");
      assertThat(p.totals()).containsEntry("product_views", 2);
      assertThat(p.toString()).doesNotContain("u1", "sku-", "price");
      assertThat(b.engine.inspectUser("u2")).isNull();

      a.engine.forgetUser("u1");
      awaitTrue(() -> b.engine.inspectUser("u1") == null); // b's copy goes within maxStaleness
    }
  }

  @Test
  void requireConsent_aGrantMadeOnOneInstance_holdsInTheUsersNewSessionOnAnother() {
    try (Instance a = new Instance(patientStore(redis), patientStore(redis), true);
        Instance b = new Instance(patientStore(redis), patientStore(redis), true)) {
      a.engine.decide(
          signedIn("phone", "u1").declared("consent", "granted").event(view("sku-1")).build());
      clock.advance(Duration.ofDays(1));

      Decision laptop = b.engine.decide(signedIn("laptop", "u1").event(view("sku-2")).build());

      assertThat(laptop.consent()).isEqualTo(ConsentMode.FULL);
      assertThat(set(laptop, "recently_viewed")).containsExactly("sku-2", "sku-1");
      assertThat(b.engine.decide(Visit.builder("kiosk").build()).consent())
          .isEqualTo(ConsentMode.REQUEST_ONLY); // anonymous: no one's grant

      a.engine.decide(signedIn("phone", "u1").declared("consent", "denied").build());
      Decision tablet = b.engine.decide(signedIn("tablet", "u1").event(view("sku-3")).build());
      assertThat(tablet.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
      assertThat(tablet.signal("recently_viewed")).isNull();
    }
  }

  @Test
  void aProfileStoreWritingBehind_takesTheProfilesRoundTripOffTheRequest_andLosesNothing() {
    try (Instance a = new Instance(patientStore(redis), patientStore(redis).writeBehind(true));
        Instance b = new Instance()) {
      a.engine.decide(signedIn("phone", "u1").event(view("p0")).build()); // read, written through
      RedisServer.sleep(200); // until Redis confirms tracking the copy
      for (int i = 1; i <= 5; i++) {
        Decision d = a.engine.decide(signedIn("phone", "u1").event(view("p" + i)).build());
        assertThat(d.flags()).isEmpty();
        assertThat(set(d, "recently_viewed")).startsWith("p" + i); // the decision sees its change
      }

      // the profile's changes were written in the background, not on the request thread
      assertThat(a.profiles.stats().writtenBehind()).isPositive();
      awaitTrue(() -> a.profiles.stats().pendingChanges() == 0);
      Decision laptop = b.engine.decide(signedIn("laptop", "u1").build());
      assertThat(set(laptop, "recently_viewed"))
          .containsExactly("p5", "p4", "p3", "p2", "p1", "p0");
      assertThat(b.engine.inspectUser("u1").requests()).isEqualTo(7);
    }
  }

  private RedisSessionStore.Builder fastStore() {
    return RedisSessionStore.builder(redis.uri());
  }

  private static Visit.Builder signedIn(String session, String user) {
    return Visit.builder(session).userId(user);
  }

  private static Event view(String product) {
    return Event.of("product_view", Map.of("product", product));
  }

  private static Event add(String product) {
    return Event.of("add_to_cart", Map.of("product", product));
  }

  private static double number(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    return ((Number) s.value()).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    return (Set<String>) s.value();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within 20 s");
      }
      RedisServer.sleep(10);
    }
  }
}
