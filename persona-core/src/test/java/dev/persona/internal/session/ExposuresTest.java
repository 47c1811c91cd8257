package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A session keeps each placement's last exposure and the earlier ones within the attribution
 * window, so that a conversion that reaches the state after a later exposure still finds the one
 * before it; the same whatever the order the exposures arrive in.
 */
final class ExposuresTest {
  private static final long WINDOW = 30 * 60_000;

  @Test
  void anEarlierExposureOfAPlacement_isKeptWithinTheWindow_andIsTheLatestBeforeItsConversion() {
    Exposures x =
        Exposures.NONE
            .with("hero", "a", null, 1_000, 0)
            .with("hero", "b", "vip", 3_000, 3_000 - WINDOW);

    assertThat(x.size()).isEqualTo(2);
    assertThat(x.placement(0)).isEqualTo("hero");
    assertThat(x.variant(0)).isEqualTo("b");
    assertThat(x.segment(0)).isEqualTo("vip");
    assertThat(x.latestAtOrBefore(1, 2_000)).isTrue();
    assertThat(x.latestAtOrBefore(1, 3_000)).isFalse();
    assertThat(x.latestAtOrBefore(0, 2_000)).isFalse();
    assertThat(x.shownBetween("hero", 1_000, 2_999)).isFalse();
    assertThat(x.shownBetween("hero", 1_000, 3_000)).isTrue();
  }

  @Test
  void exposuresArrivingInAnyOrder_giveTheSameExposures() {
    Exposures inOrder =
        Exposures.NONE
            .with("hero", "a", null, 1_000, 1_000 - WINDOW)
            .with("cart", "c", null, 2_000, 2_000 - WINDOW)
            .with("hero", "b", null, 3_000, 3_000 - WINDOW);
    Exposures reversed =
        Exposures.NONE
            .with("hero", "b", null, 3_000, 3_000 - WINDOW)
            .with("cart", "c", null, 2_000, 3_000 - WINDOW)
            .with("hero", "a", null, 1_000, 3_000 - WINDOW)
            .with("hero", "a", null, 1_000, 3_000 - WINDOW);

    assertThat(reversed).isEqualTo(inOrder);
    assertThat(inOrder.size()).isEqualTo(3);
  }

  @Test
  void earlierExposuresBeyondTheWindow_areDropped_eachPlacementsLastKept() {
    Exposures x =
        Exposures.NONE
            .with("cart", "c", null, 0, -WINDOW)
            .with("hero", "a", null, 1_000, 1_000 - WINDOW)
            .with("hero", "b", null, WINDOW + 2_000, 2_000);

    assertThat(x.size()).isEqualTo(2);
    assertThat(x.variant(0)).isEqualTo("b");
    assertThat(x.placement(1)).isEqualTo("cart");
  }

  @Test
  void atTheBound_earlierExposuresGiveWayFirst_thenTheOldestPlacements() {
    Exposures x = Exposures.NONE;
    for (int i = 0; i < 10; i++) {
      x = x.with("hero", "v" + i, null, i, -WINDOW);
    }
    for (int p = 0; p < Exposures.MAX; p++) {
      x = x.with("p" + p, "v", null, 100 + p, -WINDOW);
    }
    assertThat(x.size()).isEqualTo(Exposures.MAX);
    assertThat(x.variant(Exposures.MAX - 1)).isEqualTo("v"); // every hero exposure gave way
    assertThat(x.shownBetween("p0", 0, 200)).isTrue();

    x = x.with("p-new", "v", null, 500, -WINDOW);

    assertThat(x.size()).isEqualTo(Exposures.MAX);
    assertThat(x.shownBetween("p0", 0, 200)).isFalse();
    assertThat(x.placement(0)).isEqualTo("p-new");
  }

  @Test
  void theSameExposureAgain_changesNothing_andAnotherVariantAtTheSameTimeReplacesIt() {
    Exposures once = Exposures.NONE.with("hero", "a", null, 1_000, 0);

    assertThat(once.with("hero", "a", null, 1_000, 0)).isSameAs(once);
    Exposures replaced = once.with("hero", "b", null, 1_000, 0);
    assertThat(replaced.size()).isEqualTo(1);
    assertThat(replaced.variant(0)).isEqualTo("b");
  }
}
