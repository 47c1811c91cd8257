package dev.persona.internal.rules;

import dev.persona.VariantChoice;
import dev.persona.VariantChoice.Basis;
import dev.persona.internal.experiment.Allocation;
import dev.persona.internal.experiment.Buckets;
import dev.persona.internal.session.Assignments;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A compiled placement: its variants, its mode's settings, and its default choice made once. */
final class CompiledPlacement {
  final String id;
  final CompiledVariant[] variants;
  final VariantChoice defaultChoice;
  final Placement.Mode mode;
  private final int defaultIndex;
  private final String experimentId;
  private final Experiment.Bucketing bucketing;
  private final Experiment.Sticky sticky;
  private final int[] armUpperBucket;
  private final int[] armVariant;

  /** Whether each variant is an arm's, which visitors outside every arm never get. */
  private final boolean[] arm;

  /** The share of buckets outside every arm: 1 without an experiment. */
  private final double outsideShare;

  /** The experiment runs from {@code startMillis}, included, to {@code endMillis}, excluded. */
  private final long startMillis;

  private final long endMillis;
  private final Optimization optimization;

  CompiledPlacement(Placement source, CompiledVariant[] variants, int defaultIndex) {
    this.id = source.id();
    this.variants = variants;
    this.defaultIndex = defaultIndex;
    this.mode = source.mode();
    Variant d = variants[defaultIndex].source();
    this.defaultChoice =
        VariantChoice.builder(id, d.id(), Basis.DEFAULT)
            .content(d.content())
            .probability(1)
            .build();
    Experiment x = source.experiment();
    this.experimentId = x == null ? null : x.id();
    this.bucketing = x == null ? null : x.bucketing();
    this.sticky = x == null ? Experiment.Sticky.OFF : x.sticky();
    this.startMillis = x == null ? Long.MIN_VALUE : millis(x.start(), Long.MIN_VALUE);
    this.endMillis = x == null ? Long.MAX_VALUE : millis(x.end(), Long.MAX_VALUE);
    int arms = x == null ? 0 : x.arms().size();
    this.armUpperBucket = new int[arms];
    this.armVariant = new int[arms];
    this.arm = new boolean[variants.length];
    double percent = 0;
    for (int i = 0; i < arms; i++) {
      Experiment.Arm a = x.arms().get(i);
      percent += a.percent();
      armUpperBucket[i] = (int) Math.round(Math.min(100, percent) * Buckets.COUNT / 100);
      armVariant[i] = indexOf(a.variant());
      arm[armVariant[i]] = true;
    }
    this.outsideShare = 1 - (arms == 0 ? 0 : armUpperBucket[arms - 1] / (double) Buckets.COUNT);
    this.optimization = source.optimization();
  }

