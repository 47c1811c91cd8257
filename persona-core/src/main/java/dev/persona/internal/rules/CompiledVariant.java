package dev.persona.internal.rules;

import dev.persona.ruleset.Variant;

/** A compiled variant. */
record CompiledVariant(Variant source, Predicate when, int[] targets) {}
