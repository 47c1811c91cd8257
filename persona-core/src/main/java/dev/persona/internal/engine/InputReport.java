package dev.persona.internal.engine;

import dev.persona.Decision;
import dev.persona.Reason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What went wrong with one request's input, for the decision's flags and reasons. */
public final class InputReport {
  private final Set<Decision.Flag> flags = EnumSet.noneOf(Decision.Flag.class);
  private final List<Reason> reasons = new ArrayList<>();
  private int truncated;
  private int rejected;
  private int unknownEvents;

  /** Records input cut or dropped at a limit; {@code what} names the input, never its value. */
  public void truncated(String what) {
    if (truncated++ == 0 || reasons.size() < 16) {
      flags.add(Decision.Flag.INPUT_TRUNCATED);
      note("input truncated: " + what);
    }
  }

  /** Records input of the wrong type or form; {@code what} names the input, never its value. */
  public void rejected(String what) {
    if (rejected++ == 0 || reasons.size() < 16) {
      flags.add(Decision.Flag.INPUT_REJECTED);
      note("input rejected: " + what);
    }
  }

  public void unknownEvent() {
    unknownEvents++;
  }

  public void flag(Decision.Flag flag, String why) {
    flags.add(flag);
    note(why);
  }

  private void note(String text) {
    if (reasons.size() < 16) {
      reasons.add(new Reason(Reason.Kind.INPUT, "", text, List.of(), Map.of()));
    }
  }

  public Set<Decision.Flag> flags() {
    return flags;
  }

  public List<Reason> reasons() {
    return reasons;
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
