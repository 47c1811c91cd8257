/**
 * Persona: per-request personalization for online stores. Start with {@link
 * dev.persona.PersonaEngine}.
 */
module dev.persona.core {
  requires org.slf4j;
  requires com.github.benmanes.caffeine;

  exports dev.persona;
  exports dev.persona.context;
  exports dev.persona.ruleset;
  exports dev.persona.spi;
}
