package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.Visit;
import dev.persona.config.PredictionConfig;
import dev.persona.prediction.BgNbd;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fixed corpus of shopper sessions for the benchmarks that need session state: seeded, generated
 * visits (one to four requests a session, a few events each, device, traffic source, campaign,
 * declared attributes and profile facts) run through a {@link PersonaEngine} with the default rule
 * set, keeping the signals of each session's last decision as its facts.
 *
 * <p>Every session leans towards one persona (or none) so that every rule of the default rule set
 * fires somewhere in the corpus and every persona is matched by some session; {@code
 * PeerEquivalenceTest} checks both.
 */
public final class Corpus {
  /** Sessions in the standard corpus; a power of two, so that benchmarks cycle with a mask. */
  public static final int SIZE = 256;

  /** The seed of the standard corpus. */
  public static final long SEED = 20_261_123L;

  private static final class Standard {
    static final Corpus INSTANCE = generate(SIZE, SEED);
  }

  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
  private static final String ANDROID_PHONE =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/138.0.0.0 Mobile Safari/537.36";
  private static final String IPAD =
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.5 Mobile/15E148 Safari/604.1";
  private static final String WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/138.0.0.0 Safari/537.36";
  private static final String MAC =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.5 Safari/605.1.15";
  private static final String BOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  private static final LocalDateTime[] DAYS = {
    LocalDateTime.of(2025, 3, 12, 9, 0),
    LocalDateTime.of(2025, 6, 5, 12, 0),
    LocalDateTime.of(2025, 9, 20, 19, 0),
    LocalDateTime.of(2025, 11, 28, 20, 0), // Black Friday
    LocalDateTime.of(2025, 12, 10, 18, 0), // the Christmas run-up
    LocalDateTime.of(2026, 2, 10, 13, 0), // before Valentine's
  };

  private static final String[] COUNTRIES = {"PL", "DE", "US", "GB", "FR"};
  private static final String[] LANGUAGES = {
    "pl-PL,pl;q=0.9,en;q=0.8", "de-DE,de;q=0.9", "en-US,en;q=0.9", "en-GB,en;q=0.8", "fr-FR"
  };
  private static final String[] BRANDS = {"acme", "globex", "initech", "umbrella"};
  private static final String[] CATEGORIES = {"shoes", "kitchen", "toys", "garden", "books"};

  private enum Leaning {
    NONE,
    VALUE,
    RESEARCH,
    LOYAL,
    SOCIAL,
    REPLENISH,
    MOBILE,
    GIFT
  }

  private final List<Map<String, Object>> facts;
  private final List<Map<String, Double>> decided;

  private Corpus(List<Map<String, Object>> facts, List<Map<String, Double>> decided) {
    this.facts = List.copyOf(facts);
    this.decided = List.copyOf(decided);
  }

  /** Returns the standard corpus: {@value #SIZE} sessions from seed {@value #SEED}, built once. */
  public static Corpus standard() {
    return Standard.INSTANCE;
  }

  /**
   * The models the corpus's engine predicts with, in days, so that the default rules' predicted
   * replenisher rules fire for some sessions.
   */
  private static final PredictionConfig MODELS =
      PredictionConfig.builder().bgNbd(new BgNbd(0.5, 20, 0.8, 2.5)).build();

