package dev.persona;

/**
 * Counters of an engine since it was built, read with {@link PersonaEngine#stats()}.
 *
 * <p>Immutable and thread-safe: a snapshot.
 *
 * @param decisions decisions returned
 * @param defaultDecisions decisions that fell back to every placement's default (invalid visit or
 *     internal error)
 * @param truncatedInputs input values cut to a limit, or input dropped for exceeding one
 * @param rejectedInputs input values of the wrong type or otherwise unusable
 * @param unknownEvents events of a type the engine does not know
 * @param extractorFailures extractor calls that threw, or that timed out or were refused a thread
 *     (see {@link PersonaEngine.Builder#extensionTimeout})
 * @param storeFailures session store calls that threw, or that timed out or were refused a thread
 * @param listenerFailures listener calls that threw
 * @param outcomes outcomes recorded with {@link PersonaEngine#recordOutcome}
 * @param attributedOutcomes purchases and adds to cart credited to earlier exposures automatically
 * @param statsStoreFailures stats store calls that threw
 * @param listenerDrops decisions not passed to a listener, because its queue was full (see {@link
 *     PersonaEngine.Builder#listenerQueueCapacity}) or the engine was closed; since 0.2.0
 * @since 0.1.0
 */
public record EngineStats(
    long decisions,
    long defaultDecisions,
    long truncatedInputs,
    long rejectedInputs,
    long unknownEvents,
    long extractorFailures,
    long storeFailures,
    long listenerFailures,
    long outcomes,
    long attributedOutcomes,
    long statsStoreFailures,
    long listenerDrops) {}
