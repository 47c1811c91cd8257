/**
 * Persona for OpenFeature: an OpenFeature {@code FeatureProvider} whose flags are Persona's
 * placements. Start with {@link dev.persona.openfeature.PersonaProvider}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.persona.openfeature {
  requires transitive dev.persona.core;
  requires transitive dev.openfeature.sdk;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static com.fasterxml.jackson.core; // with persona-rules, whose JsonContent it parses

  exports dev.persona.openfeature;
}
