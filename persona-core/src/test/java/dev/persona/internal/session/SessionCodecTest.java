package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.VariantChoice;
import dev.persona.spi.SessionState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class SessionCodecTest {
  private final SessionUpdate update = new SessionUpdate(3_600_000, 4, 8, 32, 60_000);

  @Test
  void bytes_roundTripToAnEqualState() {
    SessionData s = sample();

    SessionState back = SessionState.fromBytes(s.toBytes());

    assertThat(back).isEqualTo(s);
    assertThat(((SessionData) back).declared()).isEqualTo(s.declared());
    assertThat(back.lastSeen()).isEqualTo(s.lastSeen());
  }

  @Test
  void productsAndExposures_roundTrip() {
    SessionData back = SessionCodec.decode(sample().toBytes());

    assertThat(back.products().recentlyViewed()).containsExactly("sku-1");
    assertThat(back.products().openCart()).containsExactly("sku-2");
    assertThat(back.exposures().size()).isEqualTo(1);
    assertThat(back.exposures().placement(0)).isEqualTo("home.hero");
    assertThat(back.exposures().variant(0)).isEqualTo("flash-sale");
    assertThat(back.exposures().segment(0)).isEqualTo("value_hunter");
    assertThat(back.exposures().atMillis(0)).isEqualTo(999_500);
  }

  @Test
  void formatOneStates_writtenBeforeProductsAndExposures_stillRead() {
    SessionData withoutMemory = update.apply(null, activity(new String[] {null, null}));
    byte[] one = Arrays.copyOf(formatTwo(withoutMemory), formatTwo(withoutMemory).length - 6);
    one[2] = 1;

    SessionData back = SessionCodec.decode(one);

    assertThat(back).usingRecursiveComparison().ignoringFields("applied").isEqualTo(withoutMemory);
    assertThat(back.products().recentlyViewed()).isEmpty();
    assertThat(back.exposures().size()).isZero();
  }

  @Test
  void formatTwoStates_writtenBeforeChangeIds_stillRead_asDeclaredAtTheLastVisit() {
    Activity visit = activity(new String[] {"sku-1", null});
    SessionData s = update.apply(null, visit);

    SessionData back = SessionCodec.decode(formatTwo(s));

    assertThat(back).usingRecursiveComparison().ignoringFields("applied").isEqualTo(s);
    assertThat(back.declaredTimes).containsOnly(s.lastSeenMillis());
    assertThat(back.applied(visit.id())).isFalse();
    assertThat(s.applied(visit.id())).isTrue();
  }

  @Test
  void changeIdsAndDeclarationTimes_roundTrip() {
    Activity visit = activity(new String[] {"sku-1", null});
    SessionData s = update.apply(null, visit);

    SessionData back = SessionCodec.decode(s.toBytes());

    assertThat(back.applied(visit.id())).isTrue();
    assertThat(update.apply(back, visit)).isSameAs(back);
  }

  @Test
  void formatThreeStates_writtenBeforeConversions_stillRead_asStatesWithout() {
    Activity visit = activity(new String[] {"sku-1", null});
    SessionData s = update.apply(null, visit);

    SessionData back = SessionCodec.decode(formatThree(s));

    assertThat(back).isEqualTo(s);
    assertThat(back.conversions().size()).isZero();
    assertThat(back.applied(visit.id())).isTrue();
  }

  @Test
  void conversionsAndSeveralExposuresOfAPlacement_roundTrip() {
    Activity visit = activity(new String[] {"sku-1", null});
    Conversions bought =
        Conversions.of(
            new long[] {1, -7},
            new long[] {2, Long.MAX_VALUE},
            new boolean[] {true, false},
            new long[] {1_000_000, 999_000},
            new double[] {59.9, 0},
            Conversions.MAX);
    SessionData s =
        update
            .apply(null, visit, bought, 1_000_000)
            .withExposure("home.hero", "flash-sale", "value_hunter", 999_500, 60_000)
            .withExposure("home.hero", "reviews", null, 999_800, 60_000);

    SessionData back = SessionCodec.decode(s.toBytes());

    assertThat(back).isEqualTo(s);
    assertThat(back.conversions().size()).isEqualTo(2);
    assertThat(back.conversions().purchase(0)).isTrue();
    assertThat(back.conversions().value(0)).isEqualTo(59.9);
    assertThat(back.conversions().idLow(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(back.exposures().size()).isEqualTo(2);
    assertThat(back.toString()).doesNotContain("59.9");
  }

  @Test
  void stickyAssignments_roundTrip() {
    Activity visit = activity(new String[] {"sku-1", null});
    Assignments arms =
        Assignments.builder(2)
            .add("home.hero", "hero-1", 0, "b")
            .add("home.hero", "hero-1", 0x1234_5678_9abc_def0L, "a")
            .build(1_000_000);
    SessionData s = update.apply(null, visit, null, arms, 1_000_000);

    SessionData back = SessionCodec.decode(s.toBytes());

    assertThat(back).isEqualTo(s);
    assertThat(back.assignments().size()).isEqualTo(2);
    assertThat(back.assignments().variant("home.hero", "hero-1", 0)).isEqualTo("b");
    assertThat(back.assignments().variant("home.hero", "hero-1", 0x1234_5678_9abc_def0L))
        .isEqualTo("a");
    assertThat(back.toString()).doesNotContain("hero");
  }

  @Test
  void theBasesOfExposures_roundTripAsFormatSix_andStatesWithoutThemAsBefore() {
    Activity visit = activity(new String[] {"sku-1", null});
    SessionData plain =
        update.apply(null, visit).withExposure("home.hero", "flash-sale", null, 999_500, 60_000);
    SessionData tagged =
        plain
            .withExposure(
                "home.banner",
                "b",
                "value_hunter",
                999_600,
                Exposures.tag(VariantChoice.Basis.EXPERIMENT, "banner-1"),
                60_000)
            .withExposure(
                "home.tiles",
                "deals",
                null,
                999_700,
                Exposures.tag(VariantChoice.Basis.OPTIMIZED, null),
                60_000);

    SessionData back = SessionCodec.decode(tagged.toBytes());

    assertThat(plain.toBytes()[2]).isEqualTo((byte) 4);
    assertThat(tagged.toBytes()[2]).isEqualTo((byte) 6);
    assertThat(back).isEqualTo(tagged);
    Exposures x = back.exposures();
    Map<String, String> rows = new java.util.HashMap<>();
    for (int i = 0; i < x.size(); i++) {
      rows.put(x.placement(i), x.basis(i) + " " + x.experiment(i));
    }
    assertThat(rows)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "home.hero", "null null",
                "home.banner", "EXPERIMENT banner-1",
                "home.tiles", "OPTIMIZED null"));
  }

  @Test
  void theDecisionsOfExposures_roundTripAsFormatNine_andStatesWithoutThemAsBefore() {
    SessionData tagged =
        update
            .apply(null, activity(new String[] {"sku-1", null}))
            .withExposure(
                "home.banner",
                "b",
                null,
                999_600,
                Exposures.tag(VariantChoice.Basis.EXPERIMENT, "banner-1"),
                60_000);
    SessionData decided =
        tagged.withExposure(
            "home.hero",
            "flash-sale",
            "value_hunter",
            999_700,
            Exposures.tag(VariantChoice.Basis.PERSONA, null),
            "4f0c9d1e02ab4f0c9d1e02ab4f0c9d1e",
            60_000);

    byte[] nine = decided.toBytes();
    SessionData back = SessionCodec.decode(nine);

    assertThat(tagged.toBytes()[2]).isEqualTo((byte) 6);
    assertThat(nine[2]).isEqualTo((byte) 9);
    assertThat(back).isEqualTo(decided);
    Map<String, String> decisions = new java.util.HashMap<>();
    for (int i = 0; i < back.exposures().size(); i++) {
      decisions.put(back.exposures().placement(i), String.valueOf(back.exposures().decision(i)));
    }
    assertThat(decisions)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("home.hero", "4f0c9d1e02ab4f0c9d1e02ab4f0c9d1e", "home.banner", "null"));
    for (int cut = 3; cut < nine.length; cut++) {
      byte[] truncated = Arrays.copyOf(nine, cut);
      assertThatThrownBy(() -> SessionCodec.decode(truncated))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aLiftedDenial_roundTripsAsFormatTen_andStatesWithoutOneAsBefore() {
    SessionData denial = update.denied(null, 1_000_000);
    SessionData granted =
        update.apply(denial, Activity.of(1_000_500, new long[0], Map.of("consent", "granted")));

    byte[] ten = granted.toBytes();
    SessionData back = SessionCodec.decode(ten);

    assertThat(ten[2]).isEqualTo((byte) 10);
    assertThat(back).isEqualTo(granted);
    assertThat(back.liftedDenial).isEqualTo(1_000_000);
    assertThat(sample().toBytes()[2]).as("no denial lifted").isLessThan((byte) 10);
    for (int cut = 3; cut < ten.length; cut++) {
      byte[] truncated = Arrays.copyOf(ten, cut);
      assertThatThrownBy(() -> SessionCodec.decode(truncated))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aStateWithoutStickyAssignments_isWrittenAsFormatFour_whichTheVersionBeforeReads() {
    Activity visit = activity(new String[] {"sku-1", null});
    SessionData s = update.apply(null, visit);
    SessionData sticky =
        update.apply(
            null, visit, null, Assignments.builder(1).add("p", "x", 0, "a").build(5), 1_000_000);

    byte[] bytes = s.toBytes();

    assertThat(bytes[2]).isEqualTo((byte) 4);
    assertThat(sticky.toBytes()[2]).isEqualTo((byte) 5);
    assertThat(SessionCodec.decode(bytes)).isEqualTo(s);
    assertThat(SessionCodec.decode(bytes).assignments().size()).isZero();
  }

  @Test
  void theEntry_roundTripsAsFormatSeven_andStatesWithoutOneAreWrittenAsBefore() {
    Activity landing = activity(new String[] {"sku-1", null});
    landing.setLanding("paid_social", "influencer-drop", "instagram.com");
    Activity bare = activity(new String[] {"sku-1", null});
    bare.setLanding("direct", null, null);
    SessionData withEntry = update.apply(null, landing);
    SessionData direct = update.apply(null, bare);
    SessionData none = update.apply(null, activity(new String[] {"sku-1", null}));

    SessionData back = SessionCodec.decode(withEntry.toBytes());
    SessionData directBack = SessionCodec.decode(direct.toBytes());

    assertThat(withEntry.toBytes()[2]).isEqualTo((byte) 7);
    assertThat(none.toBytes()[2]).isEqualTo((byte) 4);
    assertThat(back).isEqualTo(withEntry);
    assertThat(back.entry().source()).isEqualTo("paid_social");
    assertThat(back.entry().campaign()).isEqualTo("influencer-drop");
    assertThat(back.entry().referrerHost()).isEqualTo("instagram.com");
    assertThat(back.entry().atMillis()).isEqualTo(1_000_000);
    assertThat(directBack).isEqualTo(direct);
    assertThat(directBack.entry().campaign()).isNull();
    assertThat(directBack.entry().referrerHost()).isNull();
    assertThat(back.toString()).doesNotContain("instagram").doesNotContain("influencer");
  }

  @Test
  void formatSixStates_writtenBeforeTheEntry_stillRead_asStatesWithoutOne() {
    SessionData tagged =
        update
            .apply(null, activity(new String[] {"sku-1", null}))
            .withExposure(
                "home.banner",
                "b",
                null,
                999_600,
                Exposures.tag(VariantChoice.Basis.EXPERIMENT, "banner-1"),
                60_000);
    byte[] six = tagged.toBytes();
    assertThat(six[2]).isEqualTo((byte) 6);

    SessionData back = SessionCodec.decode(six);

    assertThat(back).isEqualTo(tagged);
    assertThat(back.entry()).isNull();
  }

  @Test
  void aFormatSevenStateWithEverything_refusesEveryTruncation() {
    Activity landing = activity(new String[] {"sku-1", "sku-2"});
    landing.setLanding("organic_social", null, "instagram.com");
    SessionData s =
        update
            .apply(
                sample(),
                landing,
                null,
                Assignments.builder(1).add("home.tiles", "tiles-1", 0, "a").build(999_000),
                1_000_000)
            .withExposure(
                "home.banner",
                "b",
                null,
                999_600,
                Exposures.tag(VariantChoice.Basis.EXPERIMENT, "banner-1"),
                60_000);
    byte[] good = s.toBytes();

    assertThat(good[2]).isEqualTo((byte) 7);
    assertThat(SessionCodec.decode(good)).isEqualTo(s);
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> SessionState.fromBytes(cut))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void moreAssignmentsThanAStateKeeps_areRefused() {
    byte[] four = update.apply(null, activity(new String[] {"sku-1", null})).toBytes();
    byte[] bytes = Arrays.copyOf(four, four.length + 2);
    bytes[2] = 5;
    bytes[bytes.length - 1] = (byte) (Assignments.MAX + 1);

    assertThatThrownBy(() -> SessionState.fromBytes(bytes))
        .hasMessage("session state has too many assignments: " + (Assignments.MAX + 1));
  }

  @Test
  void formatFiveStates_withoutAssignments_read() {
    SessionData s = update.apply(null, activity(new String[] {"sku-1", null}));
    byte[] five = Arrays.copyOf(s.toBytes(), s.toBytes().length + 2); // a count of 0
    five[2] = 5;

    assertThat(SessionCodec.decode(five)).isEqualTo(s);
  }

  /** Returns the state's bytes as format 4 wrote them: without sticky assignments. */
  private static byte[] formatFour(SessionData s) {
    assertThat(s.assignments().size()).isZero();
    byte[] four = s.toBytes();
    assertThat(four[2]).isEqualTo((byte) 4);
    return four;
  }

  /** Returns the state's bytes as format 3 wrote them: without conversions. */
  private static byte[] formatThree(SessionData s) {
    byte[] four = formatFour(s);
    byte[] three = Arrays.copyOf(four, four.length - 2 - 33 * s.conversions().size());
    three[2] = 3;
    return three;
  }

  /** Returns the state's bytes as format 2 wrote them: without declaration times and change ids. */
  private static byte[] formatTwo(SessionData s) {
    byte[] three = formatThree(s);
    byte[] two =
        Arrays.copyOf(three, three.length - 8 * s.declaredTimes.length - 2 - 8 * s.applied.length);
    two[2] = 2;
    return two;
  }

  @Test
  void stateWithSeveralCounters_staysCompact() {
    assertThat(sample().toBytes().length).isLessThan(512);
  }

  @Test
  void corruptOrForeignBytes_areRefusedWithAClearMessage() {
    byte[] good = sample().toBytes();
    byte[] newer = good.clone();
    newer[2] = 11;

    assertThatThrownBy(() -> SessionState.fromBytes(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a Persona session state");
    assertThatThrownBy(() -> SessionState.fromBytes(newer))
        .hasMessage("session state format 11 is not readable; this engine reads formats 1 to 10");
    assertThatThrownBy(() -> SessionState.fromBytes(Arrays.copyOf(good, good.length - 3)))
        .hasMessage("session state is truncated or corrupt");
    assertThatThrownBy(() -> SessionState.fromBytes(Arrays.copyOf(good, good.length + 1)))
        .hasMessage("session state has trailing bytes");
  }

  @Test
  void everyTruncation_isRefusedNotMisread() {
    byte[] good = sample().toBytes();
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> SessionState.fromBytes(cut))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** A state with a bit of everything, sticky assignments included: format 5. */
  private SessionData sample() {
    return update
        .apply(
            null,
            activity(new String[] {"sku-1", "sku-2"}),
            null,
            Assignments.builder(1).add("home.banner", "banner-1", 0, "b").build(999_000),
            1_000_000)
        .withExposure("home.hero", "flash-sale", "value_hunter", 999_500);
  }

  private static Activity activity(String[] products) {
    Map<String, Object> declared = new LinkedHashMap<>();
    declared.put("priority", "price");
    declared.put("loyalty_member", true);
    declared.put("budget", 120.5);
    declared.put("interests", Set.of("hiking"));
    return new Activity(
        1_000_000,
        new int[] {
          1 << Counter.PRODUCT_VIEWS.ordinal() | 1 << Counter.SALE_VIEWS.ordinal(),
          1 << Counter.CART_ADDS.ordinal()
        },
        new long[] {999_000, 1_000_000},
        new String[] {"shoes", null},
        new String[] {"acme", "acme"},
        new int[] {0, 2},
        products,
        new double[] {0, 0},
        declared);
  }
}
