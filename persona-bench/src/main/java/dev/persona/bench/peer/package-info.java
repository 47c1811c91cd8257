/**
 * The default rule set's persona scoring in each engine a Java team might use instead of Persona
 * (hand-written Java, CEL, Easy Rules with MVEL, JsonLogic, Drools), behind one small interface,
 * {@link dev.persona.bench.peer.PersonaScorer}, so that every engine runs the same inputs.
 */
package dev.persona.bench.peer;
