/**
 * The engine and its values: build a {@link dev.persona.PersonaEngine} once, describe each request
 * as a {@link dev.persona.Visit}, and read the {@link dev.persona.Decision}. Every type here is
 * immutable or thread-safe, as its Javadoc states.
 */
@NullMarked
package dev.persona;

import org.jspecify.annotations.NullMarked;
