/**
 * The {@code persona} command-line tool: {@code validate}, {@code explain}, {@code replay}, {@code
 * diff} and {@code demo}. Not API: the module does not export this package; run it with {@code java
 * -jar persona.jar} or through {@link dev.persona.rules.cli.Main#run}.
 */
@NullMarked
package dev.persona.rules.cli;

import org.jspecify.annotations.NullMarked;
