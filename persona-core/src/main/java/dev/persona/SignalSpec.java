package dev.persona;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The declaration of a signal: its key, kind, value type and meaning. Rules may only test declared
 * signals, so that a typo in a rule is an error rather than a condition that is never true.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the signal's key, lower case letters, digits, {@code _} and {@code .}
 * @param kind where the signal comes from
 * @param type the type of its value
 * @param description what it means, for people
 * @since 0.1.0
 */
public record SignalSpec(String key, SignalKind kind, SignalType type, String description) {

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  /**
   * Checks the declaration.
   *
   * @throws IllegalArgumentException if the key is not lower case letters, digits, {@code _} and
   *     {@code .}, starting with a letter, at most 64 characters
   */
  public SignalSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    if (!isValidKey(key)) {
      throw new IllegalArgumentException(
          "signal key '"
              + key
              + "' must match "
              + KEY.pattern()
              + " (lower case, digits, _ and .)");
    }
  }

  /**
   * Returns whether {@code key} is a well-formed signal key.
   *
   * @param key a candidate key, may be null
   * @return true when it may be used as a signal key
   */
  public static boolean isValidKey(@Nullable String key) {
    return key != null && KEY.matcher(key).matches();
  }
}
