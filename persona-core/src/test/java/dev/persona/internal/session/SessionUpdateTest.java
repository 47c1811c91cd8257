package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class SessionUpdateTest {
  private static final long HOUR = 3_600_000;
  private final SessionUpdate update = new SessionUpdate(HOUR, 3, 8, 32, 60_000);

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

    SessionData late = update.apply(s, view(HOUR, "a"), 10 * HOUR);

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

  @Test
  void aChangeAppliedAgain_countsOnce() {
    Activity visit = view(0, "a");
    SessionData once = update.apply(null, visit);

    SessionData twice = update.apply(once, visit);

    assertThat(twice).isSameAs(once);
    assertThat(twice.total(Counter.PRODUCT_VIEWS)).isEqualTo(1);
    assertThat(twice.requests()).isEqualTo(1);
  }

  @Test
  void aChange_isRememberedForTheWindowOfLaterChanges() {
    Activity first = view(0, "a");
    SessionData s = update.apply(null, first);
    for (int i = 1; i < SessionData.APPLIED_WINDOW; i++) {
      s = update.apply(s, view(i, "a"));
    }
    assertThat(update.apply(s, first)).isSameAs(s);

    s = update.apply(s, view(SessionData.APPLIED_WINDOW, "a"));

    assertThat(s.applied(first.id())).isFalse();
    assertThat(s.total(Counter.PRODUCT_VIEWS)).isEqualTo(SessionData.APPLIED_WINDOW + 1);
  }

  @Test
  void forAStoreThatAppliesEachChangeOnce_noChangeIdIsKept() {
    SessionUpdate once = new SessionUpdate(HOUR, 3, 8, 32, 60_000, false);
    Activity visit = view(0, "a");

    SessionData s = once.apply(once.apply(null, view(0, "b")), visit);

    assertThat(s.applied(visit.id())).isFalse();
    assertThat(s.total(Counter.PRODUCT_VIEWS)).isEqualTo(2);
  }

  @Test
  void changesAppliedInAnyOrder_giveTheSameState() {
    Activity a = declare(10 * 60_000, "priority", "price");
    Activity b = view(20 * 60_000, "shoes");
    Activity c = declare(30 * 60_000, "priority", "quality");
    long clock = 40 * 60_000;

    SessionData inOrder = update.apply(update.apply(update.apply(null, a), b), c);
    SessionData reversed =
        update.apply(update.apply(update.apply(null, c, clock), b, clock), a, clock);

    assertThat(reversed.declared()).isEqualTo(Map.of("priority", "quality"));
    assertThat(reversed.declared()).isEqualTo(inOrder.declared());
    assertThat(reversed.firstSeenMillis())
        .isEqualTo(inOrder.firstSeenMillis())
        .isEqualTo(a.atMillis());
    assertThat(reversed.lastSeenMillis())
        .isEqualTo(inOrder.lastSeenMillis())
        .isEqualTo(c.atMillis());
    assertThat(reversed.requests()).isEqualTo(inOrder.requests()).isEqualTo(3);
    assertThat(reversed.total(Counter.PRODUCT_VIEWS)).isEqualTo(1);
    assertThat(reversed.decayed(Counter.PRODUCT_VIEWS))
        .isCloseTo(inOrder.decayed(Counter.PRODUCT_VIEWS), within(1e-12))
        .isCloseTo(Math.pow(0.5, 10.0 / 60), within(1e-12));
    assertThat(reversed.topCategory()).isEqualTo(inOrder.topCategory()).isEqualTo("shoes");
  }

  /**
   * A denial of consent and a grant in the same millisecond, on two instances: the grant wins in
   * either order, as it does when it lands last (a shopper who denies and then grants on one
   * instance, within a millisecond). Before, a denial applied after a grant of its own millisecond
   * wiped the granting visit.
   */
  @Test
  void aDenialAndAGrantOfTheSameMillisecond_giveTheSameState_inEitherOrder() {
    long at = 10 * 60_000;
    Activity grant = declare(at, "consent", "granted");

    SessionData denialFirst = update.apply(update.denied(null, at), grant);
    SessionData grantFirst = update.denied(update.apply(null, grant), at);

    assertThat(denialFirst.consentDenied()).isFalse();
    assertThat(grantFirst.consentDenied()).isFalse();
    assertThat(grantFirst.declared()).isEqualTo(denialFirst.declared());
    assertThat(grantFirst.requests()).isEqualTo(denialFirst.requests()).isEqualTo(1);
    assertThat(update.denied(grantFirst, at + 1).consentDenied())
        .as("a denial a millisecond later")
        .isTrue();
  }

  /**
   * A visit made after a grant of consent on another instance may land on the denial before the
   * grant does. The denial holds it back ({@link SessionUpdate#heldBy}); the shared store keeps it
   * and applies it again once the grant landed, which lets it in ({@link SessionUpdate#letsIn}):
   * the same state as when the grant landed first, and counted once.
   */
  @Test
  void aVisitAfterAGrant_heldBackByTheDenial_isLetInOnceTheGrantLanded() {
    SessionData denial = update.denied(null, 10 * 60_000);
    Activity grant = declare(20 * 60_000, "consent", "granted");
    Activity visit = view(30 * 60_000, "shoes");
    SessionData grantFirst = update.apply(update.apply(denial, grant), visit);

    SessionData held = update.apply(denial, visit);
    long by = SessionUpdate.heldBy(held, visit);
    SessionData granted = update.apply(held, grant);

    assertThat(held.consentDenied()).isTrue();
    assertThat(held.requests()).as("nothing of the visit is stored under the denial").isZero();
    assertThat(by).isEqualTo(10 * 60_000);
    assertThat(SessionUpdate.letsIn(held, visit, by)).as("still denied").isFalse();
    assertThat(SessionUpdate.letsIn(granted, visit, by)).isTrue();
    SessionData visitFirst = update.apply(granted, visit);
    assertThat(visitFirst.requests()).isEqualTo(grantFirst.requests()).isEqualTo(2);
    assertThat(visitFirst.decayed(Counter.PRODUCT_VIEWS))
        .isEqualTo(grantFirst.decayed(Counter.PRODUCT_VIEWS));
    assertThat(SessionUpdate.heldBy(visitFirst, visit)).as("let in").isEqualTo(Long.MIN_VALUE);
    assertThat(update.apply(visitFirst, visit))
        .as("applied again: counted once")
        .isSameAs(visitFirst);
  }

  /**
   * A visit made under the denial, before the grant, stays out in either order of landing: applied
   * after the grant, the grant's state remembers the denial it lifted.
   */
  @Test
  void aVisitUnderADenial_staysOut_whicheverLandsFirst() {
    SessionData denial = update.denied(null, 10 * 60_000);
    Activity visit = view(20 * 60_000, "shoes");
    Activity grant = declare(30 * 60_000, "consent", "granted");

    SessionData grantFirst = update.apply(update.apply(denial, grant), visit);
    SessionData visitFirst = update.apply(update.apply(denial, visit), grant);

    assertThat(grantFirst.requests()).isEqualTo(visitFirst.requests()).isEqualTo(1);
    assertThat(grantFirst.decayed(Counter.PRODUCT_VIEWS))
        .isEqualTo(visitFirst.decayed(Counter.PRODUCT_VIEWS))
        .isZero();
    SessionData later = update.apply(grantFirst, view(40 * 60_000, "hats"));
    assertThat(later.requests()).as("a visit after the grant counts").isEqualTo(2);
    assertThat(update.apply(later, view(5 * 60_000, "socks")))
        .as("one before the denial, applied late: what the denial erased")
        .isSameAs(later);
    assertThat(update.apply(update.apply(denial, view(5 * 60_000, "socks")), grant).requests())
        .as("the same, applied before the grant")
        .isEqualTo(1);
  }

  /** A visit made under the denial, before the grant, stays out: the grant came after it. */
  @Test
  void aVisitUnderADenial_isNotLetInByALaterGrant() {
    SessionData denial = update.denied(null, 10 * 60_000);
    Activity visit = view(20 * 60_000, "shoes");
    Activity grant = declare(30 * 60_000, "consent", "granted");

    SessionData held = update.apply(denial, visit);
    long by = SessionUpdate.heldBy(held, visit);
    SessionData granted = update.apply(held, grant);

    assertThat(by).isEqualTo(10 * 60_000);
    assertThat(SessionUpdate.letsIn(granted, visit, by)).isFalse();
    assertThat(SessionUpdate.heldBy(denial, view(5 * 60_000, "hats")))
        .as("a visit before the denial is what it erased, not held back")
        .isEqualTo(Long.MIN_VALUE);
    assertThat(SessionUpdate.heldBy(denial, declare(20 * 60_000, "consent", "denied")))
        .as("a denial is no visit to let in")
        .isEqualTo(Long.MIN_VALUE);
  }

  /** A visit applied late to a denial made after it gives the state it gives applied first. */
  @Test
  void aVisitBeforeADenial_givesTheSameDenial_inEitherOrder() {
    Activity visit = view(10 * 60_000, "shoes");
    long deniedAt = 20 * 60_000;

    SessionData visitFirst = update.denied(update.apply(null, visit), deniedAt);
    SessionData denialFirst = update.apply(update.denied(null, deniedAt), visit);

    assertThat(denialFirst.consentMillis())
        .isEqualTo(visitFirst.consentMillis())
        .isEqualTo(deniedAt);
    assertThat(denialFirst.lastSeenMillis()).isEqualTo(visitFirst.lastSeenMillis());
    assertThat(denialFirst.requests()).isEqualTo(visitFirst.requests()).isZero();
  }

  @Test
  void aSessionClockAheadOfTheEngine_isBroughtBack_notWeighedAgainst() {
    SessionData s = update.apply(null, view(HOUR, "a")); // an instance whose clock is 1 h ahead

    for (int i = 0; i < 10; i++) {
      s = update.apply(s, view(i * 1_000L, "b"), i * 1_000L);
      if (i == 0) {
        assertThat(s.clockAheadMillis()).isEqualTo(HOUR);
      }
    }

    assertThat(s.clockAheadMillis()).isZero();
    assertThat(s.decayed(Counter.PRODUCT_VIEWS)).isCloseTo(11, within(0.02));
    assertThat(s.lastSeenMillis()).isEqualTo(9_000);
  }

  @Test
  void aSessionClockAheadWithinTheTolerance_isKept() {
    SessionData s = update.apply(null, view(30_000, "a"));

    s = update.apply(s, view(0, "b"), 0);

    assertThat(s.clockAheadMillis()).isZero();
    assertThat(s.lastSeenMillis()).isEqualTo(30_000);
  }

  @Test
  void conversions_appliedInAnyOrderOrTwice_giveTheSameConversions() {
    Conversions a = bought(10 * 60_000, 1, 40);
    Conversions b = bought(20 * 60_000, 2, 0);
    Conversions again = bought(10 * 60_000, 1, 40); // the same order sent again at the same time

    SessionData inOrder = buy(buy(buy(null, a), b), again);
    SessionData reversed = buy(buy(buy(buy(null, again), b), a), b);

    assertThat(reversed.conversions()).isEqualTo(inOrder.conversions());
    assertThat(inOrder.conversions().size()).isEqualTo(2);
    assertThat(inOrder.conversions().atMillis(0)).isEqualTo(20 * 60_000);
    assertThat(inOrder.conversions().value(1)).isEqualTo(40.0);
  }

  @Test
  void stickyAssignments_appliedInAnyOrderOrTwice_keepTheFirstArm() {
    Activity a = view(10 * 60_000, "a");
    Activity b = view(20 * 60_000, "b");
    Assignments first = Assignments.builder(1).add("hero", "x1", 0, "b").build(a.atMillis());
    Assignments later = Assignments.builder(1).add("hero", "x1", 0, "a").build(b.atMillis());
    long clock = 25 * 60_000;

    SessionData inOrder =
        update.apply(update.apply(null, a, null, first, clock), b, null, later, clock);
    SessionData reversed =
        update.apply(update.apply(null, b, null, later, clock), a, null, first, clock);

    assertThat(inOrder.assignments()).isEqualTo(reversed.assignments());
    assertThat(reversed.assignments().variant("hero", "x1", 0)).isEqualTo("b");
    assertThat(update.apply(reversed, a, null, first, clock)).isSameAs(reversed);
  }

  @Test
  void conversions_keepTheNewest_withinTheAttributionWindow() {
    SessionUpdate windowed = new SessionUpdate(HOUR, 3, 8, 32, 60_000, true, 30 * 60_000);
    SessionData s = null;
    for (int i = 0; i < Conversions.MAX + 4; i++) {
      Conversions c = bought(i * 1_000L, i, i);
      s = windowed.apply(s, cart(i * 1_000L, Activity.EMPTY_CART), c, i * 1_000L);
    }
    assertThat(s.conversions().size()).isEqualTo(Conversions.MAX);
    assertThat(s.conversions().atMillis(Conversions.MAX - 1)).isEqualTo(4_000);

    s = windowed.apply(s, view(30 * 60_000 + 10_000, "a"));

    assertThat(s.conversions().size()).isEqualTo(10); // from 10 s on
    assertThat(s.conversions().atMillis(s.conversions().size() - 1)).isEqualTo(10_000);
  }

  @Test
  void theEntry_isTheFirstExternalLanding_andInSiteRequestsLeaveIt() {
    SessionData s = update.apply(null, landing(0, "organic_social", null, "instagram.com"));
    for (int i = 1; i <= 5; i++) {
      s = update.apply(s, landing(i * 60_000L, "internal", null, null));
    }
    s = update.apply(s, landing(6 * 60_000, "organic_search", null, "google.com"));
    s = update.apply(s, landing(7 * 60_000, "direct", null, null));

    assertThat(s.entry().source()).isEqualTo("organic_social");
    assertThat(s.entry().referrerHost()).isEqualTo("instagram.com");
    assertThat(s.entry().campaign()).isNull();
    assertThat(s.entry().atMillis()).isZero();
  }

  @Test
  void aLaterCampaignLanding_replacesTheEntry_andTheLatestCampaignWins() {
    SessionData s = update.apply(null, landing(0, "organic_search", null, "google.com"));
    s = update.apply(s, landing(60_000, "email", "winter-sale", null));
    assertThat(s.entry().campaign()).isEqualTo("winter-sale");
    assertThat(s.entry().referrerHost()).isNull();

    s = update.apply(s, landing(120_000, "organic_social", null, "instagram.com"));
    assertThat(s.entry().campaign()).isEqualTo("winter-sale"); // no campaign: does not replace

    s = update.apply(s, landing(180_000, "paid_social", "creator-drop", "instagram.com"));
    assertThat(s.entry().source()).isEqualTo("paid_social");
    assertThat(s.entry().campaign()).isEqualTo("creator-drop");
  }

  @Test
  void aDirectEntry_givesWayToTheFirstLandingFromElsewhere() {
    SessionData s = update.apply(null, landing(0, "direct", null, null));
    assertThat(s.entry().source()).isEqualTo("direct");

    s = update.apply(s, landing(60_000, "referral", null, "blog.example.org"));
    s = update.apply(s, landing(120_000, "organic_social", null, "facebook.com"));

    assertThat(s.entry().source()).isEqualTo("referral");
    assertThat(s.entry().referrerHost()).isEqualTo("blog.example.org");
  }

  @Test
  void aSessionOfInSiteRequestsOnly_hasNoEntry() {
    SessionData s = update.apply(null, landing(0, "internal", null, null));
    s = update.apply(s, landing(60_000, "internal", "banner", null));
    s = update.apply(s, view(120_000, "shoes"));

    assertThat(s.entry()).isNull();
  }

  @Test
  void landings_appliedInEveryOrderAndTwice_giveTheSameEntry() {
    List<Activity> landings =
        List.of(
            landing(10_000, "direct", null, null),
            landing(20_000, "organic_social", null, "instagram.com"),
            landing(20_000, "organic_search", null, "google.com"), // the same millisecond
            landing(30_000, "internal", null, null),
            landing(40_000, "paid_social", "influencer-a", "instagram.com"),
            landing(50_000, "referral", null, "blog.example.org"),
            landing(60_000, "email", "newsletter", null),
            landing(60_000, "email", "newsletter-b", null)); // the same millisecond
    long clock = 70_000;
    // in time order: direct, then instagram; the campaigns replace it, the latest last
    Entry expected = new Entry("email", "newsletter", null, 60_000);

    Set<Entry> entries = new HashSet<>();
    for (List<Activity> order : permutations(landings)) {
      SessionData s = null;
      for (Activity a : order) {
        s = update.apply(s, a, clock);
      }
      for (Activity a : order) { // each change applied again: remembered, counts once
        assertThat(update.apply(s, a, clock)).isSameAs(s);
      }
      entries.add(s.entry());
      // and merged again without the change id, as a store that forgot it would
      Entry again = s.entry();
      for (Activity a : order) {
        again = Entry.merge(again, a.landing());
      }
      assertThat(again).isEqualTo(s.entry());
    }

    assertThat(entries).containsExactly(expected);
  }

  @Test
  void theMerge_isCommutativeAssociativeAndIdempotent_onRandomLandings() {
    String[] sources = {"direct", "organic_social", "referral", "email", "paid_search"};
    String[] campaigns = {null, null, "a", "b"};
    String[] hosts = {null, "instagram.com", "google.com"};
    Random random = new Random(19);
    for (int n = 0; n < 2_000; n++) {
      Entry[] e = new Entry[3];
      for (int i = 0; i < 3; i++) {
        e[i] =
            new Entry(
                sources[random.nextInt(sources.length)],
                campaigns[random.nextInt(campaigns.length)],
                hosts[random.nextInt(hosts.length)],
                random.nextInt(4));
      }
      assertThat(Entry.merge(e[0], e[1])).isEqualTo(Entry.merge(e[1], e[0]));
      assertThat(Entry.merge(Entry.merge(e[0], e[1]), e[2]))
          .isEqualTo(Entry.merge(e[0], Entry.merge(e[1], e[2])));
      assertThat(Entry.merge(e[0], e[0])).isSameAs(e[0]);
      assertThat(Entry.merge(Entry.merge(e[0], e[1]), e[1])).isEqualTo(Entry.merge(e[0], e[1]));
    }
  }

  private static List<List<Activity>> permutations(List<Activity> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<Activity>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<Activity> rest = new ArrayList<>(items);
      Activity first = rest.remove(i);
      for (List<Activity> p : permutations(rest)) {
        List<Activity> one = new ArrayList<>();
        one.add(first);
        one.addAll(p);
        out.add(one);
      }
    }
    return out;
  }

  private static Activity landing(long at, String source, String campaign, String host) {
    Activity a = Activity.of(at, new long[0], Map.of());
    a.setLanding(source, campaign, host);
    return a;
  }

  /** Applies a visit at the conversion's time, whose conversion it is. */
  private SessionData buy(SessionData s, Conversions c) {
    return update.apply(s, cart(c.atMillis(0), Activity.EMPTY_CART), c, 25 * 60_000);
  }

  private static Conversions bought(long at, long id, double value) {
    return Conversions.of(
        new long[] {id},
        new long[] {~id},
        new boolean[] {true},
        new long[] {at},
        new double[] {value},
        1);
  }

  private static Activity declare(long at, String key, Object value) {
    return Activity.of(at, new long[0], Map.of(key, value));
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
