/**
 * Persona for Spring Boot: one engine from {@code application.yml} ({@link
 * dev.persona.spring.PersonaProperties}), a decision per request for controllers and templates
 * ({@link dev.persona.spring.PersonaRequest}), exposures, Actuator health and Micrometer meters.
 * docs/spring-boot.md shows it in five minutes.
 */
@NullMarked
package dev.persona.spring;

import org.jspecify.annotations.NullMarked;
