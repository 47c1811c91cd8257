/**
 * Configuration of the built-in contextual signals: the {@link dev.persona.context.GiftingCalendar}
 * of gifting periods that the {@code season} signal reports. Immutable and thread-safe types.
 */
package dev.persona.context;
