package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class AssignmentsTest {

  @Test
  void ofOneKey_theEarliestWins_inWhateverOrderTheyArrive() {
    List<Assignments> arrivals =
        List.of(
            one("hero", "x1", 0, "b", 2_000),
            one("hero", "x1", 0, "a", 3_000),
            one("hero", "x1", 0, "c", 2_000), // the same time as b: the lower id wins
            one("hero", "x1", 42, "c", 5_000), // another visitor key: kept apart
            one("tiles", "x2", 0, "d", 4_000));

    Assignments expected = null;
    for (List<Assignments> order : permutations(arrivals)) {
      Assignments s = Assignments.NONE;
      for (Assignments a : order) {
        s = s.merge(a);
      }
      if (expected == null) {
        expected = s;
      }
      assertThat(s).isEqualTo(expected);
    }
    assertThat(expected.size()).isEqualTo(3);
    assertThat(expected.variant("hero", "x1", 0)).isEqualTo("b");
    assertThat(expected.variant("hero", "x1", 42)).isEqualTo("c");
    assertThat(expected.variant("tiles", "x2", 0)).isEqualTo("d");
    assertThat(expected.variant("tiles", "x1", 0)).isNull();
  }

  @Test
  void atTheBound_theEarliestAreKept_inAnyOrderAndAppliedTwice() {
    List<Assignments> arrivals = new ArrayList<>();
    for (int i = 0; i < Assignments.MAX + 8; i++) {
      arrivals.add(one("p" + i, "x", 0, "a", 1_000 + i / 2)); // two at each time
      arrivals.add(one("p" + i, "x", 0, "b", 900 + 4 * i)); // the earlier up to p28
    }
    Random random = new Random(11);
    Assignments expected = null;
    for (int run = 0; run < 200; run++) {
      List<Assignments> order = new ArrayList<>(arrivals);
      Collections.shuffle(order, random);
      order.addAll(order.subList(0, 10)); // some arrive again, as a retried write
      Assignments s = Assignments.NONE;
      for (Assignments a : order) {
        s = s.merge(a);
      }
      if (expected == null) {
        expected = s;
      }
      assertThat(s).isEqualTo(expected);
    }
    assertThat(expected.size()).isEqualTo(Assignments.MAX);
    assertThat(expected.variant("p0", "x", 0)).isEqualTo("b");
    assertThat(expected.variant("p28", "x", 0)).isEqualTo("b");
    assertThat(expected.variant("p29", "x", 0)).isEqualTo("a");
    assertThat(expected.variant("p31", "x", 0)).isEqualTo("a"); // at 1015, as p30: by placement
    assertThat(expected.variant("p32", "x", 0)).isNull(); // its "a" was too late, its "b" too
    assertThat(expected.variant("p" + (Assignments.MAX + 7), "x", 0)).isNull();
  }

  @Test
  void anAssignmentAlreadyHeld_orALaterOneOfItsKey_changesNothing() {
    Assignments s = one("hero", "x1", 0, "b", 2_000).merge(one("tiles", "x2", 0, "d", 2_500));

    assertThat(s.merge(one("hero", "x1", 0, "b", 2_000))).isSameAs(s);
    assertThat(s.merge(one("hero", "x1", 0, "a", 9_000))).isSameAs(s);
    assertThat(s.merge(one("hero", "x1", 0, "a", 1_000)).variant("hero", "x1", 0)).isEqualTo("a");
  }

  @Test
  void aBuilder_givesEveryAssignmentTheDecisionsTime() {
    Assignments a =
        Assignments.builder(3).add("hero", "x1", 0, "b").add("tiles", "x2", 7, "d").build(5);

    assertThat(a.size()).isEqualTo(2);
    assertThat(a.atMillis(0)).isEqualTo(5);
    assertThat(a.atMillis(1)).isEqualTo(5);
    assertThat(Assignments.builder(3).build(5)).isNull();
  }

  private static Assignments one(
      String placement, String experiment, long visitor, String variant, long at) {
    return Assignments.builder(1).add(placement, experiment, visitor, variant).build(at);
  }

  private static List<List<Assignments>> permutations(List<Assignments> items) {
    if (items.isEmpty()) {
      List<List<Assignments>> one = new ArrayList<>();
      one.add(new ArrayList<>());
      return one;
    }
    List<List<Assignments>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<Assignments> rest = new ArrayList<>(items);
      Assignments first = rest.remove(i);
      for (List<Assignments> p : permutations(rest)) {
        p.add(0, first);
        out.add(p);
      }
    }
    return out;
  }
}
