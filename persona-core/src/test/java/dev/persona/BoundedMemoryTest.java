package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.SessionConfig;
import org.junit.jupiter.api.Test;

final class BoundedMemoryTest {
  @Test
  void aMillionDistinctSessions_throughAStoreCappedAt10000_keepTheHeapBounded() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.inMemory(10_000).build())
            .build();
    warmUp(engine, 10_000, "warm-");
    long before = usedAfterGc();

    warmUp(engine, 1_000_000, "s");
    long after = usedAfterGc();

    long growth = after - before;
    System.out.printf("heap growth after 1,000,000 sessions capped at 10,000: %,d bytes%n", growth);
    assertThat(growth).isLessThan(32L * 1024 * 1024);
  }

  @Test
  void anIdleSession_costsAFewHundredBytes() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.inMemory(200_000).build())
            .build();
    long before = usedAfterGc();

    warmUp(engine, 100_000, "idle-");
    long after = usedAfterGc();

    long perSession = (after - before) / 100_000;
    System.out.printf(
        "heap per idle session (one product view, one category): %d bytes%n", perSession);
    assertThat(perSession).isBetween(1L, 2_048L);
  }

  private static void warmUp(PersonaEngine engine, int sessions, String prefix) {
    Event view = Event.builder("product_view").attribute("category", "shoes").build();
    for (int i = 0; i < sessions; i++) {
      engine.decide(Visit.builder(prefix + i).event(view).build());
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
