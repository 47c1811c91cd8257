package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

final class DegradedStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");

  @Test
  void storeOfferingItsLocalState_isUsedFlaggedAndNotSaved() {
    FlakyStore store = new FlakyStore();
    PersonaEngine engine = engine(store);
    engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());

    store.down = true;
    Decision d = engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());

    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains(
            "the session store could not serve the session; the decision went on with the store's"
                + " local copy of it, which may be stale; whether this request's change is written"
                + " later is up to the store");
    assertThat(d.signal("coupons_applied").value()).isEqualTo(2.0);
    assertThat(d.signal("requests").value()).isEqualTo(2.0);
    assertThat(engine.stats().storeFailures()).isEqualTo(1);

    store.down = false;
    Decision after = engine.decide(Visit.builder("s1").build());
    assertThat(after.flags()).isEmpty();
    assertThat(after.signal("coupons_applied").value()).isEqualTo(1.0);
  }

  @Test
  void storeWithoutALocalState_costsOnlyTheSessionsMemory() {
    FlakyStore store = new FlakyStore();
    store.down = true;
    store.forgetful = true;
    PersonaEngine engine = engine(store);

    Decision d = engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());

    assertThat(d.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains(
            "the session store could not serve the session and had no local copy; the decision"
                + " went on with this request's behaviour only; whether this request's change is"
                + " written later is up to the store");
    assertThat(d.signal("coupons_applied").value()).isEqualTo(1.0);
    assertThat(d.signal("requests").value()).isEqualTo(1.0);
  }

  @Test
  void consentGrantedEarlier_isReadFromTheFallback() {
    FlakyStore store = new FlakyStore();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(NOW))
            .requireConsent(true)
            .sessions(SessionConfig.store(store).build())
            .build();
    engine.decide(Visit.builder("s1").declared("consent", "granted").build());

    store.down = true;
    Decision d = engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());

    assertThat(d.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(d.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
  }

  private static PersonaEngine engine(SessionStore store) {
    return PersonaEngine.builder()
        .ruleSet(TestRules.ruleSet())
        .clock(new MutableClock(NOW))
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  /** An in-memory store whose backing storage can be switched off, keeping its local copy. */
  private static final class FlakyStore implements SessionStore {
    final SessionStore backing = SessionStore.inMemory(100, Duration.ofHours(1));
    volatile boolean down;
    volatile boolean forgetful;

    @Override
    public SessionState get(String sessionId) {
      if (down) {
        throw degraded(sessionId);
      }
      return backing.get(sessionId);
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      if (down) {
        throw degraded(sessionId);
      }
      return backing.update(sessionId, change);
    }

    @Override
    public void remove(String sessionId) {
      backing.remove(sessionId);
    }

    /**
     * Called on the request thread, without the engine's 50 ms call timeout: on a busy machine the
     * first decision's write most likely passed it, and the next one found no local copy (failed
     * once in a full build at load average ~10). This test is about the fallback.
     */
    @Override
    public boolean boundsCallTime() {
      return true;
    }

    private SessionStoreException degraded(String sessionId) {
      return new SessionStoreException(
          "backing storage is down", null, forgetful ? null : backing.get(sessionId));
    }
  }
}
