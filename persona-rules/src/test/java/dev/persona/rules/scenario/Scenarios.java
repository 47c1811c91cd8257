package dev.persona.rules.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.VariantChoice;
import dev.persona.rules.JsonContent;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the scenarios share: real user agents, the engine on the default rules, small readers. */
final class Scenarios {
  /** A Tuesday morning in late November, UTC. */
  static final Instant START = Instant.parse("2026-11-24T09:30:00Z");

  static final String STORE_HOST = "shop.example.com";
  static final String STORE = "https://" + STORE_HOST;

  static final String IPHONE_SAFARI =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  static final String INSTAGRAM_IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Mobile/15E148 Instagram 335.0.0.25.79 (iPhone14,2; iOS 17_5; en_US; en;"
          + " scale=3.00; 1170x2532; 609196209)";
  static final String ANDROID_CHROME =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/126.0.0.0 Mobile Safari/537.36";
  static final String IPAD_SAFARI =
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.5 Mobile/15E148 Safari/604.1";
  static final String WINDOWS_CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/126.0.0.0 Safari/537.36";
  static final String MAC_SAFARI =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.5 Safari/605.1.15";
  static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  static final String GOOGLEBOT_SMARTPHONE =
      "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like"
          + " Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1;"
          + " +http://www.google.com/bot.html)";

  static final List<String> PERSONAS =
      List.of(
          "value_hunter",
          "researcher",
          "brand_loyalist",
          "social_butterfly",
          "replenisher",
          "mobile_shopper",
          "gift_giver");

  private static final JsonFactory JSON = new JsonFactory();

  private Scenarios() {}

  /** Returns an engine on the built-in default rules, with its time from {@code clock}. */
  static PersonaEngine engine(MutableClock clock) {
    return PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).clock(clock).build();
  }

  static Event productView(String category, String brand) {
    return Event.builder("product_view")
        .attribute("category", category)
        .attribute("brand", brand)
        .build();
  }

  static Event saleProductView(String category, String brand) {
    return Event.builder("product_view")
        .attribute("category", category)
        .attribute("brand", brand)
        .attribute("on_sale", true)
        .build();
  }

  static Event pageView(String path) {
    return Event.builder("page_view").attribute("path", path).build();
  }

  static Event search(String query) {
    return Event.builder("search").attribute("query", query).build();
  }

  static Event addToCart(String category, String brand) {
    return Event.builder("add_to_cart")
        .attribute("category", category)
        .attribute("brand", brand)
        .attribute("quantity", 1)
        .build();
  }

  static Event event(String type) {
    return Event.of(type);
  }

  /** Returns the ids of the rules that fired, in order. */
  static List<String> firedRules(Decision d) {
    List<String> out = new ArrayList<>();
    for (Reason r : d.reasons()) {
      if (r.kind() == Reason.Kind.SCORE) {
        out.add(r.source());
      }
    }
    return out;
  }

  /** Returns a NUMBER signal's value, failing when it was not used. */
  static double number(Decision d, String key) {
    return (Double) signal(d, key).value();
  }

  /** Returns a TEXT signal's value, failing when it was not used. */
  static String text(Decision d, String key) {
    return (String) signal(d, key).value();
  }

  /** Returns the personas whose score reaches the default rules' threshold of 0.5. */
  static Set<String> matched(Decision d) {
    Set<String> out = new LinkedHashSet<>();
    d.scores()
        .forEach(
            (p, s) -> {
              if (s >= 0.5) {
                out.add(p);
              }
            });
    return out;
  }

  static VariantChoice choice(Decision d, String placement) {
    VariantChoice c = d.variant(placement);
    if (c == null) {
      throw new AssertionError("no placement " + placement);
    }
    return c;
  }

  private static Signal signal(Decision d, String key) {
    Signal s = d.signal(key);
    if (s == null) {
      throw new AssertionError("no signal " + key);
    }
    return s;
  }

  /** Parses a chosen variant's JSON content into maps, lists, strings, numbers and booleans. */
  static Map<String, Object> content(Decision d, String placement) {
    Object c = choice(d, placement).content();
    if (!(c instanceof JsonContent json)) {
      throw new AssertionError("content of " + placement + " is not JSON: " + c);
    }
    try (JsonParser p = JSON.createParser(json.json())) {
      Object v = value(p, p.nextToken());
      if (!(v instanceof Map<?, ?>)) {
        throw new AssertionError("content of " + placement + " is not an object: " + json);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      case START_ARRAY:
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      default:
        return null;
    }
  }
}
