/** Internal: implementation of the engine, not API; may change without notice. */
@NullMarked
package dev.persona.internal.session;

import org.jspecify.annotations.NullMarked;
