/** Built-in contextual signal extractors. Internal: not API, may change without notice. */
package dev.persona.internal.context;
