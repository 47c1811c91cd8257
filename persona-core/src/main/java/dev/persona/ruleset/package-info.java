/**
 * The rule-set model a team can build in code: {@link dev.persona.ruleset.Persona}s, scoring {@link
 * dev.persona.ruleset.Rule}s, lifecycle and stage {@link dev.persona.ruleset.Assignment}s, and
 * {@link dev.persona.ruleset.Placement}s with {@link dev.persona.ruleset.Variant}s, tied together
 * in a {@link dev.persona.ruleset.RuleSet}. The JSON format of {@code persona-rules} compiles into
 * these types. All are immutable and thread-safe.
 */
@NullMarked
package dev.persona.ruleset;

import org.jspecify.annotations.NullMarked;
