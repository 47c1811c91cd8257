package dev.persona.rules;

import java.util.Objects;

/**
 * A variant's {@code content} from a rule file: the exact JSON text of the value, handed back to
 * the caller untouched, to parse with whatever JSON library the storefront uses.
 *
 * <p>Immutable and thread-safe.
 *
 * @param json the content's JSON text, as written in the file
 * @since 0.1.0
 */
public record JsonContent(String json) {

  /** Checks the argument. */
  public JsonContent {
    Objects.requireNonNull(json, "json");
  }

  /** Returns the JSON text. */
  @Override
  public String toString() {
    return json;
  }
}
