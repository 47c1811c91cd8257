package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class DiscountedCountsTest {
  @Test
  void aCount_weighsHalfAfterOneHalfLife_aQuarterAfterTwo() {
    DiscountedCounts one = DiscountedCounts.one(Outcome.Kind.CLICK, 1_000, 500);

    assertThat(one.decayedTo(1_500).count(Outcome.Kind.CLICK)).isCloseTo(0.5, within(1e-15));
    assertThat(one.decayedTo(2_000).count(Outcome.Kind.CLICK)).isCloseTo(0.25, within(1e-15));
    assertThat(one.decayedTo(2_000).at()).isEqualTo(2_000);
    assertThat(one.decayedTo(900)).isSameAs(one);
    assertThat(one.exposures()).isZero();
  }

  @Test
  void sums_areTheSameInAnyOrder() {
    Random random = new Random(3);
    List<DiscountedCounts> increments = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Outcome.Kind kind = Outcome.Kind.values()[random.nextInt(4)];
      increments.add(DiscountedCounts.one(kind, i * 3L + random.nextInt(50), 700));
    }
    DiscountedCounts inOrder = sum(increments);
    for (int shuffle = 0; shuffle < 5; shuffle++) {
      List<DiscountedCounts> other = new ArrayList<>(increments);
      Collections.shuffle(other, random);
      // grouped differently too: two halves summed apart, then added
      DiscountedCounts halves =
          sum(other.subList(0, 1_000)).plus(sum(other.subList(1_000, other.size())));

      for (DiscountedCounts d : List.of(sum(other), halves)) {
        assertThat(d.at()).isEqualTo(inOrder.at());
        for (Outcome.Kind k : Outcome.Kind.values()) {
          assertThat(d.count(k)).isCloseTo(inOrder.count(k), within(1e-9 * inOrder.count(k)));
        }
      }
    }
  }

  @Test
  void aSteadyStream_staysNearOneAndAHalfHalfLives_notItsLength() {
    DiscountedCounts total = DiscountedCounts.one(Outcome.Kind.EXPOSURE, 0, 1_000);
    for (long k = 1; k < 1_000_000; k++) {
      total = total.plus(DiscountedCounts.one(Outcome.Kind.EXPOSURE, k, 1_000));
    }

    assertThat(total.exposures()).isCloseTo(1_000 / Math.log(2), within(1.0));
  }

  @Test
  void badValues_areRefused() {
    assertThatThrownBy(() -> DiscountedCounts.of(-1, 100, 1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiscountedCounts.of(0, 0, 1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiscountedCounts.of(0, 100, Double.NaN, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiscountedCounts.of(0, 100, 1, -1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiscountedCounts.of(0, 100, 1, 0, Double.POSITIVE_INFINITY, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void variantStats_addTheirDiscountedCounts() {
    VariantStats a =
        VariantStats.builder("p", "v", null)
            .exposures(1)
            .discounted(DiscountedCounts.one(Outcome.Kind.EXPOSURE, 100, 100))
            .build();
    VariantStats b =
        VariantStats.builder("p", "v", null)
            .clicks(1)
            .discounted(DiscountedCounts.one(Outcome.Kind.CLICK, 200, 100))
            .build();
    VariantStats plain = VariantStats.builder("p", "v", null).exposures(5).build();

    VariantStats sum = a.plus(b).plus(plain);

    assertThat(sum.exposures()).isEqualTo(6);
    assertThat(sum.discounted().at()).isEqualTo(200);
    assertThat(sum.discounted().exposures()).isCloseTo(0.5, within(1e-15));
    assertThat(sum.discounted().count(Outcome.Kind.CLICK)).isEqualTo(1);
    assertThat(plain.plus(a).discounted()).isEqualTo(a.discounted());
  }

  private static DiscountedCounts sum(List<DiscountedCounts> increments) {
    DiscountedCounts total = increments.get(0);
    for (DiscountedCounts d : increments.subList(1, increments.size())) {
      total = total.plus(d);
    }
    return total;
  }
}
