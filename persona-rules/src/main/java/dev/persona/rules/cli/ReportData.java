package dev.persona.rules.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@code persona report} draws, summed from decision-log records as they stream by: counts per
 * hour, per lifecycle and stage, per placement, persona and variant, per experiment arm. A decision
 * waits for its outcomes for the window and is then added to the sums, so memory holds one window
 * of decisions and sums whose number grows with the hours the logs span, not with their length. Not
 * thread-safe.
 */
final class ReportData {
  static final long HOUR = 3_600_000L;
  static final String NONE = "(none)";

  /** Outcome counts of decisions: all of them, and those whose choice was exposed. */
  static final class Counts {
    /** Decisions; with a click, an add to cart, a purchase. */
    final long[] all = new long[4];

    /** The same for the exposed ones. */
    final long[] exposed = new long[4];

    double value;
    double exposedValue;
    double pSum;

    void add(Slot s) {
      add(all, s);
      value += s.value;
      if (s.exposed) {
        add(exposed, s);
        exposedValue += s.value;
      }
    }

    private static void add(long[] c, Slot s) {
      c[0]++;
      c[1] += s.click ? 1 : 0;
      c[2] += s.cart ? 1 : 0;
      c[3] += s.purchase ? 1 : 0;
    }

    /** Returns the counts per exposure when {@code perExposure}, else per decision. */
    long[] of(boolean perExposure) {
      return perExposure ? exposed : all;
    }
  }

  /** One placement's sums. */
  static final class PlacementData {
    long exposures;

    /** Per persona, per variant. */
    final Map<String, Map<String, Counts>> byPersona = new LinkedHashMap<>();

    /** Holdout decisions, and those personalized (every other basis but forced). */
    final Counts holdout = new Counts();

    final Counts personalized = new Counts();

    /** An optimized placement's choices per hour and variant. */
    final TreeMap<Long, Map<String, long[]>> optimized = new TreeMap<>();
  }

  /** One experiment's arms. */
  static final class ExperimentData {
    final String placement;
    final Map<String, Counts> arms = new LinkedHashMap<>();

    ExperimentData(String placement) {
      this.placement = placement;
    }
  }

  /** A choice waiting for its outcomes, and the sums it goes to. */
  static final class Slot {
    final String placement;
    final List<Counts> into = new ArrayList<>(3);
    boolean exposed;
    boolean click;
    boolean cart;
    boolean purchase;
    double value;

    Slot(String placement) {
      this.placement = placement;
    }
  }

  /** A decision waiting for its outcomes. */
  private record Pending(Counts lifecycle, Counts stage, Slot decision, List<Slot> slots) {}

  final long window;
  final TreeMap<Long, Map<String, long[]>> personaByHour = new TreeMap<>();
  final Map<String, Counts> lifecycle = new LinkedHashMap<>();
  final Map<String, Counts> stage = new LinkedHashMap<>();
  final Map<String, PlacementData> placements = new LinkedHashMap<>();
  final Map<String, ExperimentData> experiments = new LinkedHashMap<>();
  final Map<String, Long> rules = new LinkedHashMap<>();
  private final OutcomeWindow<Pending> waiting;
  long decisions;
  long holdoutDecisions;
  long outcomes;
  long joined;
  long notCounted;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;

  ReportData(long window) {
    this.window = window;
    this.waiting = new OutcomeWindow<>(window, this::apply, this::close);
  }

  void decision(LogRecords.LoggedDecision d) {
    decisions++;
    advance(d.at());
    first = Math.min(first, d.at());
    last = Math.max(last, d.at());
    rules.merge(d.rules(), 1L, Long::sum);
    if (d.holdout()) {
      holdoutDecisions++;
    }
    long hour = Math.floorDiv(d.at(), HOUR) * HOUR;
    String persona = d.persona() == null ? NONE : d.persona();
    personaByHour.computeIfAbsent(hour, k -> new LinkedHashMap<>())
        .computeIfAbsent(persona, k -> new long[1])[0]++;
    Counts life =
        lifecycle.computeIfAbsent(d.lifecycle() == null ? NONE : d.lifecycle(), k -> new Counts());
    Counts st = stage.computeIfAbsent(d.stage() == null ? NONE : d.stage(), k -> new Counts());
    List<Slot> slots = new ArrayList<>(d.choices().size());
    for (LogRecords.Choice c : d.choices()) {
      if (!c.counted() || c.basis().equals("forced")) {
        notCounted++;
        continue;
      }
      PlacementData pd = placements.computeIfAbsent(c.placement(), k -> new PlacementData());
      Slot slot = new Slot(c.placement());
      slot.into.add(
          pd.byPersona
              .computeIfAbsent(persona, k -> new LinkedHashMap<>())
              .computeIfAbsent(c.variant(), k -> new Counts()));
      slot.into.add(c.basis().equals("holdout") ? pd.holdout : pd.personalized);
      if (c.basis().equals("experiment") && c.experiment() != null) {
        Counts arm =
            experiments
                .computeIfAbsent(c.experiment(), k -> new ExperimentData(c.placement()))
                .arms
                .computeIfAbsent(c.variant(), k -> new Counts());
        if (c.p() > 0) {
          arm.pSum += c.p();
        }
        slot.into.add(arm);
      }
      if (c.basis().equals("optimized")) {
        pd.optimized.computeIfAbsent(hour, k -> new LinkedHashMap<>())
            .computeIfAbsent(c.variant(), k -> new long[1])[0]++;
      }
      slots.add(slot);
    }
    waiting.decision(d.id(), d.at(), new Pending(life, st, new Slot(""), slots));
  }

  void outcome(LogRecords.LoggedOutcome o) {
    advance(o.at());
    if (waiting.outcome(o)) {
      outcomes++;
    }
  }

  private void apply(Pending p, LogRecords.LoggedOutcome o) {
    joined++;
    mark(p.decision(), o);
    for (Slot s : p.slots()) {
      if (s.placement.equals(o.placement())) {
        mark(s, o);
      }
    }
  }

  private static void mark(Slot s, LogRecords.LoggedOutcome o) {
    switch (o.kind()) {
      case EXPOSURE -> s.exposed = true;
      case CLICK -> s.click = true;
      case ADD_TO_CART -> s.cart = true;
      case PURCHASE -> {
        s.purchase = true;
        s.value += o.value();
      }
    }
  }

  private void advance(long at) {
    waiting.advance(at);
  }

  void finish() {
    waiting.finish();
  }

  /** Returns how many outcomes found no decision within the window. */
  long unmatched() {
    return waiting.unmatched();
  }

  /** Returns how many outcomes were left out as logged before (the same key within the window). */
  long repeated() {
    return waiting.repeated();
  }

  private void close(Pending p) {
    p.lifecycle().add(p.decision());
    p.stage().add(p.decision());
    for (Slot s : p.slots()) {
      if (s.exposed) {
        placements.get(s.placement).exposures++;
      }
      for (Counts c : s.into) {
        c.add(s);
      }
    }
  }

  /** Returns the placement's data, or null. */
  @Nullable PlacementData placement(String id) {
    return placements.get(id);
  }
}
