package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Experiment.Sticky;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonaEngine#inspect}: a read-only look at a session for support, which shows raw totals
 * and decayed counts, and changes nothing a later decision sees.
 */
final class SessionSnapshotTest {
  private static final Instant START = Instant.parse("2026-11-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);

  private static RuleSet rules() {
    return TestRules.builder()
        .placement(
            new Placement(
                    "home.banner",
                    List.of(
                        Variant.builder("a").build(),
                        Variant.builder("b").build(),
                        Variant.builder("control").asDefault().build()))
                .withExperiment(
                    Experiment.of("banner-test", Arm.of("a", 50), Arm.of("b", 50))
                        .withSticky(Sticky.SESSION)))
        .build();
  }

  private PersonaEngine engine(SessionConfig sessions) {
    return PersonaEngine.builder().ruleSet(rules()).clock(clock).sessions(sessions).build();
  }

  private PersonaEngine engine() {
    return engine(SessionConfig.inMemory(1_000).build());
  }

  private static Visit views(String session, int n) {
    Visit.Builder b = Visit.builder(session);
    for (int i = 0; i < n; i++) {
      b.event(Event.builder("product_view").attribute("category", "tents").build());
    }
    return b.build();
  }

  @Test
  void showsRawTotalsAndCountsDecayedToNow_declarationsAndArms() {
    PersonaEngine engine = engine();
    Decision first = engine.decide(views("s1", 2));
    clock.advance(Duration.ofMinutes(20));
    engine.decide(
        Visit.builder("s1").event(Event.of("apply_coupon")).declared("priority", "price").build());
    clock.advance(Duration.ofMinutes(20));

    SessionSnapshot look = engine.inspect("s1");

    assertThat(look).isNotNull();
    assertThat(look.totals()).containsEntry("product_views", 2).containsEntry("coupons_applied", 1);
    // half-life 1 h: two views 40 minutes ago, a coupon 20 minutes ago
    assertThat(look.counts().get("product_views"))
        .isCloseTo(2 * Math.pow(0.5, 40 / 60.0), within(1e-9));
    assertThat(look.counts().get("coupons_applied"))
        .isCloseTo(Math.pow(0.5, 20 / 60.0), within(1e-9));
    assertThat(look.requests()).isEqualTo(2);
    assertThat(look.firstSeen()).isEqualTo(START);
    assertThat(look.lastSeen()).isEqualTo(START.plus(Duration.ofMinutes(20)));
    assertThat(look.at()).isEqualTo(START.plus(Duration.ofMinutes(40)));
    assertThat(look.idle()).isEqualTo(Duration.ofMinutes(20));
    assertThat(look.declared()).containsEntry("priority", "price");
    assertThat(look.consent()).isNull();
    assertThat(look.arms())
        .containsExactly(Map.entry("banner-test", first.variant("home.banner").variant()));
  }

  @Test
  void theCountsAreWhatTheNextDecisionTests() {
    PersonaEngine engine = engine();
    engine.decide(views("s1", 3));
    clock.advance(Duration.ofMinutes(17));

    SessionSnapshot look = engine.inspect("s1");
    Decision next = engine.decide(Visit.builder("s1").build());

    assertThat(look.counts().get("product_views")).isEqualTo(next.signal("product_views").value());
  }

  @Test
  void aDecisionAfterTheLook_seesExactlyWhatItWouldHaveSeen() {
    PersonaEngine looked = engine();
    PersonaEngine untouched = engine();
    for (PersonaEngine e : List.of(looked, untouched)) {
      e.decide(views("s1", 2));
      e.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());
    }
    clock.advance(Duration.ofMinutes(29));
    for (int i = 0; i < 5; i++) {
      looked.inspect("s1");
    }
    long decisionsBefore = looked.stats().decisions();
    clock.advance(Duration.ofMinutes(2)); // 31 idle minutes: the look kept nothing alive

    Decision afterLook = looked.decide(Visit.builder("s1").build());
    Decision without = untouched.decide(Visit.builder("s1").build());

    assertThat(decisionsBefore).isEqualTo(untouched.stats().decisions() - 1);
    assertThat(afterLook.signals()).isEqualTo(without.signals());
    assertThat(afterLook.signal("requests").value()).isEqualTo(1.0); // a new session: it expired
    assertThat(afterLook.persona()).isEqualTo(without.persona());
  }

  @Test
  void theLookWritesNothingToTheStore() {
    RecordingStore store = new RecordingStore();
    PersonaEngine engine = engine(SessionConfig.store(store).build());
    engine.decide(views("s1", 2));
    int writes = store.writes.size();
    int reads = store.reads;

    SessionSnapshot look = engine.inspect("s1");

    assertThat(look).isNotNull();
    assertThat(look.totals()).containsEntry("product_views", 2);
    assertThat(store.writes).hasSize(writes);
    assertThat(store.reads).isEqualTo(reads + 1);
  }

  @Test
  void showsNothing_forAnUnknownIdleOrOverLongSession() {
    PersonaEngine engine = engine();
    engine.decide(views("s1", 1));

    assertThat(engine.inspect("unknown")).isNull();
    assertThat(engine.inspect("x".repeat(10_000))).isNull();
    clock.advance(Duration.ofMinutes(31));
    assertThat(engine.inspect("s1")).isNull();
  }

  @Test
  void underADenialOfConsent_showsTheDenialAlone() {
    PersonaEngine engine = engine();
    engine.decide(views("s1", 3));
    engine.decide(Visit.builder("s1").declared("consent", "denied").build());

    SessionSnapshot look = engine.inspect("s1");

    assertThat(look).isNotNull();
    assertThat(look.consent()).isEqualTo("denied");
    assertThat(look.totals()).isEmpty();
    assertThat(look.counts()).isEmpty();
    assertThat(look.declared()).containsOnlyKeys("consent");
    assertThat(look.arms()).isEmpty();
  }

  @Test
  void aGrantedConsentIsShown() {
    PersonaEngine engine = engine();
    engine.decide(Visit.builder("s1").declared("consent", "granted").build());

    assertThat(engine.inspect("s1").consent()).isEqualTo("granted");
  }

  @Test
  void toString_holdsNoIdOrValue() {
    PersonaEngine engine = engine();
    engine.decide(
        Visit.builder("session-4711")
            .event(Event.builder("product_view").attribute("brand", "Acme").build())
            .declared("priority", "quality")
            .build());

    String text = engine.inspect("session-4711").toString();

    assertThat(text).doesNotContain("4711", "Acme", "quality", "priority", "banner");
    assertThat(text).contains("requests=1");
  }

  /** An in-memory store that records the calls that could write. */
  private static final class RecordingStore implements SessionStore {
    final SessionStore backing = SessionStore.inMemory(100, Duration.ofHours(1));
    final List<String> writes = new ArrayList<>();
    int reads;

    @Override
    public synchronized @Nullable SessionState get(String sessionId) {
      reads++;
      return backing.get(sessionId);
    }

    @Override
    public synchronized @Nullable SessionState update(
        String sessionId, UnaryOperator<@Nullable SessionState> change) {
      writes.add("update");
      return backing.update(sessionId, change);
    }

    @Override
    public synchronized void remove(String sessionId) {
      writes.add("remove");
      backing.remove(sessionId);
    }
  }
}
