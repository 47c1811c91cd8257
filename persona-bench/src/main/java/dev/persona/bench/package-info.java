/**
 * JMH benchmarks of Persona's hot path and of peer engines on the same rules and sessions. Each
 * benchmark class's Javadoc gives the command that runs it; {@code persona-bench/run.sh} runs them
 * all and writes {@code persona-bench/results.md}.
 */
package dev.persona.bench;
