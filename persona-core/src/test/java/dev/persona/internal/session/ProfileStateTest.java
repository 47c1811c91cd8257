package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The states behind profiles: a session's {@link Identity} and a profile's {@link Visits}, their
 * byte form, and the rules of sign-in, sign-out and merging ({@link SessionUpdate}, {@link
 * ProfileUpdate}) as a store may apply them: again, or late.
 */
final class ProfileStateTest {
  private static final long USER = 42;
  private static final long OTHER = 43;
  private final SessionUpdate sessions =
      new SessionUpdate(3_600_000, 8, 8, 32, 60_000, true, 1_800_000, true);
  private final ProfileUpdate profiles =
      new ProfileUpdate(30L * 86_400_000, 8, 8, 32, 60_000, true);

  @Test
  void identityAndVisits_roundTripInFormatEight_andStatesWithoutThemKeepTheirFormat() {
    SessionData anonymous = sessions.apply(null, view(1_000, 0, "sku-1"));
    assertThat(anonymous.toBytes()[2]).isEqualTo((byte) 4);
    assertThat(anonymous.identity()).isNull();

    SessionData session = sessions.apply(anonymous, view(2_000, USER, "sku-2"));
    SessionData profile = profiles.apply(null, session, view(2_000, USER, "sku-2"), 2_000);

    assertThat(session.toBytes()[2]).isEqualTo((byte) 8);
    assertThat(SessionCodec.decode(session.toBytes())).isEqualTo(session);
    assertThat(SessionCodec.decode(profile.toBytes())).isEqualTo(profile);
    assertThat(SessionCodec.decode(profile.toBytes()).profileVisits().others(0)).isEqualTo(1);
  }

  @Test
  void aChangeAppliedAgain_countsOnce_inTheSessionAndTheProfile() {
    Activity first = view(1_000, USER, "sku-1");
    SessionData session = sessions.apply(null, first);
    SessionData profile = profiles.apply(null, session, first, 1_000);

    assertThat(sessions.apply(session, first)).isSameAs(session);
    assertThat(profiles.apply(profile, session, first, 5_000)).isSameAs(profile);

    Activity second = view(2_000, USER, "sku-2");
    SessionData s2 = sessions.apply(session, second);
    SessionData p2 = profiles.apply(profile, s2, second, 2_000);
    assertThat(p2.requests()).isEqualTo(2);
    assertThat(p2.total(Counter.PRODUCT_VIEWS)).isEqualTo(2);
    assertThat(p2.profileVisits().others(0)).isEqualTo(1);
  }

  @Test
  void aSessionSigningIn_isMergedOnce_andItsRecordKeepsFirstAndLastSeen() {
    SessionData anonymous = sessions.apply(null, view(1_000, 0, "sku-a"));
    Activity signIn = view(2_000, USER, "sku-b");
    SessionData session = sessions.apply(anonymous, signIn);
    assertThat(session.requests()).isEqualTo(2); // the anonymous part is kept in the session

    SessionData profile = profiles.apply(null, session, signIn, 2_000);
    assertThat(profile.total(Counter.PRODUCT_VIEWS)).isEqualTo(2);

    Activity later = view(3_000, USER, "sku-c");
    SessionData p2 = profiles.apply(profile, sessions.apply(session, later), later, 3_000);
    assertThat(p2.total(Counter.PRODUCT_VIEWS)).isEqualTo(3);
    assertThat(p2.products().recentlyViewed()).containsExactly("sku-c", "sku-b", "sku-a");
    long token = session.identity().token();
    assertThat(p2.profileVisits().lastSeenBefore(token)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aVisitFromBeforeASignOut_appliedLate_isNotApplied_andAnotherUserStartsAnew() {
    SessionData signedIn = sessions.apply(null, view(1_000, USER, "sku-1"));
    SessionData signedOut = sessions.apply(signedIn, view(3_000, 0, "sku-2"));
    assertThat(signedOut.products().recentlyViewed()).containsExactly("sku-2");
    assertThat(signedOut.identity().user()).isZero();

    // the signed-in visit at 2,000 lands after the sign-out at 3,000
    assertThat(sessions.apply(signedOut, view(2_000, USER, "sku-9"))).isSameAs(signedOut);

    SessionData other = sessions.apply(signedIn, view(4_000, OTHER, "sku-3"));
    assertThat(other.products().recentlyViewed()).containsExactly("sku-3");
    assertThat(other.identity().user()).isEqualTo(OTHER);
    assertThat(other.identity().token()).isNotEqualTo(signedIn.identity().token());
  }

  @Test
  void consentMerges_asTheMostPrivate() {
    SessionData profile =
        profiles.apply(
            null,
            sessions.apply(null, declared(1_000, USER, "granted")),
            declared(1_000, USER, "granted"),
            1_000);
    Activity anonymous = declared(2_000, 0, "granted");
    SessionData session = sessions.apply(null, anonymous);
    Activity signIn = view(3_000, USER, "sku-1");
    session = sessions.apply(session, signIn);

    SessionData merged = profiles.apply(profile, session, signIn, 3_000);
    assertThat(merged.declared()).containsEntry("consent", "granted");

    SessionData denied = profiles.denied(merged, 4_000);
    assertThat(denied.consentDenied()).isTrue();
    assertThat(denied.products().recentlyViewedIsEmpty()).isTrue();
    Activity next = view(5_000, USER, "sku-2");
    assertThat(profiles.apply(denied, sessions.apply(session, next), next, 5_000).consentDenied())
        .isTrue();
  }

  private static Activity view(long at, long user, String product) {
    Activity a = Activity.of(at, new long[] {at}, Map.of());
    a.set(0, 1 << Counter.PRODUCT_VIEWS.ordinal(), 0, "shoes", null);
    a.setProduct(0, product);
    a.setUser(user);
    return a;
  }

  private static Activity declared(long at, long user, String consent) {
    Activity a = Activity.of(at, new long[0], Map.of("consent", consent));
    a.setUser(user);
    return a;
  }
}
