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
import org.junit.jupiter.api.Test;

/**
 * An add to cart made after its session was erased on another instance is not credited to an
 * exposure recorded before the erasure, also when its change waits in this instance's queue and the
 * background writer writes it from this instance's copy of the session from before the erasure
 * (seen in the two-instance load test: three adds to cart counted in the statistics that the
 * shopper made after a {@code Sec-GPC: 1} visit, credited to the exposures before it).
 */
final class ErasedExposureCreditTest extends WithRedis {
  @Test
  void anAddToCartAfterAnErasure_writtenLateFromAStaleCopy_isNotCreditedToTheErasedExposure() {
    StatsStore stats = StatsStore.inMemory(1_000);
    try (RedisSessions a = Races.quick(Races.link(redis.uri()));
        RedisSessions b = Races.quick(Races.link(redis.uri()));
        PersonaEngine onA = Races.engine(a, stats);
        PersonaEngine onB = Races.engine(b, stats)) {
      onA.decide(Races.productView("s"));
      onB.recordOutcome(
          Outcome.builder(Outcome.Kind.EXPOSURE, "s", "product.badge", "free-returns")
              .tracked(true)
              .build());
      assertThat(exposures(stats)).isEqualTo(1);
      // b holds the session's copy with the exposure; a erases the session
      onA.forget("s");
      RedisServer.sleep(300); // b hears of the erasure; its copy stays, known not current

      redis.pause(Duration.ofMillis(300)); // b's write of the add to cart times out and waits
      onB.decide(Visit.builder("s").event(Event.of("add_to_cart")).build());
      assertThat(b.counters()[6]).as("b's changes waiting").isEqualTo(1);
      awaitTrue(() -> b.counters()[6] == 0, 10); // written by b's background writer
      RedisServer.sleep(
          300); // credits made on the writer's thread are recorded by the engine's daemon

      assertThat(addsToCart(stats)).as("adds to cart credited to the erased exposure").isZero();
    }
  }

  private static long exposures(StatsStore stats) {
    return snapshot(stats).stream().mapToLong(VariantStats::exposures).sum();
  }

  private static long addsToCart(StatsStore stats) {
    return snapshot(stats).stream().mapToLong(VariantStats::addsToCart).sum();
  }

  private static List<VariantStats> snapshot(StatsStore stats) {
    List<VariantStats> s = stats.snapshot();
    return s == null ? List.of() : s;
  }
}
