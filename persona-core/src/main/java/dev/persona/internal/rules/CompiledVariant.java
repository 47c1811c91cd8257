package dev.persona.internal.rules;

import dev.persona.ruleset.Variant;

/** A compiled variant. */
// Never compared or hashed: a record for its brevity; the array is its own and never handed out.
@SuppressWarnings("ArrayRecordComponent")
record CompiledVariant(Variant source, Predicate when, int[] targets) {}
