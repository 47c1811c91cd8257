package dev.persona;

/**
 * Bounds on what the engine takes from one request and keeps for one session, so that no request
 * can cost unbounded time or memory. Input beyond a limit is truncated or dropped, counted in
 * {@link EngineStats} and flagged on the decision with {@link Decision.Flag#INPUT_TRUNCATED}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxEventsPerVisit events read from one visit; later ones are dropped (default 100)
 * @param maxStringLength characters kept of a string value (default 256)
 * @param maxHeaderLength characters of a header the built-in extractors read (default 2048)
 * @param maxDeclaredKeys declared attributes kept for a session (default 32)
 * @param maxSetSize elements kept of a set value (default 32)
 * @param maxAffinityKeys categories and brands each tracked for a session (default 16)
 * @param maxSessionIdLength characters of a session id; a longer id makes the visit invalid
 *     (default 256)
 * @since 0.1.0
 */
public record Limits(
    int maxEventsPerVisit,
    int maxStringLength,
    int maxHeaderLength,
    int maxDeclaredKeys,
    int maxSetSize,
    int maxAffinityKeys,
    int maxSessionIdLength) {

  private static final Limits DEFAULTS = new Limits(100, 256, 2048, 32, 32, 16, 256);

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException naming the first limit that is not positive
   */
  public Limits {
    positive("maxEventsPerVisit", maxEventsPerVisit);
    positive("maxStringLength", maxStringLength);
    positive("maxHeaderLength", maxHeaderLength);
    positive("maxDeclaredKeys", maxDeclaredKeys);
    positive("maxSetSize", maxSetSize);
    positive("maxAffinityKeys", maxAffinityKeys);
    positive("maxSessionIdLength", maxSessionIdLength);
    if (maxAffinityKeys > 255) {
      throw new IllegalArgumentException(
          "maxAffinityKeys must be at most 255, was " + maxAffinityKeys);
    }
  }

  /**
   * Returns the default limits.
   *
   * @return the defaults
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns these limits with a different event limit.
   *
   * @param value events read from one visit, positive
   * @return the new limits
   */
  public Limits withMaxEventsPerVisit(int value) {
    return new Limits(
        value,
        maxStringLength,
        maxHeaderLength,
        maxDeclaredKeys,
        maxSetSize,
        maxAffinityKeys,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different string limit.
   *
   * @param value characters kept of a string value, positive
   * @return the new limits
   */
  public Limits withMaxStringLength(int value) {
    return new Limits(
        maxEventsPerVisit,
        value,
        maxHeaderLength,
        maxDeclaredKeys,
        maxSetSize,
        maxAffinityKeys,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different header limit.
   *
   * @param value characters of a header read, positive
   * @return the new limits
   */
  public Limits withMaxHeaderLength(int value) {
    return new Limits(
        maxEventsPerVisit,
        maxStringLength,
        value,
        maxDeclaredKeys,
        maxSetSize,
        maxAffinityKeys,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different limit on declared attributes.
   *
   * @param value declared attributes kept, positive
   * @return the new limits
   */
  public Limits withMaxDeclaredKeys(int value) {
    return new Limits(
        maxEventsPerVisit,
        maxStringLength,
        maxHeaderLength,
        value,
        maxSetSize,
        maxAffinityKeys,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different set-size limit.
   *
   * @param value elements kept of a set, positive
   * @return the new limits
   */
  public Limits withMaxSetSize(int value) {
    return new Limits(
        maxEventsPerVisit,
        maxStringLength,
        maxHeaderLength,
        maxDeclaredKeys,
        value,
        maxAffinityKeys,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different affinity limit.
   *
   * @param value categories and brands tracked, 1 to 255
   * @return the new limits
   */
  public Limits withMaxAffinityKeys(int value) {
    return new Limits(
        maxEventsPerVisit,
        maxStringLength,
        maxHeaderLength,
        maxDeclaredKeys,
        maxSetSize,
        value,
        maxSessionIdLength);
  }

  /**
   * Returns these limits with a different session-id limit.
   *
   * @param value characters of a session id, positive
   * @return the new limits
   */
  public Limits withMaxSessionIdLength(int value) {
    return new Limits(
        maxEventsPerVisit,
        maxStringLength,
        maxHeaderLength,
        maxDeclaredKeys,
        maxSetSize,
        maxAffinityKeys,
        value);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
