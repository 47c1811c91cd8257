package dev.persona.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.internal.session.Timeline;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which sessions a signed-in user was seen in, so that {@code forgetUser} can erase them: at most
 * {@link #MAX_SESSIONS_PER_USER} recent sessions per user, for as long as sessions are kept.
 * Thread-safe.
 */
public final class UserSessions {
  /** Sessions remembered per user; older ones are dropped from the index first. */
  public static final int MAX_SESSIONS_PER_USER = 32;

  private final Cache<String, String[]> index;

  /** Forgets a user idle for {@code idleTimeout}, measured on {@code time}. */
  public UserSessions(long maxUsers, Duration idleTimeout, Timeline time) {
    this.index =
        Caffeine.newBuilder()
            .maximumSize(maxUsers)
            .expireAfterAccess(idleTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(time.millis()))
            .executor(Runnable::run)
            .build();
  }

  /** Records that {@code userId} was seen in {@code sessionId}. */
  public void link(String userId, String sessionId) {
    index
        .asMap()
        .compute(
            userId,
            (user, sessions) -> {
              if (sessions == null) {
                return new String[] {sessionId};
              }
              for (String s : sessions) {
                if (s.equals(sessionId)) {
                  return sessions;
                }
              }
              int keep = Math.min(sessions.length, MAX_SESSIONS_PER_USER - 1);
              String[] next =
                  Arrays.copyOfRange(sessions, sessions.length - keep, sessions.length + 1);
              next[keep] = sessionId;
              return next;
            });
  }

  /** Forgets the user and returns the sessions they were seen in. */
  public List<String> remove(String userId) {
    String[] sessions = index.asMap().remove(userId);
    return sessions == null ? List.of() : List.of(sessions);
  }
}
