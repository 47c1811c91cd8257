package dev.persona.internal.report;

import dev.persona.Decision;
import dev.persona.Reason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What went wrong with one request's input, for the decision's flags and reasons. Allocates its
 * collections only when something goes wrong, and can be {@linkplain #reset() reset} for the next
 * request of the same thread. Not thread-safe.
 */
public final class InputReport {
  private static final int MAX_REASONS = 16;

  private Set<Decision.Flag> flags;
  private List<Reason> reasons;
  private int truncated;
  private int rejected;
  private int unknownEvents;

  /** Forgets everything, for the next request; the collections handed out stay as they were. */
  public void reset() {
    if (flags != null || reasons != null || (truncated | rejected | unknownEvents) != 0) {
      flags = null;
      reasons = null;
      truncated = 0;
      rejected = 0;
      unknownEvents = 0;
    }
  }

  /** Records input cut or dropped at a limit; {@code what} names the input, never its value. */
  public void truncated(String what) {
    if (truncated++ == 0 || reasonCount() < MAX_REASONS) {
      addFlag(Decision.Flag.INPUT_TRUNCATED);
      note("input truncated: " + what);
    }
  }

  /** Records input of the wrong type or form; {@code what} names the input, never its value. */
  public void rejected(String what) {
    if (rejected++ == 0 || reasonCount() < MAX_REASONS) {
      addFlag(Decision.Flag.INPUT_REJECTED);
      note("input rejected: " + what);
    }
  }

  public void unknownEvent() {
    unknownEvents++;
  }

  public void flag(Decision.Flag flag, String why) {
    addFlag(flag);
    note(why);
  }

  private void addFlag(Decision.Flag flag) {
    if (flags == null) {
      flags = EnumSet.noneOf(Decision.Flag.class);
    }
    flags.add(flag);
  }

  private int reasonCount() {
    return reasons == null ? 0 : reasons.size();
  }

  private void note(String text) {
    if (reasonCount() < MAX_REASONS) {
      if (reasons == null) {
        reasons = new ArrayList<>(4);
      }
      reasons.add(Reason.of(Reason.Kind.INPUT, text));
    }
  }

  /** Returns the flags raised; empty and immutable when none was. */
  public Set<Decision.Flag> flags() {
    return flags == null ? Set.of() : flags;
  }

  /** Returns the reasons noted; empty and immutable when none was. */
  public List<Reason> reasons() {
    return reasons == null ? List.of() : reasons;
  }

  public int truncatedCount() {
    return truncated;
  }

  public int rejectedCount() {
    return rejected;
  }

  public int unknownEventCount() {
    return unknownEvents;
  }
}
