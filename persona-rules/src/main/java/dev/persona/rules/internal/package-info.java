/** Internal: the rule-file parser; not API, may change without notice. */
@NullMarked
package dev.persona.rules.internal;

import org.jspecify.annotations.NullMarked;
