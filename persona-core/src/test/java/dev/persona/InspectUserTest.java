package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.ProfileConfig;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonaEngine#inspectUser}: what the engine keeps about a signed-in shopper across
 * sessions and devices, their profile, shown as {@link PersonaEngine#inspect} shows a session;
 * nothing when there is no profile; a look that changes nothing; no id in its {@code toString}.
 */
final class InspectUserTest {
  private static final Instant START = Instant.parse("2026-11-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);

  private PersonaEngine engine(@Nullable ProfileConfig profiles) {
    PersonaEngine.Builder b = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).clock(clock);
    if (profiles != null) {
      b.profiles(profiles);
    }
    return b.build();
  }

  @Test
  void showsTheProfile_builtBySessionsOnTwoDevices() {
    PersonaEngine engine = engine(null);
    engine.decide(
        signedIn("phone", "user-7")
            .declared("priority", "price")
            .event(view("sku-1", "shoes", "acme"))
            .event(view("sku-2", "shoes", "acme"))
            .event(add("sku-2"))
            .build());
    clock.advance(Duration.ofDays(1));
    engine.decide(signedIn("laptop", "user-7").event(view("sku-3", "bags", "zeta")).build());

    SessionSnapshot p = engine.inspectUser("user-7");

    assertThat(p).isNotNull();
    assertThat(p.sessions()).isEqualTo(2);
    assertThat(p.requests()).isEqualTo(2);
    assertThat(p.firstSeen()).isEqualTo(START);
    assertThat(p.lastSeen()).isEqualTo(START.plus(Duration.ofDays(1)));
    assertThat(p.recentlyViewed()).containsExactly("sku-3", "sku-2", "sku-1");
    assertThat(p.openCart()).containsExactly("sku-2");
    assertThat(p.cartItems()).isEqualTo(1);
    assertThat(p.declared()).containsEntry("priority", "price");
    assertThat(p.totals()).containsEntry("product_views", 3);
    assertThat(p.categories()).containsOnlyKeys("shoes", "bags");
    assertThat(p.brands()).containsOnlyKeys("acme", "zeta");
    assertThat(p.arms()).isEmpty();
    // a session's look shows that session alone
    SessionSnapshot laptop = engine.inspect("laptop");
    assertThat(laptop.recentlyViewed()).containsExactly("sku-3");
    assertThat(laptop.sessions()).isZero();
    assertThat(laptop.categories()).containsOnlyKeys("bags");
  }

  @Test
  void countsAndAffinities_decayByTheProfilesHalfLife_toTheTimeOfTheLook() {
    PersonaEngine engine = engine(ProfileConfig.inMemory(10).halfLife(Duration.ofDays(7)).build());
    engine.decide(signedIn("s1", "u1").event(view("a", "shoes", null)).build());
    clock.advance(Duration.ofDays(7));

    SessionSnapshot p = engine.inspectUser("u1");

    assertThat(p.totals()).containsEntry("product_views", 1);
    assertThat(p.counts().get("product_views")).isCloseTo(0.5, within(1e-6));
    assertThat(p.categories().get("shoes")).isCloseTo(0.5 * weightNow(engine), within(1e-6));
    assertThat(p.idle()).isEqualTo(Duration.ofDays(7));
  }

  /** The weight of one view of a category in a state seen just now, for comparison. */
  private double weightNow(PersonaEngine engine) {
    engine.decide(signedIn("s9", "u9").event(view("z", "shoes", null)).build());
    return engine.inspectUser("u9").categories().get("shoes");
  }

  @Test
  void theLookChangesNothing_andOutlivesNoTimeToLive() {
    PersonaEngine engine =
        engine(ProfileConfig.inMemory(10).timeToLive(Duration.ofDays(10)).build());
    engine.decide(signedIn("s1", "u1").event(view("a", null, null)).build());
    clock.advance(Duration.ofDays(9));
    SessionSnapshot before = engine.inspectUser("u1");
    assertThat(before.lastSeen()).isEqualTo(START);
    assertThat(engine.inspectUser("u1").requests()).isEqualTo(before.requests());

    clock.advance(Duration.ofDays(2)); // 11 days after the last visit: the looks kept nothing alive
    assertThat(engine.inspectUser("u1")).isNull();
  }

  @Test
  void showsNothing_withoutAProfile() {
    PersonaEngine engine = engine(null);
    engine.decide(Visit.builder("anonymous").event(view("a", null, null)).build());
    assertThat(engine.inspectUser("nobody")).isNull();
    assertThat(engine.inspectUser("x".repeat(10_000))).isNull();
    assertThatThrownBy(() -> engine.inspectUser(null)).isInstanceOf(NullPointerException.class);

    PersonaEngine off = engine(ProfileConfig.off());
    off.decide(signedIn("s1", "u1").event(view("a", null, null)).build());
    assertThat(off.inspectUser("u1")).isNull();

    PersonaEngine ownStore =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(
                SessionConfig.store(SessionStore.inMemory(10, Duration.ofMinutes(30))).build())
            .build();
    ownStore.decide(signedIn("s1", "u1").build());
    assertThat(ownStore.inspectUser("u1"))
        .isNull(); // no profile by default with a store of one's own
  }

  @Test
  void aDenial_showsTheDenialAlone_andForgetUserErasesTheProfile() {
    PersonaEngine engine = engine(null);
    engine.decide(signedIn("s1", "u1").event(view("a", "shoes", null)).build());
    engine.decide(signedIn("s1", "u1").declared("consent", "denied").build());

    SessionSnapshot denied = engine.inspectUser("u1");
    assertThat(denied.consent()).isEqualTo("denied");
    assertThat(denied.declared()).containsOnlyKeys("consent");
    assertThat(denied.recentlyViewed()).isEmpty();
    assertThat(denied.totals()).isEmpty();

    engine.decide(signedIn("s2", "u2").event(view("b", null, null)).build());
    engine.forgetUser("u2");
    assertThat(engine.inspectUser("u2")).isNull();
  }

  @Test
  void aProfileStoreThatFails_showsNothing_andTheFailureIsCounted() {
    SessionStore failing =
        new SessionStore() {
          @Override
          public @Nullable SessionState get(String sessionId) {
            throw new IllegalStateException("down");
          }

          @Override
          public @Nullable SessionState update(
              String sessionId, UnaryOperator<@Nullable SessionState> change) {
            throw new IllegalStateException("down");
          }

          @Override
          public void remove(String sessionId) {}

          @Override
          public boolean boundsCallTime() {
            return true;
          }
        };
    PersonaEngine engine = engine(ProfileConfig.store(failing).build());
    long before = engine.stats().storeFailures();

    assertThat(engine.inspectUser("u1")).isNull();

    assertThat(engine.stats().storeFailures()).isEqualTo(before + 1);
  }

  @Test
  void toString_namesNoIdOrValue() {
    PersonaEngine engine = engine(null);
    engine.decide(
        signedIn("session-4242", "user-4242")
            .declared("priority", "cheapest-4242")
            .event(view("sku-4242", "cat-4242", "brand-4242"))
            .event(add("sku-4242"))
            .build());

    String text = engine.inspectUser("user-4242").toString();

    assertThat(text).doesNotContain("4242");
    assertThat(text).contains("recentlyViewed=1", "openCart=1", "sessions=1");
  }

  private static Visit.Builder signedIn(String session, String user) {
    return Visit.builder(session).userId(user);
  }

  private static Event view(String product, @Nullable String category, @Nullable String brand) {
    Event.Builder b = Event.builder("product_view").attribute("product", product);
    if (category != null) {
      b.attribute("category", category);
    }
    if (brand != null) {
      b.attribute("brand", brand);
    }
    return b.build();
  }

  private static Event add(String product) {
    return Event.of("add_to_cart", Map.of("product", product));
  }
}
