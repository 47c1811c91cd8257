package dev.persona.hostile;

import static dev.persona.hostile.Hostile.NASTY;
import static dev.persona.hostile.Hostile.NASTY_STRINGS;
import static dev.persona.hostile.Hostile.assertComplete;
import static dev.persona.hostile.Hostile.decide;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.EngineStats;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.Visit;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.internal.session.SessionData;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, "Hostile requests": whatever a visit holds, {@code decide} returns a whole decision,
 * never throws, finishes, flags and counts what it cut or refused, and keeps session state bounded.
 * Every call is guarded by a 10-second preemptive timeout, which catches hangs, and must take less
 * than {@link Hostile#MAX_DECIDE} (2 s); a hostile run leaves the engine retaining less than {@link
 * #MAX_RETAINED_GROWTH_MIB} MiB more heap than it did before.
 */
final class HostileRequestTest {
  private static final Limits LIMITS = Limits.defaults();
  private static final int MB = 1 << 20;
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 ";

  /** Heap the engine may keep, after a GC, beyond what it kept before a hostile run. */
  private static final int MAX_RETAINED_GROWTH_MIB = 128;

  private final Hostile.MeasuredStore store = new Hostile.MeasuredStore();
  private final PersonaEngine engine =
      Hostile.engine().sessions(SessionConfig.store(store).build()).build();

  @AfterAll
  static void printTheSlowestDecision() {
    System.out.printf(
        Locale.ROOT,
        "hostile requests: slowest decision %.1f ms (bound %d ms)%n",
        Hostile.SLOWEST_DECIDE_NANOS.get() / 1e6,
        Hostile.MAX_DECIDE.toMillis());
  }

  // ---- headers -------------------------------------------------------------------------------

  @Test
  void hugeHeaders_areReadOnlyUpToTheHeaderLimit() {
    String iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 ";
    Visit visit =
        Visit.builder("s1")
            .header("User-Agent", iphone + "x".repeat(4 * MB))
            .header("Accept-Language", "pl-PL," + "en;q=0.5,".repeat(MB / 2))
            .header("Referer", "https://www.instagram.com/" + "a/".repeat(2 * MB))
            .header("Cookie", "c=" + "v".repeat(8 * MB))
            .header("Sec-CH-UA", "\"Chromium\";v=\"" + "9".repeat(MB) + "\"")
            .header("CF-IPCountry", "P".repeat(MB))
            .build();

    Decision d = decide(engine, visit);

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.signal("device").value()).isEqualTo("mobile");
    assertThat(d.signal("language").value()).isEqualTo("pl");
    assertThat(d.signal("referrer_host").value()).isEqualTo("instagram.com");
    assertThat(d.signal("country")).isNull();
    assertThat(d.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
    assertThat(engine.stats().truncatedInputs()).isGreaterThanOrEqualTo(6);
    assertThat(engine.stats().extractorFailures()).isZero();
  }

  @Test
  void hugeHeaders_areFlaggedAndCountedAsTruncated() {
    int max = LIMITS.maxHeaderLength();
    Decision fits = decide(engine, Visit.builder("s1").header("Cookie", "x".repeat(max)).build());
    Decision cut =
        decide(engine, Visit.builder("s1").header("Cookie", "x".repeat(max + 1)).build());
    Decision huge =
        decide(engine, Visit.builder("s1").header("User-Agent", "x".repeat(4 * MB)).build());

    assertThat(fits.flags()).isEmpty();
    assertThat(cut.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(huge.flags()).containsExactly(Decision.Flag.INPUT_TRUNCATED);
    assertThat(engine.stats().truncatedInputs()).isEqualTo(2);
  }

  @Test
  void thousandsOfDistinctHeaders_andOneHeaderRepeatedThousandsOfTimes() {
    Visit.Builder b = Visit.builder("s1");
    for (int i = 0; i < 20_000; i++) {
      b.header("X-Custom-" + i + NASTY, "value-" + i + NASTY);
    }
    for (int i = 0; i < 5_000; i++) {
      b.header("Accept-Language", "de;q=0." + (i % 10));
      b.header("user-AGENT", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/120.0");
    }
    Visit visit = b.build();
    assertThat(visit.headers()).hasSizeGreaterThan(20_000);

    Decision d = decide(engine, visit);

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.signal("device").value()).isEqualTo("desktop");
    assertThat(d.signal("language").value()).isEqualTo("de");
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("nastyStrings")
  void controlCharactersAndLoneSurrogates_inEveryString(String nasty) {
    String session = "s-" + nasty;
    Visit.Builder b =
        Visit.builder(session).userId("u-" + nasty).timestamp(Hostile.NOW).query(nasty, nasty);
    for (String h :
        List.of(
            "User-Agent",
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
            "X-Country-Code")) {
      b.header(h, nasty).header(h + nasty, nasty);
    }
    b.header(nasty, nasty);
    for (String q : List.of("utm_source", "utm_medium", "utm_campaign", "gclid", "fbclid")) {
      b.query(q, nasty);
    }
    for (String k :
        List.of(
            "interests",
            "priority",
            "preferred_brands",
            "shopping_for_gift",
            "consent",
            "x_custom")) {
      b.declared(k, nasty).profile(k + "_p", nasty);
    }
    b.declared("interests", List.of(nasty, nasty + nasty));
    b.declared(nasty.isEmpty() ? "BAD KEY" : nasty, nasty);
    b.profile("orders", nasty).profile(nasty.isEmpty() ? "BAD KEY" : nasty, nasty);
    for (String type :
        List.of("page_view", "product_view", "search", "add_to_cart", "purchase", nasty)) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      for (String a : List.of("category", "brand", "query", "path", "sort", "sku", "on_sale")) {
        attrs.put(a, nasty);
      }
      attrs.put(nasty, nasty);
      b.event(Event.of(type, attrs));
      b.event(Event.of(type + nasty, attrs));
    }
    long rejectedBefore = engine.stats().rejectedInputs();

    Decision d = decide(engine, b.build());
    Decision again = decide(engine, Visit.builder(session).build());

    assertComplete(d, LIMITS);
    assertComplete(again, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(engine.stats().rejectedInputs()).isGreaterThan(rejectedBefore);
  }

  static Stream<String> nastyStrings() {
    return NASTY_STRINGS.stream();
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("malformedAcceptLanguage")
  void malformedAcceptLanguage_isIgnoredNotFatal(String header) {
    Decision d = decide(engine, Visit.builder("s1").header("Accept-Language", header).build());

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    Optional.ofNullable(d.signal("language"))
        .map(Signal::value)
        .ifPresent(v -> assertThat((String) v).matches("[a-z]{2,3}"));
  }

  static Stream<String> malformedAcceptLanguage() {
    return Stream.concat(
        NASTY_STRINGS.stream(),
        Stream.of(
            ",",
            ",,,,;;;;====",
            ";q=",
            "en;q=",
            "en;q=abc",
            "en;q=NaN",
            "en;q=-1",
            "en;q=1e309",
            "en;q=0.5;q=0.9;q",
            "en;;;;q=1",
            "*;q=0.5",
            "*",
            "i-klingon",
            "x-private",
            "e",
            "toolongprimary",
            "en-",
            "en--US",
            "en-US-" + "a".repeat(9),
            "en_US",
            "EN-us;Q=0.8",
            "q=1;en",
            "\ud800\udc00;q=1",
            "de;q=0.9".repeat(100_000),
            ";".repeat(100_000),
            "en-".repeat(100_000)));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("malformedReferer")
  void malformedReferer_isIgnoredNotFatal(String referer) {
    Decision d =
        decide(
            engine,
            Visit.builder("s1")
                .header("Referer", referer)
                .header("Host", referer)
                .query("utm_source", referer)
                .query("utm_medium", referer)
                .build());

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.signal("traffic_source")).isNotNull();
  }

  static Stream<String> malformedReferer() {
    return Stream.concat(
        NASTY_STRINGS.stream(),
        Stream.of(
            "://",
            "http://",
            "https:///path",
            "http://[::1",
            "http://[::1]:99999999/",
            "http://%zz%00/",
            "javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "http://a..b..c",
            "http://.",
            "http://..",
            "http://-.-/",
            "https://user:pass@www.google.com:-1/search?q=x",
            "http://xn--.com",
            "http://" + "a.".repeat(100_000) + "com",
            "https://" + "x".repeat(70_000),
            "android-app://com.google.android.gm/",
            "\u0000https://www.google.com/",
            "https://www.google.com\u0000.evil.example/",
            "HTTPS://WWW.FACEBOOK.COM./",
            "http://127.0.0.1:80/",
            "http://www.google.com:notaport/",
            "//www.instagram.com/"));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("malformedClientHints")
  void malformedClientHints_areIgnoredNotFatal(String hint) {
    Decision d =
        decide(
            engine,
            Visit.builder("s1")
                .header("User-Agent", hint)
                .header("Sec-CH-UA", hint)
                .header("Sec-CH-UA-Mobile", hint)
                .header("Sec-CH-UA-Platform", hint)
                .header("Sec-CH-UA-Model", hint)
                .header("Sec-CH-UA-Full-Version-List", hint)
                .build());

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(Optional.ofNullable(d.signal("device")).map(Signal::value).orElse("desktop"))
        .isIn("mobile", "tablet", "desktop", "bot");
  }

  static Stream<String> malformedClientHints() {
    return Stream.concat(
        NASTY_STRINGS.stream(),
        Stream.of(
            "\"",
            "\"\"\"",
            "?",
            "?2",
            "?1?0",
            "1",
            "\"Windows",
            "Windows\"",
            "\"\";v=\"\"",
            "\"Chromium\";v=\"",
            "\"Chromium\";v=\"120\", \"Not",
            ";;;;,,,,;v=;v=",
            "\"A\";v=\"" + "9".repeat(100_000),
            "\"Google Chrome\";v=\"120\"".repeat(10_000),
            "\"\\\"\\\"\\\"\"",
            "\"Android\u0000\"",
            "\"\ud800\""));
  }

  // ---- events --------------------------------------------------------------------------------

  @Test
  void hundredThousandEvents_countOnlyUpToTheLimit_andStateStaysBounded() {
    decide(engine, Visit.builder("small").event(Event.of("product_view")).build());
    int smallBytes = store.bytes("small");
    List<Event> many = new ArrayList<>(100_000);
    for (int i = 0; i < 100_000; i++) {
      many.add(
          Event.builder(i % 2 == 0 ? "product_view" : "event-" + i)
              .attribute("category", "category-" + i)
              .attribute("brand", "brand-" + i)
              .attribute("sku", "sku-" + i)
              .build());
    }
    EngineStats before = engine.stats();

    Decision d = decide(engine, Visit.builder("s1").events(many).build());

    assertComplete(d, LIMITS);
    assertThat(d.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
    EngineStats after = engine.stats();
    // once for the events beyond the limit, once for the categories and brands beyond theirs
    assertThat(after.truncatedInputs() - before.truncatedInputs()).isEqualTo(2);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains(
            "input truncated: 99900 events beyond the limit of 100",
            "input truncated: categories or brands beyond the session limit of 16 each: the"
                + " lightest kept");
    int kept = LIMITS.maxEventsPerVisit();
    assertThat(after.unknownEvents() - before.unknownEvents()).isEqualTo(kept / 2);
    assertThat(d.signal("product_views").value()).isEqualTo((double) kept / 2);
    assertThat(d.signal("unknown_events").value()).isEqualTo((double) kept / 2);

    Decision next = decide(engine, Visit.builder("s1").build());

    assertThat(next.signal("product_views").value()).isEqualTo((double) kept / 2);
    assertThat(next.signal("requests").value()).isEqualTo(2.0);
    assertThat(store.bytes("s1")).isLessThan(smallBytes + 64 * LIMITS.maxAffinityKeys() * 2);
  }

  @Test
  void manyVisitsOfDistinctCategoriesAndBrands_keepTheSessionBounded() {
    int[] sizes = new int[60];
    for (int v = 0; v < sizes.length; v++) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < LIMITS.maxEventsPerVisit(); i++) {
        String unique = v + "-" + i + "-" + "z".repeat(200);
        events.add(
            Event.builder(i % 3 == 0 ? "add_to_cart" : "product_view")
                .attribute("category", "c" + unique)
                .attribute("brand", "b" + unique)
                .build());
      }
      Decision d = decide(engine, Visit.builder("s1").events(events).build());
      assertComplete(d, LIMITS);
      sizes[v] = store.bytes("s1");
    }

    int settled = sizes[10];
    assertThat(Arrays.stream(sizes).skip(10).max().orElseThrow())
        .as("session bytes after 10 visits vs after 60: %s", Arrays.toString(sizes))
        .isLessThanOrEqualTo(settled + settled / 10);
  }

  // ---- wrong types and numbers ---------------------------------------------------------------

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("wrongTypes")
  void wrongAttributeTypes_areRejectedAndCounted(Object value) {
    Visit.Builder b = Visit.builder("s1");
    for (String k :
        List.of(
            "interests",
            "preferred_brands",
            "priority",
            "shopping_for_gift",
            "loyalty_member",
            "x_custom")) { // consent of a wrong type is taken as denied: see ConsentTest
      b.declared(k, value);
    }
    for (String k : List.of("orders", "lifetime_value", "days_since_last_order", "y_custom")) {
      b.profile(k, value);
    }
    for (String type : List.of("page_view", "product_view", "search", "add_to_cart")) {
      Event.Builder e = Event.builder(type);
      for (String a :
          List.of("category", "brand", "on_sale", "quantity", "query", "path", "sort", "price")) {
        e.attribute(a, value);
      }
      b.event(e.build());
    }
    long rejectedBefore = engine.stats().rejectedInputs();

    Decision d = decide(engine, b.build());

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(engine.stats().rejectedInputs()).isGreaterThan(rejectedBefore);
    assertThat(d.signal("orders")).isNull();
    assertThat(d.signal("priority")).isNull();
    assertThat(d.signal("shopping_for_gift")).isNull();
    assertThat(d.signal("cart_items").value()).isEqualTo(1.0);
    assertThat(decide(engine, Visit.builder("s1").build()).flags()).isEmpty();
  }

  // A StringBuilder is among the values on purpose: text that is not a String.
  @SuppressWarnings("UnnecessaryStringBuilder")
  static Stream<Arguments> wrongTypes() {
    Map<String, Object> map = new HashMap<>();
    map.put("a", 1);
    map.put(null, null);
    List<Object> selfContaining = new ArrayList<>();
    selfContaining.add("x");
    selfContaining.add(selfContaining);
    List<Object> endless =
        new AbstractList<>() {
          @Override
          public Object get(int index) {
            return index % 2 == 0 ? "x" + index : (Object) index;
          }

          @Override
          public int size() {
            return Integer.MAX_VALUE;
          }
        };
    return Stream.<Object>of(
            map,
            Map.of("k", List.of(1, 2)),
            List.of(1, 2, 3),
            List.of(1.5, Double.NaN),
            Arrays.asList(null, null, 7),
            new int[] {1, 2, 3},
            new double[] {Double.NaN},
            new char[] {'a', 'b'},
            new byte[8 * MB],
            new Object[] {1, new Object(), null},
            new Object[2 * MB],
            new Integer[] {1, 2},
            new Object(),
            new Hostile.Weird(),
            new Hostile.Weird[] {new Hostile.Weird()},
            List.of(new Hostile.Weird()),
            Optional.of("x"),
            new StringBuilder("price"),
            selfContaining,
            endless,
            Stream.of("x"),
            Instant.EPOCH,
            'c')
        // one argument each: JUnit would spread a bare Object[] over the parameters
        .map(v -> Arguments.of(v));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("extremeNumbers")
  void nonFiniteNegativeAndHugeNumbers_neverBreakTheDecision(Number n) {
    Visit visit =
        Visit.builder("s1")
            .profile("orders", n)
            .profile("lifetime_value", n)
            .profile("days_since_last_order", n)
            .declared("x_number", n)
            .event(Event.of("add_to_cart", Map.of("quantity", n, "price", n)))
            .event(Event.of("remove_from_cart", Map.of("quantity", n, "price", n)))
            .event(Event.of("purchase", Map.of("quantity", n, "price", n, "revenue", n)))
            .event(Event.of("add_to_cart", Map.of("quantity", n, "price", n)))
            .build();

    Decision d = decide(engine, visit);

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    double cart =
        (Double) Optional.ofNullable(d.signal("cart_items")).map(Signal::value).orElse(0.0);
    assertThat(cart).isBetween(0.0, 1000.0);
    boolean finite = Double.isFinite(n.doubleValue());
    if (!finite) {
      assertThat(d.signal("orders")).isNull();
      assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    }
    double q = n.doubleValue();
    if (!(q >= 1 && q <= 1000 && q == Math.rint(q))) {
      assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    }
  }

  static Stream<Number> extremeNumbers() {
    return Stream.of(
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        -0.0,
        0,
        -1,
        -3.5,
        1000.5,
        1001,
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        Double.MIN_VALUE,
        Float.NaN,
        Float.POSITIVE_INFINITY,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Integer.MIN_VALUE,
        new BigDecimal("1e400"),
        new BigDecimal("-1e400"),
        new BigInteger("9".repeat(1000)),
        new AtomicLong(Long.MAX_VALUE));
  }

  // ---- timestamps ----------------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("extremeInstants")
  void extremeTimestamps_onTheVisitAndOnEvents(Instant t) {
    List<Instant> all = extremeInstants().toList();
    for (Instant visitAt : List.of(t, Hostile.NOW)) {
      List<Event> events = new ArrayList<>();
      for (Instant at : all) {
        events.add(Event.builder("product_view").at(at).attribute("category", "c").build());
        events.add(Event.builder("add_to_cart").at(at).build());
      }
      Decision d = decide(engine, Visit.builder("s1").timestamp(visitAt).events(events).build());
      assertComplete(d, LIMITS);
      assertThat(d.isDefault()).isFalse();
    }
    for (Instant visitAt : all) {
      Decision d =
          decide(
              engine,
              Visit.builder("s1")
                  .timestamp(visitAt)
                  .event(Event.builder("view_reviews").at(t).build())
                  .build());
      assertComplete(d, LIMITS);
      assertThat(d.isDefault()).isFalse();
    }
  }

  static Stream<Instant> extremeInstants() {
    return Stream.of(
        Instant.MIN,
        Instant.MAX,
        Instant.EPOCH,
        Instant.EPOCH.minusNanos(1),
        Instant.parse("-100000-01-01T00:00:00Z"),
        Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("1900-01-01T00:00:00Z"),
        Instant.parse("+100000-01-01T00:00:00Z"),
        Instant.ofEpochMilli(Long.MAX_VALUE),
        Instant.ofEpochMilli(Long.MIN_VALUE),
        Instant.ofEpochSecond(1L << 52),
        Hostile.NOW.plusNanos(1),
        Hostile.NOW.plusSeconds(3600 * 24 * 365));
  }

  // ---- nesting and nulls ---------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("nestingDepths")
  void deeplyNestedValues_areRejectedWithoutRecursion(int depth) {
    Object nested = "leaf";
    for (int i = 0; i < depth; i++) {
      List<Object> list = new ArrayList<>();
      list.add(i % 2 == 0 ? Map.of("k", nested) : List.of(nested));
      nested = list;
    }
    Visit visit =
        Visit.builder("s1")
            .declared("interests", nested)
            .declared("priority", nested)
            .declared("x_nested", List.of(nested, "ok"))
            .declared("y_nested", new Object[] {nested})
            .profile("orders", nested)
            .profile("z_nested", nested)
            .event(Event.of("product_view", Map.of("category", nested, "brand", nested)))
            .event(Event.of("search", Map.of("query", nested, "sort", nested)))
            .build();

    Decision d = decide(engine, visit);

    assertComplete(d, LIMITS);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    assertThat(d.signal("x_nested").value()).isEqualTo(java.util.Set.of("ok"));
    assertThat(d.signal("priority")).isNull();
  }

  static Stream<Integer> nestingDepths() {
    return Stream.of(1_000, 100_000);
  }

  @Test
  void nullsEverywhereTheBuildersAcceptThem() {
    Map<String, String> nullHeaders = new HashMap<>();
    nullHeaders.put(null, "v");
    nullHeaders.put("User-Agent", null);
    Map<String, Object> nullAttrs = new HashMap<>();
    nullAttrs.put(null, "v");
    nullAttrs.put("category", null);
    for (String session : Arrays.asList(null, "", "s1")) {
      Visit visit =
          Visit.builder(session)
              .userId(null)
              .timestamp(null)
              .header(null, null)
              .header(null, "v")
              .header("Accept-Language", null)
              .headers(null)
              .headers(nullHeaders)
              .query((String) null, null)
              .query("utm_source", null)
              .query((Map<String, String>) null)
              .query(nullHeaders)
              .declared(null, null)
              .declared("interests", null)
              .declared((Map<String, ?>) null)
              .declared(nullAttrs)
              .profile(null, null)
              .profile("orders", null)
              .profile((Map<String, ?>) null)
              .profile(nullAttrs)
              .event(null)
              .events(null)
              .events(Arrays.asList(null, null))
              .event(Event.of(null))
              .event(Event.of(null, null))
              .event(Event.of("add_to_cart", nullAttrs))
              .event(
                  Event.builder(null)
                      .at(null)
                      .attribute(null, null)
                      .attribute("quantity", null)
                      .attributes(null)
                      .attributes(nullAttrs)
                      .build())
              .build();

      long rejectedBefore = engine.stats().rejectedInputs();

      Decision d = decide(engine, visit);

      assertComplete(d, LIMITS);
      assertThat(d.isDefault()).isEqualTo(!"s1".equals(session));
      // every null name (3 headers, 2 query parameters, 2 declared, 2 profile, 3 event
      // attributes) and every null event (3) is left out, counted and flagged
      assertThat(visit.problems()).hasSize("s1".equals(session) ? 15 : 16);
      assertThat(engine.stats().rejectedInputs() - rejectedBefore).isEqualTo(15);
      assertThat(d.flags()).contains(Decision.Flag.INPUT_REJECTED);
    }
    assertThat(decide(engine, null).isDefault()).isTrue();
    assertThat(engine.stats().defaultDecisions()).isEqualTo(3);
    assertThat(engine.stats().unknownEvents()).isEqualTo(3);
  }

  // ---- session ids and declared keys ---------------------------------------------------------

  @Test
  void hugeSessionIds_areRejectedCountedAndFlagged() {
    for (String id :
        List.of(
            "s".repeat(LIMITS.maxSessionIdLength() + 1), NASTY.repeat(1_000), "x".repeat(8 * MB))) {
      long truncatedBefore = engine.stats().truncatedInputs();

      Decision d = decide(engine, Visit.builder(id).event(Event.of("purchase")).build());

      assertComplete(d, LIMITS);
      assertThat(d.isDefault()).isTrue();
      assertThat(d.flags()).contains(Decision.Flag.INVALID_VISIT, Decision.Flag.INPUT_TRUNCATED);
      assertThat(engine.stats().truncatedInputs()).isEqualTo(truncatedBefore + 1);
      assertThat(store.bytes(id)).isZero();
    }
    assertThat(decide(engine, Visit.builder("s".repeat(256)).build()).isDefault()).isFalse();
  }

  @Test
  void declaredKeysPerVisitAndPerSession_areBounded() {
    int limit = LIMITS.maxDeclaredKeys();
    int[] sizes = new int[100];
    for (int v = 0; v < sizes.length; v++) {
      Visit.Builder b = Visit.builder("s1");
      for (int k = 0; k < 2 * limit; k++) {
        b.declared("k" + v + "_" + k, "value-" + "v".repeat(LIMITS.maxStringLength() * 4));
      }
      long truncatedBefore = engine.stats().truncatedInputs();

      Decision d = decide(engine, b.build());

      assertComplete(d, LIMITS);
      assertThat(d.flags()).contains(Decision.Flag.INPUT_TRUNCATED);
      assertThat(engine.stats().truncatedInputs()).isGreaterThan(truncatedBefore);
      assertThat(d.signals(SignalKind.EXPLICIT)).hasSize(limit);
      sizes[v] = store.bytes("s1");
    }
    assertThat(Arrays.stream(sizes).max().orElseThrow())
        .as("session bytes per visit: %s", Arrays.toString(sizes))
        // key names grow by a digit at visit 10; each visit's change id is kept, 32 at most
        .isLessThanOrEqualTo(sizes[0] + 2 * limit + 8 * SessionData.APPLIED_WINDOW)
        .isLessThan(limit * (LIMITS.maxStringLength() + 64) * 2);
  }

  // ---- memory --------------------------------------------------------------------------------

  @Test
  void aHostileRun_leavesTheEngineRetainingBoundedHeap() {
    decide(engine, Visit.builder("warm-up").header("User-Agent", "curl/8").build());
    long baseline = usedAfterGc();

    int sessions = 2_000;
    String padding = "x".repeat(100_000);
    for (int i = 0; i < sessions; i++) {
      List<Event> events = new ArrayList<>();
      for (int e = 0; e < 2 * LIMITS.maxEventsPerVisit(); e++) {
        events.add(
            Event.builder(e % 2 == 0 ? "product_view" : "event-" + i + "-" + e + NASTY)
                .attribute("category", "c" + i + "-" + e + padding.substring(0, 300))
                .attribute("brand", "b" + i + "-" + e + NASTY)
                .attribute("sku", "sku-" + i + "-" + e)
                .build());
      }
      Visit.Builder b =
          Visit.builder("s-" + i)
              .userId("u-" + i % 50)
              .header("User-Agent", IPHONE + i + padding) // not a bot: bots keep no state
              .header("Accept-Language", "pl-PL," + i + padding)
              .header("Referer", "https://h" + i + ".example/" + padding)
              .query("utm_campaign", i + padding)
              .events(events);
      for (int k = 0; k < 2 * LIMITS.maxDeclaredKeys(); k++) {
        b.declared("k" + i + "_" + k, "v" + padding.substring(0, 2 * LIMITS.maxStringLength()));
      }
      Decision d = decide(engine, b.build());
      assertComplete(d, LIMITS);
      assertThat(d.isDefault()).isFalse();
    }
    // measured before the store is read below; the store holds sessions up to its cap of 1,000
    long growth = usedAfterGc() - baseline;
    long stored = IntStream.range(0, sessions).filter(i -> store.bytes("s-" + i) > 0).count();

    System.out.printf(
        Locale.ROOT,
        "hostile requests: the engine retains %,d bytes more after %,d hostile sessions, %,d of"
            + " them stored (bound %d MiB)%n",
        growth,
        sessions,
        stored,
        MAX_RETAINED_GROWTH_MIB);
    assertThat(stored).isGreaterThanOrEqualTo(500);
    assertThat(growth).isLessThan(MAX_RETAINED_GROWTH_MIB * (long) MB);
    assertThat(engine.decide(Visit.builder("after").build()).isDefault()).isFalse();
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
