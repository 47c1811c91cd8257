/**
 * Buy-till-you-die models of a customer's order history: {@link dev.persona.prediction.BgNbd}
 * (whether the customer is still active, and how many orders to expect) and {@link
 * dev.persona.prediction.GammaGamma} (what an order is worth). The engine turns them into the
 * predicted signals when a {@link dev.persona.config.PredictionConfig} gives their parameters; the
 * {@code persona fit-clv} tool fits them. All types are immutable and thread-safe.
 */
@NullMarked
package dev.persona.prediction;

import org.jspecify.annotations.NullMarked;
