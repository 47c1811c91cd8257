package dev.persona.hostile;

import dev.persona.Event;
import dev.persona.Visit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates hostile visits from a seed: the same seed always gives the same visits. Session ids
 * null, empty, huge or garbage; well-known headers with garbage values; random query parameters;
 * declared and profile maps with random keys and values of random types; events with random types,
 * attributes and timestamps from {@link Instant#MIN} to {@link Instant#MAX}.
 */
final class VisitGenerator {
  static final int MAX_SESSION_ID = 256;

  private static final List<String> HEADERS =
      List.of(
          "User-Agent",
          "user-agent",
          "Accept-Language",
          "Referer",
          "Host",
          "Cookie",
          "Sec-CH-UA",
          "Sec-CH-UA-Mobile",
          "Sec-CH-UA-Platform",
          "Sec-CH-UA-Model",
          "Sec-GPC",
          "DNT",
          "Save-Data",
          "CF-IPCountry",
          "CF-Region-Code",
          "CloudFront-Viewer-Country",
          "CloudFront-Viewer-Country-Region",
          "X-Country-Code",
          "X-Region-Code");

  private static final List<String> HEADER_VALUES =
      List.of(
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
          "Mozilla/5.0 (Linux; Android 14; SM-X710) Safari/537.36",
          "Googlebot/2.1 (+http://www.google.com/bot.html)",
          "pl-PL,pl;q=0.9,en;q=0.8",
          "en;q=NaN, *;q=-1, de;q=1e309",
          "https://www.instagram.com/",
          "http://[::1",
          "\"Chromium\";v=\"120\", \"Not",
          "?1",
          "?2",
          "\"Android",
          "1",
          "on",
          "PL",
          "US-CA");

  private static final List<String> QUERY =
      List.of("utm_source", "utm_medium", "utm_campaign", "gclid", "msclkid", "ttclid", "fbclid");

  private static final List<String> KEYS =
      List.of(
          "interests",
          "preferred_brands",
          "preferred_categories",
          "shopping_for_gift",
          "priority",
          "loyalty_member",
          "consent",
          "orders",
          "lifetime_value",
          "days_since_last_order",
          "previous_visits",
          "device",
          "page_views");

  private static final List<String> EVENT_TYPES =
      List.of(
          "page_view",
          "product_view",
          "search",
          "add_to_cart",
          "remove_from_cart",
          "begin_checkout",
          "purchase",
          "apply_coupon",
          "view_reviews",
          "compare",
          "share",
          "add_to_wishlist",
          "gift_option");

  private static final List<String> EVENT_ATTRIBUTES =
      List.of("category", "brand", "on_sale", "quantity", "query", "path", "sort", "price", "sku");

  private static final List<String> WORDS =
      List.of("true", "false", "granted", "denied", "price", "1", "hiking", "gift", "sale");

  private static final List<Instant> INSTANTS =
      List.of(
          Instant.MIN,
          Instant.MAX,
          Instant.EPOCH,
          Hostile.NOW,
          Hostile.NOW.minusSeconds(1),
          Hostile.NOW.minusSeconds(3_600),
          Hostile.NOW.plusSeconds(3_600));

  private final SplittableRandom random;

  VisitGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Returns one to {@code max} visits, mostly of a few shared sessions. */
  List<Visit> visits(int max) {
    int n = 1 + random.nextInt(max);
    List<Visit> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(visit());
    }
    return out;
  }

  Visit visit() {
    Visit.Builder b = Visit.builder(sessionId());
    if (chance(0.5)) {
      b.userId(garbage());
    }
    if (chance(0.5)) {
      b.timestamp(instant());
    }
    for (int i = random.nextInt(13); i > 0; i--) {
      String name = chance(0.7) ? pick(HEADERS) : garbage();
      String value = chance(0.05) ? null : chance(0.3) ? pick(HEADER_VALUES) : garbage();
      b.header(chance(0.01) ? null : name, value);
    }
    for (int i = random.nextInt(7); i > 0; i--) {
      b.query(chance(0.6) ? pick(QUERY) : garbage(), chance(0.05) ? null : garbage());
    }
    b.declared(attributes(chance(0.1) ? 40 : 8));
    b.profile(attributes(8));
    int events = chance(0.1) ? random.nextInt(300) : random.nextInt(12);
    for (int i = 0; i < events; i++) {
      b.event(chance(0.01) ? null : event());
    }
    return b.build();
  }

  private String sessionId() {
    double p = random.nextDouble();
    if (p < 0.05) {
      return null;
    } else if (p < 0.6) {
      return pick(List.of("s1", "s2", "s3"));
    } else if (p < 0.85) {
      return garbage();
    } else if (p < 0.95) {
      return "s".repeat(MAX_SESSION_ID - 2 + random.nextInt(5));
    }
    return "s\u0000\ud800".repeat(1 + random.nextInt(50_000));
  }

  private Map<String, Object> attributes(int max) {
    Map<String, Object> out = new HashMap<>();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      double p = random.nextDouble();
      String key =
          p < 0.01 ? null : p < 0.5 ? pick(KEYS) : p < 0.75 ? text("abcxyz_.0", 1, 8) : garbage();
      out.put(key, chance(0.05) ? null : value(0));
    }
    return out;
  }

  private Event event() {
    Event.Builder e =
        Event.builder(chance(0.02) ? null : chance(0.7) ? pick(EVENT_TYPES) : garbage());
    if (chance(0.5)) {
      e.at(instant());
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = random.nextInt(7); i > 0; i--) {
      attributes.put(
          chance(0.7) ? pick(EVENT_ATTRIBUTES) : garbage(), chance(0.05) ? null : value(0));
    }
    return e.attributes(attributes).build();
  }

  /** A value of any type a careless caller might pass, nested up to a few levels. */
  private Object value(int depth) {
    switch (random.nextInt(depth > 2 ? 8 : 14)) {
      case 0:
      case 1:
        return garbage();
      case 2:
        return random.nextInt();
      case 3:
        return random.nextLong();
      case 4:
        return pick(
            List.of(
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                -0.0,
                Double.MAX_VALUE,
                Double.MIN_VALUE,
                -1.0,
                1.0,
                random.nextDouble() * 2_000 - 1_000));
      case 5:
        return random.nextBoolean();
      case 6:
        return instant();
      case 7:
        return new Opaque();
      case 8:
        {
          List<Object> list = new ArrayList<>();
          for (int i = random.nextInt(40); i > 0; i--) {
            list.add(chance(0.8) ? garbage() : value(depth + 1));
          }
          return list;
        }
      case 9:
        {
          String[] array = new String[random.nextInt(40)];
          for (int i = 0; i < array.length; i++) {
            array[i] = chance(0.05) ? null : garbage();
          }
          return array;
        }
      case 10:
        return random.ints(random.nextInt(5)).toArray();
      case 11:
        {
          Map<String, Object> map = new HashMap<>();
          for (int i = random.nextInt(3); i > 0; i--) {
            map.put(garbage(), value(depth + 1));
          }
          return map;
        }
      case 12:
        return new Object[] {value(depth + 1), null, random.nextInt()};
      default:
        return nested(1 + random.nextInt(1_000));
    }
  }

  private static Object nested(int depth) {
    Object value = "leaf";
    for (int i = 0; i < depth; i++) {
      value = i % 2 == 0 ? List.of(Map.of("k", value)) : List.of(value);
    }
    return value;
  }

  private Instant instant() {
    double p = random.nextDouble();
    if (p < 0.4) {
      return pick(INSTANTS);
    } else if (p < 0.6) {
      return Instant.ofEpochSecond(
          random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()));
    }
    return Hostile.NOW.plusMillis(random.nextLong(-86_400_000L, 86_400_000L));
  }

  /** Strings of any characters: control, lone surrogates, huge, and a few meaningful ones. */
  String garbage() {
    int p = random.nextInt(11);
    if (p < 4) {
      StringBuilder sb = new StringBuilder();
      for (int i = random.nextInt(25); i > 0; i--) {
        int kind = random.nextInt(4);
        sb.append(
            (char)
                (kind == 0
                    ? random.nextInt(0x20)
                    : kind == 1 ? 0xd800 + random.nextInt(0x800) : random.nextInt(0x10000)));
      }
      return sb.toString();
    } else if (p < 6) {
      return text(null, 0, 12);
    } else if (p < 8) {
      return pick(Hostile.NASTY_STRINGS);
    } else if (p < 10) {
      return pick(WORDS);
    }
    return text("a\u0000\ud800,;=q.-/", 1, 4).repeat(20_000);
  }

  /** Text of {@code chars} (printable ASCII when null), of a length in [min, max]. */
  private String text(String chars, int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(
          chars == null
              ? (char) (0x20 + random.nextInt(0x5f))
              : chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** A value of no supported type. */
  static final class Opaque {
    @Override
    public String toString() {
      return "Opaque";
    }
  }
}