  /**
   * Generates a corpus.
   *
   * @param size the number of sessions
   * @param seed the seed of the visits
   * @return the corpus
   */
  public static Corpus generate(int size, long seed) {
    RuleSet rules = RuleSetReader.defaultRuleSet();
    PersonaEngine engine = PersonaEngine.builder().ruleSet(rules).prediction(MODELS).build();
    Random random = new Random(seed);
    List<Map<String, Object>> out = new ArrayList<>(size);
    List<Map<String, Double>> scores = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Decision last = session(engine, "corpus-" + i, random);
      scores.add(last.scores());
      Map<String, Object> facts = new LinkedHashMap<>();
      for (Signal s : last.signals()) {
        facts.put(s.key(), s.value());
      }
      out.add(Collections.unmodifiableMap(facts));
    }
    return new Corpus(out, scores);
  }

  /** Returns the sessions' facts: signal key to value (String, Double, Boolean, Set of String). */
  public List<Map<String, Object>> facts() {
    return facts;
  }

  /** Returns the persona scores of each session's last decision, as the engine made them. */
  public List<Map<String, Double>> decidedScores() {
    return decided;
  }

  /** Returns the number of sessions. */
  public int size() {
    return facts.size();
  }

  private static Decision session(PersonaEngine engine, String id, Random r) {
    Leaning leaning = Leaning.values()[r.nextInt(Leaning.values().length)];
    boolean bot = r.nextInt(40) == 0;
    String userAgent = bot ? BOT : userAgent(leaning, r);
    Instant start =
        DAYS[r.nextInt(DAYS.length)].plusMinutes(r.nextInt(120)).toInstant(ZoneOffset.UTC);
    int requests = 1 + r.nextInt(leaning == Leaning.RESEARCH ? 5 : 4);
    String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
    String language = LANGUAGES[r.nextInt(LANGUAGES.length)];
    Instant at = start;
    Decision last = null;
    for (int q = 0; q < requests; q++) {
      Visit.Builder v =
          Visit.builder(id)
              .timestamp(at)
              .header("User-Agent", userAgent)
              .header("Accept-Language", language)
              .header("CF-IPCountry", country);
      if (q == 0) {
        arrival(v, leaning, r);
        declared(v, leaning, r);
        profile(v, leaning, r);
      } else {
        v.header("Referer", "https://shop.example/");
        v.header("Host", "shop.example");
      }
      int events = r.nextInt(4);
      for (int e = 0; e < events; e++) {
        v.event(event(leaning, r));
      }
      last = engine.decide(v.build());
      at = at.plusSeconds(60L * (2 + r.nextInt(10)));
    }
    return last;
  }

  private static String userAgent(Leaning leaning, Random r) {
    int phone = leaning == Leaning.MOBILE ? 9 : 4;
    int pick = r.nextInt(10);
    if (pick < phone) {
      return r.nextBoolean() ? IPHONE : ANDROID_PHONE;
    }
    if (pick == phone) {
      return IPAD;
    }
    return r.nextBoolean() ? WINDOWS : MAC;
  }

  private static void arrival(Visit.Builder v, Leaning leaning, Random r) {
    switch (r.nextInt(7)) {
      case 0:
        break; // direct
      case 1:
        v.header("Referer", "https://www.google.com/");
        break;
      case 2:
        v.header("Referer", "https://www.instagram.com/");
        break;
      case 3:
        v.query("utm_source", "facebook").query("utm_medium", "cpc");
        break;
      case 4:
        v.query("utm_source", "newsletter").query("utm_medium", "email");
        break;
      case 5:
        v.query("utm_source", "google").query("utm_medium", "cpc");
        break;
      default:
        v.header("Referer", "https://deals.example/");
    }
    String campaign = campaign(leaning, r);
    if (campaign != null) {
      v.query("utm_campaign", campaign);
    }
  }

  private static String campaign(Leaning leaning, Random r) {
    if (r.nextInt(3) == 0) {
      return null;
    }
    String[] pool;
    switch (leaning) {
      case VALUE:
        pool = new String[] {"summer-sale", "Black_Friday deals", "VOUCHER-club", "promo-week"};
        break;
      case SOCIAL:
        pool =
            new String[] {
              "influencer-anna", "creator-collab", "ugc-stories", "refer-a-friend", "ambassadors"
            };
        break;
      case GIFT:
        pool = new String[] {"gift-guide-2025", "xmas-gifts"};
        break;
      default:
        pool = new String[] {"spring-launch", "newsletter-42", "discount-days"};
    }
    return pool[r.nextInt(pool.length)];
  }

  private static void declared(Visit.Builder v, Leaning leaning, Random r) {
    int odds = 5;
    if (leaning == Leaning.VALUE || r.nextInt(odds) == 0) {
      String[] priorities = {"price", "quality", "sustainability"};
      v.declared(
          "priority",
          leaning == Leaning.VALUE ? "price" : priorities[r.nextInt(priorities.length)]);
    }
    if (leaning == Leaning.LOYAL ? r.nextBoolean() : r.nextInt(odds * 2) == 0) {
      v.declared("loyalty_member", r.nextInt(4) != 0);
    }
    if (leaning == Leaning.LOYAL ? r.nextBoolean() : r.nextInt(odds * 2) == 0) {
      v.declared("preferred_brands", List.of(BRANDS[r.nextInt(BRANDS.length)]));
    }
    if (leaning == Leaning.GIFT ? r.nextBoolean() : r.nextInt(odds * 3) == 0) {
      v.declared("shopping_for_gift", r.nextInt(5) != 0);
    }
  }

  private static void profile(Visit.Builder v, Leaning leaning, Random r) {
    boolean customer =
        (leaning == Leaning.REPLENISH || leaning == Leaning.LOYAL)
            ? r.nextInt(5) != 0
            : r.nextBoolean();
    if (!customer) {
      if (r.nextBoolean()) {
        v.profile("previous_visits", (double) r.nextInt(4));
      }
      return;
    }
    int orders = leaning == Leaning.REPLENISH ? 2 + r.nextInt(8) : 1 + r.nextInt(5);
    v.profile("orders", (double) orders);
    v.profile("lifetime_value", (double) (orders * (40 + r.nextInt(200))));
    double gap = 3 + r.nextInt(100);
    v.profile("avg_days_between_orders", gap);
    double sinceLast = r.nextInt(((int) gap) * 2);
    if (orders >= 3 && (int) gap % 7 == 0) {
      // a customer silent for six gaps, most likely lapsed; no draw, so that the rest of the
      // corpus stays as it was
      sinceLast = gap * 6;
    }
    v.profile("days_since_last_order", sinceLast);
    v.profile("previous_visits", (double) (orders + r.nextInt(10)));
    v.profile("days_since_last_visit", (double) r.nextInt(30));
    if (orders >= 3 && (leaning == Leaning.REPLENISH || r.nextInt(4) == 0)) {
      String a = "sku-" + r.nextInt(50);
      String b = "sku-" + r.nextInt(50);
      // A long-standing customer buys a basket of staples again; no draw, so that the rest of the
      // corpus stays as it was.
      v.profile("repeat_skus", orders >= 6 ? List.of(a, b, "sku-staple") : List.of(a, b));
    }
    if (r.nextInt(5) == 0) {
      v.profile("open_cart_items", (double) (1 + r.nextInt(3)));
    }
  }

  private static Event event(Leaning leaning, Random r) {
    String brand =
        leaning == Leaning.LOYAL && r.nextInt(5) != 0
            ? BRANDS[0]
            : BRANDS[r.nextInt(BRANDS.length)];
    String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
    int pick = r.nextInt(12);
    switch (leaning) {
      case VALUE:
        if (pick < 5) {
          return r.nextBoolean()
              ? Event.builder("product_view")
                  .attribute("brand", brand)
                  .attribute("category", category)
                  .attribute("on_sale", true)
                  .build()
              : Event.builder("page_view").attribute("path", "/sale/" + category).build();
        } else if (pick < 7) {
          return Event.of("apply_coupon");
        } else if (pick < 9) {
          return Event.builder("search")
              .attribute("query", category)
              .attribute("sort", "price_asc")
              .build();
        }
        break;
      case RESEARCH:
        if (pick < 5) {
          return productView(brand, category);
        } else if (pick < 8) {
          return Event.of("view_reviews");
        } else if (pick < 10) {
          return Event.of("compare");
        }
        break;
      case LOYAL:
        if (pick < 8) {
          return productView(brand, category);
        }
        break;
      case SOCIAL:
        if (pick < 5) {
          return Event.of("share");
        }
        break;
      case REPLENISH:
        if (pick < 4) {
          return Event.builder("add_to_cart").attribute("brand", brand).build();
        } else if (pick < 6) {
          return Event.builder("purchase").attribute("brand", brand).build();
        }
        break;
      case MOBILE:
        if (pick < 4) {
          return Event.of("begin_checkout");
        } else if (pick < 6) {
          return Event.builder("purchase").attribute("brand", brand).build();
        }
        break;
      case GIFT:
        if (pick < 4) {
          return productView(brand, "gifts");
        } else if (pick < 6) {
          return Event.of("gift_option");
        } else if (pick < 8) {
          return Event.builder("search").attribute("query", "gift ideas").build();
        }
        break;
      default:
        break;
    }
    return anyEvent(brand, category, r);
  }

  private static Event anyEvent(String brand, String category, Random r) {
    switch (r.nextInt(10)) {
      case 0:
        return Event.builder("page_view").attribute("path", "/c/" + category).build();
      case 1:
        return Event.builder("search").attribute("query", category).build();
      case 2:
        return Event.builder("add_to_cart")
            .attribute("brand", brand)
            .attribute("category", category)
            .build();
      case 3:
        return Event.of("add_to_wishlist");
      case 4:
        return Event.of("begin_checkout");
      case 5:
        return Event.of("view_reviews");
      default:
        return productView(brand, category);
    }
  }

  private static Event productView(String brand, String category) {
    return Event.builder("product_view")
        .attribute("brand", brand)
        .attribute("category", category)
        .build();
  }
}
