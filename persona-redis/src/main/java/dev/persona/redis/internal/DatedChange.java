package dev.persona.redis.internal;

import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A change of a session and when this instance received it ({@link Stamps}, epoch microseconds): a
 * change made at or before an erasure's time is part of what was erased. Immutable.
 *
 * @param change the engine's change
 * @param madeAt when this instance received it
 */
record DatedChange(UnaryOperator<@Nullable SessionState> change, long madeAt)
    implements UnaryOperator<@Nullable SessionState> {

  @Override
  public @Nullable SessionState apply(@Nullable SessionState s) {
    return change.apply(s);
  }

  /**
   * Returns whether {@code c} was made after an erasure at {@code erasedAt} (epoch microseconds; 0
   * for none). A change without a time (none reaches the store so) counts as made after.
   */
  static boolean after(UnaryOperator<@Nullable SessionState> c, long erasedAt) {
    return !(c instanceof DatedChange d) || d.madeAt > erasedAt;
  }

  /**
   * Tells each of {@code changes} made after an erasure at {@code erasedAt} (epoch microseconds; 0
   * for none) that {@code stored}, which Redis now holds, holds its application ({@link
   * SessionStore.Change#kept}); those made before it were not applied. What a change throws is
   * ignored: the write landed all the same.
   */
  static void kept(
      List<UnaryOperator<@Nullable SessionState>> changes,
      long erasedAt,
      @Nullable SessionState stored) {
    for (UnaryOperator<@Nullable SessionState> c : changes) {
      if (c instanceof DatedChange d
          && d.madeAt > erasedAt
          && d.change instanceof SessionStore.Change told) {
        try {
          told.kept(stored);
        } catch (RuntimeException ignored) {
          // the engine's never throws
        }
      }
    }
  }
}
