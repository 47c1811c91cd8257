package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class ReloadUnderLoadTest {
  private static final int RELOADS = 2_000;

  @Test
  void reloadingThousandsOfTimes_failsNoDecisionAndServesOnlyValidVersions() throws Exception {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(version(0)).build();
    Set<String> valid = ConcurrentHashMap.newKeySet();
    valid.add("v0");
    AtomicBoolean reloading = new AtomicBoolean(true);
    AtomicLong decisions = new AtomicLong();
    AtomicLong bad = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> deciders = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      deciders.add(
          pool.submit(
              () -> {
                long i = 0;
                while (reloading.get()) {
                  Decision d =
                      engine.decide(
                          Visit.builder("s" + thread + "-" + (i++ % 100))
                              .event(Event.of("apply_coupon"))
                              .build());
                  decisions.incrementAndGet();
                  if (!d.flags().isEmpty() || !valid.contains(d.ruleSetVersion())) {
                    bad.incrementAndGet();
                  }
                }
              }));
    }
    int refused = 0;
    for (int i = 1; i <= RELOADS; i++) {
      if (i % 3 == 0) {
        try {
          engine.reload(broken(i));
        } catch (RuleSetException expected) {
          refused++;
        }
      } else {
        RuleSet next = version(i);
        valid.add(next.version());
        engine.reload(next);
      }
    }
    reloading.set(false);
    for (Future<?> f : deciders) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(refused).isEqualTo(RELOADS / 3);
    assertThat(bad.get()).isZero();
    assertThat(decisions.get()).isPositive();
    assertThat(engine.ruleSet().version()).isEqualTo("v" + RELOADS);
    assertThat(engine.stats().defaultDecisions()).isZero();
  }

  private static RuleSet version(int i) {
    return TestRules.ruleSet().toBuilder()
        .version("v" + i)
        .rule(
            Rule.builder("coupon")
                .when(Condition.gte("coupons_applied", 1))
                .add("value_hunter", 0.4 + i % 5 / 10.0)
                .build())
        .build();
  }

  /** Compiles as a model but not against the engine: it tests a signal that does not exist. */
  private static RuleSet broken(int i) {
    return version(i).toBuilder()
        .version("broken-" + i)
        .rule(
            Rule.builder("typo")
                .when(Condition.gte("coupon_applied", 1))
                .add("value_hunter", 0.1)
                .build())
        .build();
  }
}
