package dev.persona.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Shared inputs and checks of the hostile-input tests. */
final class Hostile {
  /** An autumn Tuesday morning, UTC. */
  static final Instant NOW = Instant.parse("2026-11-17T08:00:00Z");

  static final RuleSet RULES = dev.persona.TestRules.ruleSet();

  /** Control characters, lone and reversed surrogates, BOM, bidi overrides, NUL. */
  static final String NASTY =
      "\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u007f\u0085\u00a0"
          + "\ud800x\udfff\udc00\ud83d\u202e\u2028\u2029\ufeff\ufffe\uffff%00%zz\\\"'<>;,=";

  /** Short nasty strings, each worth trying in any text field. */
  static final List<String> NASTY_STRINGS =
      List.of(
          "",
          " ",
          "\u0000",
          "\ud800",
          "\udfff",
          "\udfff\ud800",
          "a\ud800b",
          "\r\n\r\nX-Injected: 1",
          "\u202egnp.exe",
          "\ufeff",
          NASTY,
          "price",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)\u0000\ud800");

  private Hostile() {}

  static Clock fixedClock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  static PersonaEngine.Builder engine() {
    return PersonaEngine.builder().ruleSet(RULES).clock(fixedClock());
  }

  /**
   * The stated bound of one hostile decision: every call of {@link #decide} must take less, however
   * hostile the visit (they take milliseconds on a quiet machine; this allows for a loaded 2-core
   * one).
   */
  static final Duration MAX_DECIDE = Duration.ofSeconds(2);

  /** The slowest decision so far, in nanoseconds, for the tests to print. */
  static final AtomicLong SLOWEST_DECIDE_NANOS = new AtomicLong();

  /**
   * Decides with a hang guard of 10 s (which stops a hang rather than waiting for it), then asserts
   * the decision took less than {@link #MAX_DECIDE}.
   */
  static Decision decide(PersonaEngine engine, Visit visit) {
    long[] nanos = {0};
    Decision d =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> {
              long start = System.nanoTime();
              Decision decided = engine.decide(visit);
              nanos[0] = System.nanoTime() - start;
              return decided;
            });
    SLOWEST_DECIDE_NANOS.accumulateAndGet(nanos[0], Math::max);
    assertThat(nanos[0]).as("nanoseconds of one hostile decision").isLessThan(MAX_DECIDE.toNanos());
    return d;
  }

  /**
   * Checks that a decision is whole and within limits: every persona scored in [0, 1], every
   * placement given a variant, reasons and text readable, signals bounded by {@code limits}, and no
   * built-in part failed.
   */
  static void assertComplete(Decision d, Limits limits) {
    assertThat(d).isNotNull();
    List<String> personas = RULES.personas().stream().map(Persona::id).collect(Collectors.toList());
    List<String> placements =
        RULES.placements().stream().map(Placement::id).collect(Collectors.toList());
    assertThat(d.scores()).containsOnlyKeys(personas);
    assertThat(d.scores().values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    assertThat(d.variants()).containsOnlyKeys(placements);
    for (String p : placements) {
      VariantChoice c = d.variant(p);
      assertThat(c.variant()).isNotNull();
      assertThat(Double.isFinite(c.fit())).isTrue();
    }
    assertThat(d.flags())
        .doesNotContain(Decision.Flag.INTERNAL_ERROR, Decision.Flag.EXTRACTOR_FAILED);
    assertThat(d.reasons()).isNotNull();
    assertThat(d.toString()).isNotNull();
    assertThat(d.ruleSetVersion()).isEqualTo(RULES.version());
    assertThat(d.signals(SignalKind.EXPLICIT)).hasSizeLessThanOrEqualTo(limits.maxDeclaredKeys());
    for (Signal s : d.signals()) {
      assertBounded(s, limits);
    }
  }

  static void assertBounded(Signal s, Limits limits) {
    Object v = s.value();
    if (v instanceof String text) {
      assertThat(text).as(s.key()).hasSizeLessThanOrEqualTo(limits.maxStringLength());
    } else if (v instanceof Double n) {
      assertThat(Double.isFinite(n)).as(s.key() + " finite").isTrue();
    } else if (v instanceof Collection<?> set) {
      assertThat(set).as(s.key()).hasSizeLessThanOrEqualTo(limits.maxSetSize());
      for (Object o : set) {
        assertThat(o).as(s.key()).isInstanceOf(String.class);
        assertThat((String) o).hasSizeLessThanOrEqualTo(limits.maxStringLength());
      }
    } else {
      assertThat(v).as(s.key()).isInstanceOf(Boolean.class);
    }
  }

  /** The default in-memory store, with a look at the bytes it keeps per session. */
  static final class MeasuredStore implements SessionStore {
    private final SessionStore delegate = SessionStore.inMemory(1_000, Duration.ofHours(1));

    @Override
    public SessionState get(String sessionId) {
      return delegate.get(sessionId);
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      return delegate.update(sessionId, change);
    }

    @Override
    public void remove(String sessionId) {
      delegate.remove(sessionId);
    }

    /** In memory, as the default store: the hostile tests measure inputs, not a thread hop. */
    @Override
    public boolean boundsCallTime() {
      return true;
    }

    /** Returns the size of the session's serialized state, or 0 when none is kept. */
    int bytes(String sessionId) {
      SessionState s = delegate.get(sessionId);
      return s == null ? 0 : s.toBytes().length;
    }
  }

  /** An attribute value of no supported type, whose methods a careless reader might call. */
  static final class Weird {
    @Override
    public String toString() {
      throw new IllegalStateException("toString of a visitor-supplied object");
    }

    @Override
    public int hashCode() {
      throw new IllegalStateException("hashCode of a visitor-supplied object");
    }

    @Override
    public boolean equals(Object o) {
      throw new IllegalStateException("equals of a visitor-supplied object");
    }
  }

  static Map<String, Object> signalValues(Decision d) {
    return d.signals().stream().collect(Collectors.toMap(Signal::key, Signal::value, (a, b) -> a));
  }
}
