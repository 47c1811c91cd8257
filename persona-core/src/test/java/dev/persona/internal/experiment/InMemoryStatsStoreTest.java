package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantStats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory store counts an outcome once within its window of remembered ids. */
final class InMemoryStatsStoreTest {
  private final AtomicLong nanos = new AtomicLong();
  private final InMemoryStatsStore store =
      new InMemoryStatsStore(100, 3, TimeUnit.HOURS.toNanos(1), nanos::get);

  private static final VariantStats CLICK = VariantStats.builder("p", "v", null).clicks(1).build();

  private long clicks() {
    return store.snapshot().isEmpty() ? 0 : store.snapshot().get(0).clicks();
  }

  @Test
  void anIdAddedTwice_countsOnce_andIsCountedAsADuplicate() {
    store.add("a", CLICK);
    store.add("a", CLICK);
    store.add("b", CLICK);

    assertThat(clicks()).isEqualTo(2);
    assertThat(store.duplicates()).isEqualTo(1);
  }

  @Test
  void beyondTheCountBound_theOldestIdIsForgottenFirst() {
    for (String id : new String[] {"a", "b", "c", "d"}) {
      store.add(id, CLICK);
    }

    store.add("b", CLICK); // still remembered: one of the latest three
    store.add("d", CLICK);
    assertThat(clicks()).isEqualTo(4);

    store.add("a", CLICK); // forgotten: counts again
    assertThat(clicks()).isEqualTo(5);
  }

  @Test
  void afterTheTimeBound_anIdIsForgotten() {
    store.add("a", CLICK);
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(59));
    store.add("a", CLICK);
    assertThat(clicks()).isEqualTo(1);

    nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
    store.add("a", CLICK);
    assertThat(clicks()).isEqualTo(2);
  }

  @Test
  void aRefusedIncrement_leavesItsIdFree() {
    InMemoryStatsStore full = new InMemoryStatsStore(1, 10, 1_000, nanos::get);
    full.add("a", VariantStats.builder("p", "first", null).clicks(1).build());
    full.add("b", VariantStats.builder("p", "second", null).clicks(1).build());

    assertThat(full.dropped()).isEqualTo(1);
    assertThat(full.duplicates()).isZero();
  }

  @Test
  void incrementsWithoutId_alwaysCount() {
    store.add(CLICK);
    store.add(CLICK);

    assertThat(clicks()).isEqualTo(2);
  }
}
