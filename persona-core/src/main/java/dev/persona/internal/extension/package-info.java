/**
 * Running user code (listeners, custom extractors and stores) so that a slow or stalled one costs
 * only its own part. Not public API.
 */
@NullMarked
package dev.persona.internal.extension;

import org.jspecify.annotations.NullMarked;
