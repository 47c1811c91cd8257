package dev.persona.redis.internal;

import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.util.ArrayList;
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
   * ignored: the write landed all the same. Those that {@code stored} held back for a denial of
   * consent ({@link SessionStore.Change#heldBack}) are added, as the changes to apply again, to
   * {@code back}, made if null.
   *
   * @return {@code back}, or a new list if some were held back and it was null
   */
  static @Nullable List<DatedChange> kept(
      List<? extends UnaryOperator<@Nullable SessionState>> changes,
      long erasedAt,
      @Nullable SessionState stored,
      @Nullable List<DatedChange> back) {
    List<DatedChange> out = back;
    for (UnaryOperator<@Nullable SessionState> c : changes) {
      if (c instanceof DatedChange d
          && d.madeAt > erasedAt
          && d.change instanceof SessionStore.Change told) {
        try {
          told.kept(stored);
        } catch (RuntimeException ignored) {
          // the engine's never throws
        }
        out = heldBack(d, told, stored, out);
      }
    }
    return out;
  }

  /**
   * Adds to {@code back} (made if null) the change to apply again if {@code stored}, which Redis
   * holds, holds back each of {@code changes} made after an erasure at {@code erasedAt}, without
   * telling them it was kept.
   *
   * @return {@code back}, or a new list if some were held back and it was null
   */
  static @Nullable List<DatedChange> stillHeld(
      List<DatedChange> changes, long erasedAt, @Nullable SessionState stored) {
    List<DatedChange> out = null;
    for (DatedChange d : changes) {
      if (d.madeAt > erasedAt && d.change instanceof SessionStore.Change told) {
        out = heldBack(d, told, stored, out);
      }
    }
    return out;
  }

  private static @Nullable List<DatedChange> heldBack(
      DatedChange d,
      SessionStore.Change told,
      @Nullable SessionState stored,
      @Nullable List<DatedChange> back) {
    SessionStore.Change again;
    try {
      again = told.heldBack(stored);
    } catch (RuntimeException ignored) {
      return back; // the engine's never throws
    }
    if (again == null) {
      return back;
    }
    List<DatedChange> out = back != null ? back : new ArrayList<>(2);
    out.add(again == told ? d : new DatedChange(again, d.madeAt));
    return out;
  }
}
