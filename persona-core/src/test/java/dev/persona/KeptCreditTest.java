package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a store that {@linkplain SessionStore#tellsKept tells} which application of a change it
 * kept, credits come from the kept states only: not from a copy the change was applied to and that
 * the store did not keep (a compare-and-set that failed, because another instance erased the
 * session meanwhile), nor from the fallback of a degraded decision; and a change found applied
 * already (its write's answer was lost) is credited from the state that holds it.
 */
final class KeptCreditTest {
  private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(T);
  private final StatsStore stats = StatsStore.inMemory(1_000);
  private final List<PersonaEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(PersonaEngine::close);
  }

  @Test
  void aPurchaseAppliedFirstToACopyTheStoreDidNotKeep_isCreditedFromTheKeptStateOnly()
      throws Exception {
    KeepsSecond store = new KeepsSecond();
    PersonaEngine engine = engine(store);
    SessionState erased = erasedCopyAndNewSession(engine, store, "s1");

    store.firstOn = erased; // applied first to the erased copy, whose compare-and-set fails
    clock.advance(Duration.ofSeconds(1));
    engine.decide(purchase("s1", "o-1", 50));
    engine.close(); // records what its daemon thread has not yet

    assertThat(cartMessage().purchases()).as("the lost exposure").isZero();
    assertThat(hero("flash-sale", "value_hunter").purchases()).as("the kept one").isEqualTo(1);
    assertThat(hero("flash-sale", "value_hunter").value()).isEqualTo(50.0);
  }

  @Test
  void aDegradedPurchase_isNotCreditedFromTheFallback_butFromTheStateKeptLater() throws Exception {
    KeepsSecond store = new KeepsSecond();
    PersonaEngine engine = engine(store);
    SessionState erased = erasedCopyAndNewSession(engine, store, "s2");

    store.fallback = erased; // the decision goes on with the erased copy
    clock.advance(Duration.ofSeconds(1));
    Decision d = engine.decide(purchase("s2", "o-2", 40));
    assertThat(d.flags()).contains(Decision.Flag.STORE_DEGRADED);
    store.writeLate(); // applied to what the store holds, and kept
    engine.close();

    assertThat(cartMessage().purchases()).as("the erased exposure").isZero();
    assertThat(hero("flash-sale", "value_hunter").purchases()).isEqualTo(1);
  }

  @Test
  void aPurchaseFoundAppliedAlready_whenWrittenAgain_isCreditedFromTheStateHoldingIt()
      throws Exception {
    KeepsSecond store = new KeepsSecond();
    PersonaEngine engine = engine(store);
    engine.decide(valueHunter("s3"));
    engine.recordOutcome(shown("s3", "flash-sale", "value_hunter"));

    store.answerLost = true; // written, but not told: the write's answer never came
    clock.advance(Duration.ofSeconds(1));
    engine.decide(purchase("s3", "o-3", 30));
    assertThat(hero("flash-sale", "value_hunter").purchases()).isZero();
    store.writeLate(); // finds it there already
    engine.close();

    assertThat(hero("flash-sale", "value_hunter").purchases()).isEqualTo(1);
  }

  @Test
  void anExposureAppliedFirstToACopyTheStoreDidNotKeep_isCreditedFromTheKeptStateOnly()
      throws Exception {
    KeepsSecond store = new KeepsSecond();
    PersonaEngine engine = engine(store);
    engine.decide(valueHunter("s4"));
    engine.decide(purchase("s4", "o-4", 20)); // no exposure yet: nothing credited
    SessionState withPurchase = Objects.requireNonNull(store.states.get("s4"));
    engine.forget("s4"); // another instance erased the session and wrote one without it
    engine.decide(valueHunter("s4"));

    // shown at the purchase's time, applied first to the copy from before the erasure
    store.firstOn = withPurchase;
    engine.recordOutcome(shown("s4", "flash-sale", "value_hunter"));
    engine.close();

    assertThat(hero("flash-sale", "value_hunter").exposures()).isEqualTo(1);
    assertThat(hero("flash-sale", "value_hunter").purchases()).as("the erased purchase").isZero();
  }

  /**
   * Makes a session whose copy from before an erasure holds an exposure of {@code cart.message},
   * and whose state since the erasure holds one of {@code home.hero}; returns the copy. Two
   * placements: a credit to each has its own outcome id, so neither can hide the other.
   */
  private SessionState erasedCopyAndNewSession(
      PersonaEngine engine, KeepsSecond store, String session) {
    engine.decide(valueHunter(session));
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.EXPOSURE, session, "cart.message", "come-back").build());
    SessionState erased = Objects.requireNonNull(store.states.get(session));
    engine.forget(session); // as another instance did
    clock.advance(Duration.ofSeconds(1));
    engine.decide(valueHunter(session));
    engine.recordOutcome(shown(session, "flash-sale", "value_hunter"));
    return erased;
  }

  private PersonaEngine engine(SessionStore store) {
    PersonaEngine e =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(clock)
            .sessions(SessionConfig.store(store).build())
            .experiments(
                ExperimentConfig.builder()
                    .statsStore(stats)
                    .attributionWindow(Duration.ofMinutes(30))
                    .build())
            .build();
    engines.add(e);
    return e;
  }

  private static Visit valueHunter(String session) {
    return Visit.builder(session)
        .declared("priority", "price")
        .event(Event.of("apply_coupon"))
        .build();
  }

  private static Visit purchase(String session, String orderId, double value) {
    return Visit.builder(session)
        .event(Event.of("purchase", Map.of("value", value, "order_id", orderId)))
        .build();
  }

  private static Outcome shown(String session, String variant, String segment) {
    return Outcome.builder(Outcome.Kind.EXPOSURE, session, "home.hero", variant)
        .segment(segment)
        .build();
  }

  private VariantStats hero(String variant, String segment) {
    return row("home.hero", variant, segment);
  }

  private VariantStats cartMessage() {
    return row("cart.message", "come-back", null);
  }

  private VariantStats row(String placement, String variant, @Nullable String segment) {
    return stats.snapshot().stream()
        .filter(
            s ->
                s.placement().equals(placement)
                    && s.variant().equals(variant)
                    && Objects.equals(s.segment(), segment))
        .findFirst()
        .orElse(VariantStats.builder(placement, variant, segment).build());
  }

  /**
   * A store that tells which application of a change it kept, calling {@link
   * SessionStore.Change#kept} with each state it stores. Armed with {@link #firstOn}, it applies
   * the next change on another thread first to that copy, and drops the result (as a
   * compare-and-set that failed), then to the state it holds, which it keeps. Armed with {@link
   * #fallback}, it fails the next change, with that copy as the decision's fallback, and keeps it
   * to {@link #writeLate}. With {@link #answerLost}, it stores the next change without telling (as
   * a write whose answer never came), and keeps it to write again.
   */
  private static final class KeepsSecond implements SessionStore {
    final Map<String, SessionState> states = new ConcurrentHashMap<>();
    volatile @Nullable SessionState firstOn;
    volatile @Nullable SessionState fallback;
    volatile boolean answerLost;
    private final List<Map.Entry<String, UnaryOperator<@Nullable SessionState>>> waiting =
        new ArrayList<>();

    @Override
    public @Nullable SessionState get(String sessionId) {
      return states.get(sessionId);
    }

    @Override
    public synchronized @Nullable SessionState update(
        String sessionId, UnaryOperator<@Nullable SessionState> change) {
      SessionState copy = firstOn;
      if (copy != null) {
        firstOn = null;
        SessionState[] kept = new SessionState[1];
        Thread writer =
            new Thread(
                () -> {
                  SessionState unused = change.apply(copy); // its compare-and-set fails
                  kept[0] = store(sessionId, change, true);
                });
        writer.start();
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return kept[0];
      }
      SessionState local = fallback;
      if (local != null) {
        fallback = null;
        waiting.add(Map.entry(sessionId, change));
        throw new SessionStoreException("slow", null, local);
      }
      if (answerLost) {
        answerLost = false;
        waiting.add(Map.entry(sessionId, change));
        SessionState unused = store(sessionId, change, false);
        throw new SessionStoreException("timed out", null, null);
      }
      return store(sessionId, change, true);
    }

    private @Nullable SessionState store(
        String sessionId, UnaryOperator<@Nullable SessionState> change, boolean tell) {
      SessionState next = states.compute(sessionId, (id, old) -> change.apply(old));
      if (tell && change instanceof SessionStore.Change c) {
        c.kept(next);
      }
      return next;
    }

    /** Writes the changes that waited, on another thread. */
    void writeLate() throws InterruptedException {
      List<Map.Entry<String, UnaryOperator<@Nullable SessionState>>> changes;
      synchronized (this) {
        changes = List.copyOf(waiting);
        waiting.clear();
      }
      Thread writer =
          new Thread(
              () -> {
                for (var c : changes) {
                  SessionState unused = store(c.getKey(), c.getValue(), true);
                }
              });
      writer.start();
      writer.join();
    }

    @Override
    public void remove(String sessionId) {
      states.remove(sessionId);
    }

    @Override
    public boolean boundsCallTime() {
      return true;
    }

    @Override
    public boolean tellsKept() {
      return true;
    }
  }
}
