package dev.persona.rules.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.Visit;
import dev.persona.rules.cli.Json.InputError;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a visit from JSON with the streaming parser, strictly: a line of a sessions file, or a
 * visit file for {@code persona explain}.
 *
 * <pre>{@code
 * {"session": "s1", "user": "u9", "at": "2026-11-10T12:00:00Z",
 *  "headers": {"User-Agent": "..."}, "query": {"utm_source": "..."},
 *  "explicit": {"shopping_for_gift": true}, "profile": {"orders": 3},
 *  "events": [{"type": "product_view", "at": "...", "sku": "A1", "category": "tents"}]}
 * }</pre>
 *
 * <p>Only {@code session} is required. Header and query values are strings (numbers and booleans
 * are taken as their text); explicit, profile and event attribute values are strings, numbers,
 * booleans or arrays of strings; {@code null} is the same as leaving a value out. Unknown fields,
 * duplicate keys and other types are errors.
 */
final class VisitJson {
  private static final String FIELDS =
      "session, user, at, headers, query, explicit, profile, events and outcomes";
  private static final int SHOWN = 40;

  private final JsonParser p;
  private List<ShownOutcome> outcomes = List.of();

  private VisitJson(JsonParser p) {
    this.p = p;
  }

  /** A visit and the outcomes its line records for the visit's decision. */
  record Line(Visit visit, List<ShownOutcome> outcomes) {}

