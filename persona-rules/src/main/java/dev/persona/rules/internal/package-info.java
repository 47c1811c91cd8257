/** Internal: the rule-file parser; not API, may change without notice. */
package dev.persona.rules.internal;
