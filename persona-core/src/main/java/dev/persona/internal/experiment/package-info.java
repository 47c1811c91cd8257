/** Experiments, the holdout, outcome statistics and optimized placements. Not public API. */
@NullMarked
package dev.persona.internal.experiment;

import org.jspecify.annotations.NullMarked;
