/**
 * Engine configuration, grouped by concern: {@link dev.persona.config.SessionConfig} (where
 * sessions are kept), {@link dev.persona.config.ContextConfig} (how requests are read), {@link
 * dev.persona.config.ExperimentConfig} (holdout, QA overrides, statistics), {@link
 * dev.persona.config.ExtensionConfig} (code of your own) and {@link dev.persona.config.Limits}.
 * Each is an immutable value with defaults and its own builder, handed to {@link
 * dev.persona.PersonaEngine.Builder}.
 */
@NullMarked
package dev.persona.config;

import org.jspecify.annotations.NullMarked;
