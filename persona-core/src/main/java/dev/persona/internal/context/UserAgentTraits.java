package dev.persona.internal.context;

/**
 * What a User-Agent string says about the client.
 *
 * @param device {@code mobile}, {@code tablet}, {@code desktop} or {@code bot}
 * @param os {@code ios}, {@code android}, {@code windows}, {@code macos}, {@code linux}, {@code
 *     chromeos} or {@code other}; null for bots
 * @param browser {@code chrome}, {@code safari}, {@code firefox}, {@code edge}, {@code samsung},
 *     {@code opera} or {@code other}; null for bots
 * @param app the in-app browser's host app, such as {@code instagram}; null when none is known
 * @param botKind for bots, {@code ai_agent}, {@code preview}, {@code monitor}, {@code crawler} or
 *     {@code http_client}; null otherwise
 */
record UserAgentTraits(String device, String os, String browser, String app, String botKind) {}
