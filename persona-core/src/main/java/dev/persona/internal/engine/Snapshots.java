package dev.persona.internal.engine;

import dev.persona.SessionSnapshot;
import dev.persona.internal.session.Assignments;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.SessionData;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Makes the {@link SessionSnapshot} of a session's or a profile's state, as a look at {@code
 * wallMillis} finds it: counts, categories and brands decayed from the state's last visit to the
 * look by the state's half-life. Stateless.
 */
final class Snapshots {
  private Snapshots() {}

  /**
   * Returns the snapshot of {@code d}; under a denial of consent, the denial alone, as that is all
   * the state keeps.
   *
   * @param weight the weight now of something observed the given milliseconds ago
   * @param profile whether {@code d} is a profile, which counts the user's sessions
   */
  static SessionSnapshot of(
      SessionData d, long wallMillis, LongToDoubleFunction weight, boolean profile) {
    SessionSnapshot.Builder b =
        SessionSnapshot.builder(Instant.ofEpochMilli(wallMillis))
            .seen(Instant.ofEpochMilli(d.firstSeenMillis()), d.lastSeen());
    if (d.consentDenied()) {
      return b.declared(SessionData.CONSENT, SessionData.DENIED).build();
    }
    double w = weight.applyAsDouble(wallMillis - d.lastSeenMillis());
    for (Counter c : Counter.values()) {
      int total = d.total(c);
      if (total > 0) {
        b.count(c.key(), total, d.decayed(c) * w);
      }
    }
    d.declared().forEach(b::declared);
    d.products().recentlyViewed().forEach(b::viewed);
    d.products().openCart().forEach(b::inCart);
    for (Map.Entry<String, Double> c : d.categories().entrySet()) {
      b.category(c.getKey(), c.getValue() * w);
    }
    for (Map.Entry<String, Double> c : d.brands().entrySet()) {
      b.brand(c.getKey(), c.getValue() * w);
    }
    Assignments arms = d.assignments();
    for (int i = 0; i < arms.size(); i++) {
      b.arm(arms.experiment(i), arms.variant(i));
    }
    if (profile) {
      b.sessions(d.profileVisits().count());
    }
    return b.requests(d.requests()).cartItems(d.cartItems()).build();
  }
}
