/** Built-in contextual signal extractors. Internal: not API, may change without notice. */
@NullMarked
package dev.persona.internal.context;

import org.jspecify.annotations.NullMarked;
