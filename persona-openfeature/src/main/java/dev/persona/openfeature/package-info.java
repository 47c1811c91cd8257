/**
 * An OpenFeature provider for Persona: {@link dev.persona.openfeature.PersonaProvider} resolves a
 * flag key as a placement id, for the visit an evaluation context describes.
 */
@NullMarked
package dev.persona.openfeature;

import org.jspecify.annotations.NullMarked;
