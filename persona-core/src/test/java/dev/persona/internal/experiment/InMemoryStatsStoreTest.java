package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
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

  @Test
  void discountedIncrementsFromManyThreads_addUpAsInOne() throws Exception {
    InMemoryStatsStore shared = new InMemoryStatsStore(10);
    int threads = 4;
    int each = 5_000;
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers[t] =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  long at = (long) i * threads + offset;
                  shared.add(
                      VariantStats.builder("p", "v", null)
                          .exposures(1)
                          .discounted(DiscountedCounts.one(Outcome.Kind.EXPOSURE, at, 1_000))
                          .build());
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }

    VariantStats total = shared.snapshot().get(0);
    assertThat(total.exposures()).isEqualTo((long) threads * each);
    double expected = 0;
    for (long k = 0; k < (long) threads * each; k++) {
      expected += Math.pow(2, (k - (threads * each - 1)) / 1_000.0);
    }
    assertThat(total.discounted().at()).isEqualTo(threads * each - 1);
    assertThat(total.discounted().exposures()).isCloseTo(expected, within(1e-6));
  }
}
