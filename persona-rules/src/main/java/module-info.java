/** Persona's JSON rule-set format, default rule set and command-line tool. */
module dev.persona.rules {
  requires transitive dev.persona.core;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.persona.rules;
}