  /**
   * Reads a visit from one line of a sessions file.
   *
   * @param line the line, one JSON object
   * @return the visit
   * @throws InputError if the line is not a visit; its column is on the line
   */
  static Line parseLine(String line) throws InputError {
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      VisitJson r = new VisitJson(p);
      if (p.nextToken() == null) {
        throw new InputError("no JSON value", p.currentLocation());
      }
      Visit visit = r.visit();
      if (p.nextToken() != null) {
        throw r.error("", "found " + describe(p.currentToken()) + " after the visit object");
      }
      return new Line(visit, r.outcomes);
    } catch (JsonProcessingException e) {
      throw Json.error(e);
    } catch (IOException e) {
      // A parser over a String does no I/O.
      throw new InputError("cannot parse: " + e.getMessage(), null);
    }
  }

  /**
   * Reads the visit starting at the parser's next token, leaving the parser on its last token;
   * returns null at the end of input. A file may hold several visits one after another.
   *
   * @throws InputError if the value is not a visit
   * @throws IOException if the underlying input cannot be read
   */
  static Visit next(JsonParser p) throws InputError, IOException {
    try {
      if (p.nextToken() == null) {
        return null;
      }
      return new VisitJson(p).visit();
    } catch (JsonProcessingException e) {
      throw Json.error(e);
    }
  }

  private Visit visit() throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error("", "expected a visit object, found " + describe(p.currentToken()));
    }
    String session = null;
    String user = null;
    Instant at = null;
    Map<String, String> headers = Map.of();
    Map<String, String> query = Map.of();
    Map<String, Object> explicit = Map.of();
    Map<String, Object> profile = Map.of();
    List<Event> events = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "session" -> session = text(name);
        case "user" -> user = nullable() ? null : text(name);
        case "at" -> at = nullable() ? null : instant(name);
        case "headers" -> headers = nullable() ? Map.of() : texts(name);
        case "query" -> query = nullable() ? Map.of() : texts(name);
        case "explicit" -> explicit = nullable() ? Map.of() : values(name);
        case "profile" -> profile = nullable() ? Map.of() : values(name);
        case "events" -> events = nullable() ? List.of() : events(name);
        case "outcomes" -> outcomes = nullable() ? List.of() : outcomes(name);
        default -> throw error(name, "unknown field; a visit has " + FIELDS);
      }
    }
    if (session == null) {
      throw error("", "missing \"session\"");
    }
    if (session.isEmpty()) {
      throw error("session", "the session id is empty");
    }
    return Visit.builder(session)
        .userId(user)
        .timestamp(at)
        .headers(headers)
        .query(query)
        .declared(explicit)
        .profile(profile)
        .events(events)
        .build();
  }

  private boolean nullable() {
    return p.currentToken() == JsonToken.VALUE_NULL;
  }

  private String text(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw wrongType(path, "a string");
    }
    return p.getText();
  }

  private Instant instant(String path) throws IOException, InputError {
    String s = text(path);
    try {
      Instant t = Instant.parse(s);
      var unused = t.toEpochMilli(); // rejects instants beyond what the engine's clock can hold
      return t;
    } catch (DateTimeException | ArithmeticException e) {
      throw error(
          path, "expected an ISO-8601 instant such as 2026-11-10T12:00:00Z, found " + quote(s));
    }
  }

  private Map<String, String> texts(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(path, "an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_STRING
          || t == JsonToken.VALUE_NUMBER_INT
          || t == JsonToken.VALUE_NUMBER_FLOAT
          || t == JsonToken.VALUE_TRUE
          || t == JsonToken.VALUE_FALSE) {
        out.put(name, p.getText());
      } else if (t != JsonToken.VALUE_NULL) {
        throw wrongType(path + "." + name, "a string");
      }
    }
    return out;
  }

  private Map<String, Object> values(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(path, "an object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      Object v = value(path + "." + name);
      if (v != null) {
        out.put(name, v);
      }
    }
    return out;
  }

  /** Returns a String, Double, Boolean, List of String, or null for JSON null. */
  private Object value(String path) throws IOException, InputError {
    JsonToken t = p.currentToken();
    switch (t) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw error(path, "the number is too large");
        }
        return d;
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return null;
      case START_ARRAY:
        List<String> items = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(path + "[" + i + "]", "a string");
          }
          items.add(p.getText());
          i++;
        }
        return items;
      default:
        throw wrongType(path, "a string, number, boolean or array of strings");
    }
  }

  private List<Event> events(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType(path, "an array of events");
    }
    List<Event> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(event(path + "[" + out.size() + "]"));
    }
    return out;
  }

  private List<ShownOutcome> outcomes(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType(path, "an array of outcomes");
    }
    List<ShownOutcome> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(outcome(path + "[" + out.size() + "]"));
    }
    return out;
  }

  private ShownOutcome outcome(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(path, "an outcome object");
    }
    String type = null;
    String placement = null;
    double value = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> type = text(path + ".type");
        case "placement" -> placement = text(path + ".placement");
        case "value" -> {
          if (!(value(path + ".value") instanceof Double d) || d < 0) {
            throw error(path + ".value", "expected a number of at least 0");
          }
          value = d;
        }
        default ->
            throw error(
                path + "." + name, "unknown field; an outcome has type, placement" + " and value");
      }
    }
    if (type == null || placement == null) {
      throw error(path, "an outcome needs \"type\" and \"placement\"");
    }
    Outcome.Kind kind =
        switch (type) {
          case "exposure" -> Outcome.Kind.EXPOSURE;
          case "click" -> Outcome.Kind.CLICK;
          case "add_to_cart" -> Outcome.Kind.ADD_TO_CART;
          case "purchase" -> Outcome.Kind.PURCHASE;
          default ->
              throw error(
                  path + ".type",
                  "expected exposure, click, add_to_cart or purchase, found " + quote(type));
        };
    return new ShownOutcome(kind, placement, value);
  }

  private Event event(String path) throws IOException, InputError {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(path, "an event object");
    }
    String type = null;
    Instant at = null;
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> type = text(path + ".type");
        case "at" -> at = nullable() ? null : instant(path + ".at");
        default -> {
          Object v = value(path + "." + name);
          if (v != null) {
            attributes.put(name, v);
          }
        }
      }
    }
    if (type == null) {
      throw error(path, "missing \"type\" of the event");
    }
    return Event.builder(type).at(at).attributes(attributes).build();
  }

  private InputError wrongType(String path, String expected) {
    return error(path, "expected " + expected + ", found " + describe(p.currentToken()));
  }

  private InputError error(String path, String message) {
    return new InputError(
        path.isEmpty() ? message : "\"" + path + "\": " + message, p.currentTokenLocation());
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }

  private static String quote(String s) {
    return s.length() > SHOWN ? "\"" + s.substring(0, SHOWN) + "...\"" : "\"" + s + "\"";
  }
}
