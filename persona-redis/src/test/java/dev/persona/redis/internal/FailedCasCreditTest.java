package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.spi.StatsStore;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A change the background writer applies to this instance's copy of a session, whose
 * compare-and-set then fails because another instance erased the session and wrote a state without
 * the copy's exposure, credits nothing to that exposure: only the state written counts ({@code
 * SessionStore.Change.kept}). Before, each application credited: an add to cart counted for an
 * erased exposure (the load test's outcome trace, seed 19: 2 extra counts).
 */
final class FailedCasCreditTest extends WithRedis {
  @Test
  void anAddToCartWhoseFirstWriteConflictsWithAnErasure_isCreditedFromTheStateWrittenOnly() {
    StatsStore stats = StatsStore.inMemory(1_000);
    try (RedisSessions a = Races.quick(Races.link(redis.uri()));
        RedisSessions b = Races.quick(Races.link(redis.uri()));
        PersonaEngine onA = Races.engine(a, stats);
        PersonaEngine onB = Races.engine(b, stats)) {
      onA.decide(Races.productView("s"));
      onB.recordOutcome(exposure("product.badge", "free-returns"));
      RedisServer.sleep(
          300); // b hears the report of its own write, checked: its copy is known current
      AtomicBoolean deaf = new AtomicBoolean(true);
      b.probe(
          point -> {
            if (deaf.get() && point.equals("report")) {
              throw new IllegalStateException("as if the report never came");
            }
          });
      // a erases the session and writes a state with another exposure; b does not hear of it
      onA.forget("s");
      onA.decide(Races.productView("s"));
      onA.recordOutcome(exposure("cart.message", "come-back"));
      RedisServer.sleep(300);

      redis.pause(Duration.ofMillis(300)); // b's write of the add to cart times out and waits
      onB.decide(Visit.builder("s").event(Event.of("add_to_cart")).build());
      assertThat(b.counters()[6]).as("b's changes waiting").isEqualTo(1);
      // b's writer applies it to b's copy, with the erased exposure; its compare-and-set fails,
      // and it is written on a's state
      awaitTrue(() -> b.counters()[6] == 0, 10);
      deaf.set(false);
      RedisServer.sleep(
          300); // credits made on the writer's thread are recorded by the engine's daemon

      assertThat(addsToCart(stats, "product.badge")).as("credited to the erased exposure").isZero();
      assertThat(addsToCart(stats, "cart.message")).as("credited to a's exposure").isEqualTo(1);
      assertThat(b.counters()[2]).as("conflicts").isPositive();
    }
  }

  private static Outcome exposure(String placement, String variant) {
    return Outcome.builder(Outcome.Kind.EXPOSURE, "s", placement, variant).tracked(true).build();
  }

  private static long addsToCart(StatsStore stats, String placement) {
    List<VariantStats> s = stats.snapshot();
    return (s == null ? List.<VariantStats>of() : s)
        .stream()
            .filter(v -> v.placement().equals(placement))
            .mapToLong(VariantStats::addsToCart)
            .sum();
  }
}
