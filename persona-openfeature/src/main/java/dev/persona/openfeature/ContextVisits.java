package dev.persona.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import dev.persona.Visit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an OpenFeature evaluation context into a {@link Visit}, by the conventions {@link
 * PersonaProvider} documents. Stateless and thread-safe.
 */
final class ContextVisits {
  /** The attribute holding the signed-in user's id. */
  static final String USER_ID = "userId";

  /** The attribute holding the request's time. */
  static final String TIMESTAMP = "timestamp";

  static final String HEADER = "header.";
  static final String QUERY = "query.";
  static final String DECLARED = "declared.";
  static final String PROFILE = "profile.";

  private ContextVisits() {}

  /**
   * A visit, or why the context cannot be one. The message names the attribute's convention, never
   * a value or an id.
   */
  record Mapped(@Nullable Visit visit, @Nullable String problem, boolean keyMissing) {}

  static Mapped visit(@Nullable EvaluationContext ctx) {
    // Read from the attribute map: getTargetingKey() and getValue() copy the value.
    Map<String, Value> attributes = ctx == null ? Map.of() : ctx.asUnmodifiableMap();
    Value key = attributes.get(EvaluationContext.TARGETING_KEY);
    String session = key != null && key.isString() ? key.asString() : null;
    if (session == null || session.isBlank()) {
      return new Mapped(null, "the evaluation context has no targeting key (the session id)", true);
    }
    Visit.Builder b = Visit.builder(session);
    for (Map.Entry<String, Value> e : attributes.entrySet()) {
      String name = e.getKey();
      Value value = e.getValue();
      if (value == null || value.isNull() || EvaluationContext.TARGETING_KEY.equals(name)) {
        continue;
      }
      String problem = put(b, name, value);
      if (problem != null) {
        return new Mapped(null, problem, false);
      }
    }
    return new Mapped(b.build(), null, false);
  }

  /** Adds one attribute to the visit; returns the problem, or null. */
  private static @Nullable String put(Visit.Builder b, String key, Value value) {
    if (key.equals(USER_ID)) {
      if (!value.isString()) {
        return "attribute userId must be a string";
      }
      b.userId(value.asString());
    } else if (key.equals(TIMESTAMP)) {
      if (!value.isInstant()) {
        return "attribute timestamp must be an instant";
      }
      b.timestamp(value.asInstant());
    } else if (key.startsWith(HEADER)) {
      if (!value.isString()) {
        return "header.* attributes must be strings";
      }
      b.header(key.substring(HEADER.length()), value.asString());
    } else if (key.startsWith(QUERY)) {
      if (!value.isString()) {
        return "query.* attributes must be strings";
      }
      b.query(key.substring(QUERY.length()), value.asString());
    } else if (key.startsWith(DECLARED)) {
      Object fact = fact(value);
      if (fact == null) {
        return "declared.* attributes must be strings, numbers, booleans or lists of strings";
      }
      b.declared(key.substring(DECLARED.length()), fact);
    } else if (key.startsWith(PROFILE)) {
      Object fact = fact(value);
      if (fact == null) {
        return "profile.* attributes must be strings, numbers, booleans or lists of strings";
      }
      b.profile(key.substring(PROFILE.length()), fact);
    }
    // any other attribute is not the visit's: left out
    return null;
  }

  /** A declared or profile value as the engine takes it, or null if it cannot be one. */
  private static @Nullable Object fact(Value value) {
    if (value.isString() || value.isBoolean() || value.isNumber()) {
      return value.asObject();
    }
    if (value.isList()) {
      List<Value> items = value.asList();
      List<String> strings = new ArrayList<>(items.size());
      for (Value item : items) {
        if (item == null || !item.isString()) {
          return null;
        }
        strings.add(item.asString());
      }
      return strings;
    }
    return null;
  }
}