  /** Returns epoch millis of {@code t}, clamped to the range of a long; {@code none} for null. */
  private static long millis(@Nullable Instant t, long none) {
    if (t == null) {
      return none;
    }
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Returns whether the placement's experiment runs at {@code nowMillis}. */
  boolean runs(long nowMillis) {
    return nowMillis >= startMillis && nowMillis < endMillis;
  }

  /**
   * Returns the choice for one decision, by the placement's mode, carrying the decision's id. An
   * experiment outside its start and end shows the default.
   */
  VariantChoice choose(
      SignalFrame f,
      double[] scores,
      CompiledRuleSet rules,
      Allocation a,
      @Nullable String segment,
      @Nullable String decisionId) {
    if (a == null) {
      return personalize(f, scores, rules, segment, decisionId, 1, true, false);
    }
    boolean counted = !a.bot();
    String forced = a.forced().get(id);
    int pinned = forced == null ? -1 : indexOf(forced);
    if (pinned >= 0) {
      return choice(pinned, Basis.FORCED, null, 0, segment, a.holdout(), decisionId)
          .probability(1)
          .counted(false)
          .tracked(a.tracked())
          .build();
    }
    double kept = 1 - a.holdoutShare();
    if (a.holdout()) {
      return choice(defaultIndex, Basis.HOLDOUT, null, 0, segment, true, decisionId)
          .probability(a.holdoutShare())
          .counted(counted)
          .tracked(a.tracked())
          .build();
    }
    if (mode == Placement.Mode.EXPERIMENT) {
      if (!runs(a.nowMillis())) {
        return choice(defaultIndex, Basis.DEFAULT, null, 0, segment, false, decisionId)
            .probability(kept)
            .counted(counted)
            .tracked(a.tracked())
            .build();
      }
      int arm = sticky == Experiment.Sticky.OFF ? -1 : rememberedArm(a);
      if (arm < 0) {
        arm = arm(a.bucket(experimentId, bucketing));
      }
      if (arm >= 0) {
        return choice(armVariant[arm], Basis.EXPERIMENT, null, 0, segment, false, decisionId)
            .experiment(experimentId)
            .probability(kept * armShare(arm))
            .counted(counted)
            .tracked(a.tracked())
            .build();
      }
    } else if (mode == Placement.Mode.OPTIMIZED) {
      return optimize(f, scores, rules, a, segment, decisionId, kept, counted);
    }
    return personalize(
        f, scores, rules, segment, decisionId, kept * outsideShare, counted, a.tracked());
  }

  /** Returns the share of buckets arm {@code i} takes. */
  private double armShare(int i) {
    return (armUpperBucket[i] - (i == 0 ? 0 : armUpperBucket[i - 1])) / (double) Buckets.COUNT;
  }

  /** Returns the arm whose bucket range holds {@code bucket}, or -1 when none does. */
  private int arm(int bucket) {
    for (int i = 0; i < armUpperBucket.length; i++) {
      if (bucket < armUpperBucket[i]) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the arm the session remembers for this sticky experiment, or -1 when it has none. */
  private int rememberedArm(Allocation a) {
    String variant = a.remembered(id, experimentId, sticky);
    if (variant != null) {
      for (int i = 0; i < armVariant.length; i++) {
        if (variants[armVariant[i]].source().id().equals(variant)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Returns whether the placement runs a sticky experiment. */
  boolean sticky() {
    return sticky != Experiment.Sticky.OFF;
  }

  /**
   * Adds the visitor's arm of this sticky experiment, by its bucket, to what the session is to
   * remember; nothing for a visitor outside every arm, held out, or forced to a variant here, nor
   * outside the experiment's start and end.
   */
  void assign(Allocation a, Assignments.Builder out) {
    if (!sticky() || a.holdout() || !runs(a.nowMillis())) {
      return;
    }
    String forced = a.forced().get(id);
    if (forced != null && indexOf(forced) >= 0) {
      return;
    }
    int arm = arm(a.bucket(experimentId, bucketing));
    if (arm >= 0) {
      out.add(id, experimentId, a.visitorKey(sticky), variants[armVariant[arm]].source().id());
    }
  }

  /**
   * Returns the eligible variant with the best fit, else the default; never an arm's variant, which
   * only the arm's visitors get.
   */
  private VariantChoice personalize(
      SignalFrame f,
      double[] scores,
      CompiledRuleSet rules,
      @Nullable String segment,
      @Nullable String decisionId,
      double probability,
      boolean counted,
      boolean tracked) {
    int best = -1;
    double bestFit = 0;
    int bestPersona = -1;
    for (int i = 0; i < variants.length; i++) {
      CompiledVariant v = variants[i];
      if (v.source().isDefault() || arm[i] || !v.when().test(f)) {
        continue;
      }
      int persona = matchedTarget(v, scores, rules);
      if (persona == NOT_MATCHED) {
        continue;
      }
      double fit = v.source().weight() * (persona < 0 ? 1 : scores[persona]);
      if (best < 0 || fit > bestFit) {
        best = i;
        bestFit = fit;
        bestPersona = persona;
      }
    }
    if (best < 0) {
      return segment == null && decisionId == null && probability == 1 && counted && !tracked
          ? defaultChoice
          : choice(defaultIndex, Basis.DEFAULT, null, 0, segment, false, decisionId)
              .probability(probability)
              .counted(counted)
              .tracked(tracked)
              .build();
    }
    return choice(
            best,
            bestPersona < 0 ? Basis.CONDITION : Basis.PERSONA,
            bestPersona < 0 ? null : rules.personaId(bestPersona),
            bestFit,
            segment,
            false,
            decisionId)
        .probability(probability)
        .counted(counted)
        .tracked(tracked)
        .build();
  }

  /** Samples among the eligible variants, the default included, by their outcomes. */
  private VariantChoice optimize(
      SignalFrame f,
      double[] scores,
      CompiledRuleSet rules,
      Allocation a,
      @Nullable String segment,
      @Nullable String decisionId,
      double kept,
      boolean counted) {
    String[] ids = new String[variants.length];
    int[] at = new int[variants.length];
    int n = 0;
    long mask = 0;
    for (int i = 0; i < variants.length; i++) {
      CompiledVariant v = variants[i];
      if (v.source().isDefault()
          || (v.when().test(f) && matchedTarget(v, scores, rules) != NOT_MATCHED)) {
        ids[n] = v.source().id();
        at[n++] = i;
        mask |= i < 63 ? 1L << i : Long.MIN_VALUE;
      }
    }
    double[] probability = new double[1];
    int pick = a.optimizer().choose(id, segment, ids, n, optimization, mask, probability);
    return choice(at[pick], Basis.OPTIMIZED, null, 0, segment, false, decisionId)
        .probability(kept * probability[0])
        .counted(counted)
        .tracked(a.tracked())
        .build();
  }

  private static final int NOT_MATCHED = -2;

  /** Returns the best matched target persona, -1 for a variant without targets, or NOT_MATCHED. */
  private static int matchedTarget(CompiledVariant v, double[] scores, CompiledRuleSet rules) {
    if (v.targets().length == 0) {
      return -1;
    }
    int persona = NOT_MATCHED;
    for (int t : v.targets()) {
      if (rules.matched(scores, t) && (persona < 0 || scores[t] > scores[persona])) {
        persona = t;
      }
    }
    return persona;
  }

  private VariantChoice.Builder choice(
      int variant,
      Basis basis,
      @Nullable String persona,
      double fit,
      @Nullable String segment,
      boolean holdout,
      @Nullable String decisionId) {
    Variant v = variants[variant].source();
    return VariantChoice.builder(id, v.id(), basis)
        .content(v.content())
        .persona(persona)
        .fit(fit)
        .segment(segment)
        .holdout(holdout)
        .decisionId(decisionId);
  }

  private int indexOf(String variantId) {
    for (int i = 0; i < variants.length; i++) {
      if (variants[i].source().id().equals(variantId)) {
        return i;
      }
    }
    return -1;
  }

  String experimentId() {
    return experimentId;
  }

  /** Returns what the optimization counts, in words: "clicks", "adds to cart" or "purchases". */
  String goalText() {
    switch (optimization.goal()) {
      case CLICK:
        return "clicks";
      case ADD_TO_CART:
        return "adds to cart";
      default:
        return "purchases";
    }
  }

  Variant variant(String variantId) {
    int i = indexOf(variantId);
    if (i < 0) {
      throw new IllegalArgumentException(variantId);
    }
    return variants[i].source();
  }
}
