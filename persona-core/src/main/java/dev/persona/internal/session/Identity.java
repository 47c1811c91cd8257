package dev.persona.internal.session;

/**
 * Who a session is signed in as, when the engine keeps profiles: a 64-bit key of the user id (never
 * the id), or 0 after a sign-out; when that last changed; and the token that names this signed-in
 * stretch of the session in the user's profile ({@link Visits}), so that the profile takes in the
 * session's state before the sign-in once. Immutable.
 */
public final class Identity {
  /** The user's key, or 0 for a session signed out. */
  final long user;

  /** When the session signed in or out (epoch millis, the visit's time). */
  final long since;

  /** The stretch's token in the profile; 0 for a session signed out. */
  final long token;

  Identity(long user, long since, long token) {
    this.user = user;
    this.since = since;
    this.token = token;
  }

  /** Returns the user's key, or 0 for a session signed out. */
  public long user() {
    return user;
  }

  /** Returns the token that names this signed-in stretch of the session in the user's profile. */
  public long token() {
    return token;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identity i && user == i.user && since == i.since && token == i.token;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(user) * 31 + Long.hashCode(since) * 17 + Long.hashCode(token);
  }

  /** Returns nothing of the user: the key is personal data. */
  @Override
  public String toString() {
    return "Identity{signedIn=" + (user != 0) + "}";
  }
}
