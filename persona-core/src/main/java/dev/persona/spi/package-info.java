/**
 * Extension points, each registered explicitly on {@link dev.persona.PersonaEngine.Builder}: where
 * sessions are kept ({@link dev.persona.spi.SessionStore}), custom contextual signals ({@link
 * dev.persona.spi.SignalExtractor}) and decision listeners ({@link
 * dev.persona.spi.DecisionListener}). Implementations must be thread-safe; the engine guards
 * against their failures.
 */
@NullMarked
package dev.persona.spi;

import org.jspecify.annotations.NullMarked;
