/**
 * Persona: per-request personalization for online stores. Start with {@link
 * dev.persona.PersonaEngine}.
 */
module dev.persona.core {
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports dev.persona;
  exports dev.persona.config;
  exports dev.persona.log;
  exports dev.persona.prediction;
  exports dev.persona.ruleset;
  exports dev.persona.spi;
}
