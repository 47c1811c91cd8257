package dev.persona.redis.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks of the builders, with messages naming the setting. Stateless. */
public final class Check {
  private Check() {}

  /**
   * Checks a duration is positive and at most a limit.
   *
   * @param setting the setting's name
   * @param d the duration
   * @param max the most allowed
   * @return {@code d}
   * @throws IllegalArgumentException if not
   */
  public static Duration positive(String setting, Duration d, Duration max) {
    Objects.requireNonNull(d, setting);
    if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          setting + " must be positive and at most " + max + ", was " + d);
    }
    return d;
  }
}
