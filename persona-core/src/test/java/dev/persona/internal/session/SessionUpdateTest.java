package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class SessionUpdateTest {
  private static final long HOUR = 3_600_000;
  private final SessionUpdate update = new SessionUpdate(HOUR, 3, 8, 32);

  @Test
  void affinities_keepOnlyTheHeaviestKeys() {
    SessionData s = null;
    String[] categories = {"a", "a", "a", "b", "b", "c", "d"};
    for (String c : categories) {
      s = update.apply(s, view(0, c));
    }

    assertThat(s.categoryKeys).hasSize(3).contains("a", "b");
    assertThat(s.topCategory()).isEqualTo("a");
  }

  @Test
  void time_neverRunsBackwards() {
    SessionData s = update.apply(null, view(10 * HOUR, "a"));

    SessionData late = update.apply(s, view(HOUR, "a"));

    assertThat(late.lastSeenMillis()).isEqualTo(10 * HOUR);
    assertThat(late.decayed(Counter.PRODUCT_VIEWS)).isCloseTo(1 + Math.pow(0.5, 9), within(1e-12));
    assertThat(late.total(Counter.PRODUCT_VIEWS)).isEqualTo(2);
  }

  @Test
  void purchase_emptiesTheCart() {
    SessionData s = update.apply(null, cart(0, 3));
    assertThat(s.cartItems()).isEqualTo(3);

    s = update.apply(s, cart(0, Activity.EMPTY_CART));

    assertThat(s.cartItems()).isZero();
  }

  @Test
  void weight_halvesEachHalfLife() {
    assertThat(update.weight(HOUR)).isCloseTo(0.5, within(1e-12));
    assertThat(update.weight(2 * HOUR)).isCloseTo(0.25, within(1e-12));
    assertThat(update.weight(-5)).isEqualTo(1.0);
  }

  @Test
  void updates_doNotChangeTheOldState() {
    SessionData first = update.apply(null, view(0, "a"));
    byte[] before = first.toBytes();

    update.apply(first, view(HOUR, "b"));

    assertThat(first.toBytes()).isEqualTo(before);
  }

  private static Activity view(long at, String category) {
    return new Activity(
        at,
        new int[] {1 << Counter.PRODUCT_VIEWS.ordinal()},
        new long[] {at},
        new String[] {category},
        new String[] {null},
        new int[] {0},
        new String[] {null},
        new double[] {0},
        Map.of());
  }

  private static Activity cart(long at, int delta) {
    return new Activity(
        at,
        new int[] {1 << Counter.CART_ADDS.ordinal()},
        new long[] {at},
        new String[] {null},
        new String[] {null},
        new int[] {delta},
        new String[] {null},
        new double[] {0},
        Map.of());
  }
}
