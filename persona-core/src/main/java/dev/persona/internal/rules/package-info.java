/** Internal: implementation of the engine, not API; may change without notice. */
@NullMarked
package dev.persona.internal.rules;

import org.jspecify.annotations.NullMarked;
