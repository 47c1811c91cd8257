/** Experiments, the holdout, outcome statistics and optimized placements. Not public API. */
package dev.persona.internal.experiment;
