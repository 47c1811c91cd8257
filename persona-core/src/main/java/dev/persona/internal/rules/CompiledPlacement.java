package dev.persona.internal.rules;

import dev.persona.VariantChoice;
import dev.persona.ruleset.Variant;

/** A compiled placement: its variants, and its default choice made once. */
final class CompiledPlacement {
  final String id;
  final CompiledVariant[] variants;
  final VariantChoice defaultChoice;

  CompiledPlacement(String id, CompiledVariant[] variants, int defaultIndex) {
    this.id = id;
    this.variants = variants;
    Variant d = variants[defaultIndex].source();
    this.defaultChoice =
        new VariantChoice(id, d.id(), d.content(), VariantChoice.Basis.DEFAULT, null, 0, "", false);
  }

  /** Returns the eligible variant with the best fit, else the default. */
  VariantChoice choose(SignalFrame f, double[] scores, CompiledRuleSet rules) {
    CompiledVariant best = null;
    double bestFit = 0;
    int bestPersona = -1;
    for (CompiledVariant v : variants) {
      Variant src = v.source();
      if (src.isDefault() || !v.when().test(f)) {
        continue;
      }
      int persona = -1;
      double fit = src.weight();
      if (v.targets().length > 0) {
        for (int t : v.targets()) {
          if (rules.matched(scores, t) && (persona < 0 || scores[t] > scores[persona])) {
            persona = t;
          }
        }
        if (persona < 0) {
          continue;
        }
        fit *= scores[persona];
      }
      if (best == null || fit > bestFit) {
        best = v;
        bestFit = fit;
        bestPersona = persona;
      }
    }
    if (best == null) {
      return defaultChoice;
    }
    return new VariantChoice(
        id,
        best.source().id(),
        best.source().content(),
        bestPersona < 0 ? VariantChoice.Basis.CONDITION : VariantChoice.Basis.PERSONA,
        bestPersona < 0 ? null : rules.personaId(bestPersona),
        bestFit,
        "",
        false);
  }

  Variant variant(String variantId) {
    for (CompiledVariant v : variants) {
      if (v.source().id().equals(variantId)) {
        return v.source();
      }
    }
    throw new IllegalArgumentException(variantId);
  }
}
