/**
 * Persona's JSON rule files: {@link dev.persona.rules.RuleSetReader} reads them into rule sets, and
 * {@link dev.persona.rules.JsonContent} carries a variant's content back untouched.
 */
@NullMarked
package dev.persona.rules;

import org.jspecify.annotations.NullMarked;
