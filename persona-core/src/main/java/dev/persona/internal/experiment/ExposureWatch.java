package dev.persona.internal.experiment;

import dev.persona.Decision;
import dev.persona.VariantChoice;
import dev.persona.internal.report.InputReport;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Notices placements whose exposures are never recorded: an experiment then has no statistics and
 * an optimized placement samples uniformly forever, silently. Counts the choices each experiment or
 * optimized placement makes on this engine until an exposure of it is recorded here or shows in the
 * stats store's totals; from {@value #MIN_CHOICES} choices, or {@value #QUIET_MINUTES} minutes
 * after its first, each further choice is flagged {@link Decision.Flag#EXPOSURES_MISSING} and
 * counted. Once a placement has an exposure it costs a map lookup per choice. Thread-safe.
 */
public final class ExposureWatch {
  /** The choices a placement makes without an exposure before they are flagged. */
  static final long MIN_CHOICES = 1_000;

  /** The minutes after its first choice from which a placement without exposures is flagged. */
  static final long QUIET_MINUTES = 10;

  private static final long QUIET_MILLIS = TimeUnit.MINUTES.toMillis(QUIET_MINUTES);

  private final Optimizer optimizer;
  private final ConcurrentHashMap<String, Watched> placements = new ConcurrentHashMap<>();
  private final LongAdder flagged = new LongAdder();

  ExposureWatch(Optimizer optimizer) {
    this.optimizer = optimizer;
  }

  /**
   * Counts a decision's choices made by an experiment's arm or by optimization, and flags those of
   * placements without an exposure that have chosen long enough.
   *
   * @param nowMillis the engine's clock
   */
  public void chosen(VariantChoice[] choices, long nowMillis, InputReport report) {
    for (VariantChoice c : choices) {
      VariantChoice.Basis basis = c.basis();
      if (basis != VariantChoice.Basis.EXPERIMENT && basis != VariantChoice.Basis.OPTIMIZED) {
        continue;
      }
      Watched w = placements.get(c.placement());
      if (w == null) {
        w = placements.computeIfAbsent(c.placement(), p -> new Watched(nowMillis));
      }
      if (w.exposed) {
        continue;
      }
      long n = w.choices.incrementAndGet();
      if ((n >= MIN_CHOICES || nowMillis - w.firstMillis >= QUIET_MILLIS)
          && !inStore(w, c.placement())) {
        flagged.increment();
        report.flag(
            Decision.Flag.EXPOSURES_MISSING,
            "placement "
                + c.placement()
                + ": no exposure recorded in "
                + n
                + " choices on this engine nor in the statistics; record Outcome.shown when"
                + " the variant is shown");
      }
    }
  }

  private boolean inStore(Watched w, String placement) {
    if (optimizer.exposures(placement) > 0) {
      w.exposed = true;
    }
    return w.exposed;
  }

  /** Notes that an exposure of the placement was recorded. */
  public void exposed(String placement) {
    Watched w = placements.get(placement);
    if (w == null) {
      w = placements.computeIfAbsent(placement, p -> new Watched(0));
    }
    w.exposed = true;
  }

  /** Forgets the placements the rule set no longer has. */
  void placements(RuleSet rules) {
    Set<String> ids = new HashSet<>();
    for (Placement p : rules.placements()) {
      ids.add(p.id());
    }
    placements.keySet().retainAll(ids);
  }

  /** Returns how many choices were flagged. */
  public long flagged() {
    return flagged.sum();
  }

  /** What the engine knows of one placement's exposures. */
  private static final class Watched {
    final long firstMillis;
    final AtomicLong choices = new AtomicLong();
    volatile boolean exposed;

    Watched(long firstMillis) {
      this.firstMillis = firstMillis;
    }
  }
}
