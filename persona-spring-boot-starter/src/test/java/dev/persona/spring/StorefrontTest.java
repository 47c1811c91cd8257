package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import dev.persona.spring.storefront.Storefront;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The test storefront, a real Spring Boot application on a loopback port with the starter's
 * defaults: pages depend on the shopper's persona, the session cookie is set with secure defaults,
 * exposures are recorded when a template shows a variant, and Actuator serves Persona's health and
 * meters.
 */
@SpringBootTest(
    classes = Storefront.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorefrontTest {
  @Value("${local.server.port}")
  int port;

  @Autowired PersonaEngine engine;

  @Test
  void aResearcher_getsTheReviewsVariant_onTheTemplateAndThroughTheController() {
    Browser shopper = new Browser().research(port);

    String home = shopper.page(port, "/");
    String hero = shopper.page(port, "/hero");

    assertThat(home)
        .contains("review-highlights")
        .contains("Top rated by our customers")
        .contains("researcher");
    assertThat(hero).isEqualTo("review-highlights for researcher");
  }

  @Test
  void aNewVisitor_andAResearcherSendingSecGpc_getTheDefault_andGpcDropsTheSession() {
    Browser researcher = new Browser().research(port);

    assertThat(new Browser().page(port, "/hero")).isEqualTo("new-season for null");
    assertThat(researcher.page(port, "/hero", "Sec-GPC", "1")).isEqualTo("new-season for null");
    assertThat(researcher.page(port, "/hero"))
        .as("Sec-GPC dropped the session's stored behaviour")
        .isEqualTo("new-season for null");
  }

  @Test
  void theSessionCookie_isSetWhenAbsent_withSecureDefaults_andKeptAfter() {
    Browser shopper = new Browser();

    shopper.page(port, "/hero");
    String id = shopper.sessionId();
    String cookie = shopper.lastSetCookie();
    shopper.page(port, "/hero");

    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(cookie)
        .contains("Max-Age=1800")
        .contains("Path=/")
        .contains("Secure")
        .contains("HttpOnly")
        .contains("SameSite=Lax");
    assertThat(shopper.sessionId()).as("renewed, not replaced").isEqualTo(id);
  }

  @Test
  void aCookieThatIsNoSessionId_isReplaced() {
    Browser shopper = new Browser().withSession("x;<script>");

    shopper.page(port, "/hero");

    assertThat(shopper.sessionId()).matches("[0-9a-f]{32}");
  }

  @Test
  void excludedPaths_getNoDecisionAndNoCookie() {
    Browser shopper = new Browser();
    long before = engine.stats().decisions();

    HttpResponse<String> health = shopper.get(port, "/actuator/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(shopper.lastSetCookie()).isNull();
    assertThat(engine.stats().decisions()).isEqualTo(before);
  }

  @Test
  void showingAVariant_recordsOneExposure_andDecidingAlone_none() {
    Browser shopper = new Browser().research(port);
    String id = shopper.sessionId();

    shopper.page(port, "/hero"); // decided, not shown
    shopper.page(port, "/shown"); // product.badge shown once
    shopper.page(port, "/shown");

    assertThat(id).isNotNull();
    assertThat(engine.variantStats())
        .filteredOn(s -> s.placement().equals("product.badge"))
        .extracting(VariantStats::variant, VariantStats::segment, VariantStats::exposures)
        .contains(tuple("rating-summary", "researcher", 2L));
    assertThat(engine.variantStats())
        .filteredOn(s -> s.placement().equals("home.hero") && "researcher".equals(s.segment()))
        .extracting(VariantStats::exposures)
        .allMatch(n -> n == 0L);
  }

  @Test
  void actuator_servesHealthAndMeters() {
    Browser shopper = new Browser();
    shopper.page(port, "/hero");
    shopper.page(port, "/search?q=" + "x".repeat(300)); // longer than persona.limits

    Map<String, Object> health = Json.parse(shopper.page(port, "/actuator/health/persona"));
    String decisions = shopper.page(port, "/actuator/metrics/persona.decisions");
    String decide = shopper.page(port, "/actuator/metrics/persona.decide");
    String truncated =
        shopper.page(port, "/actuator/metrics/persona.decision.flags?tag=flag:input_truncated");

    assertThat(Json.text(health, "status")).isEqualTo("UP");
    assertThat(Json.text(health, "details", "ruleSetVersion")).isEqualTo("default-2026.12");
    assertThat(Json.text(health, "details", "sessionStore")).isEqualTo("in-memory");
    assertThat(Json.measurement(decisions, "COUNT"))
        .isGreaterThanOrEqualTo(2)
        .isLessThanOrEqualTo((double) engine.stats().decisions());
    assertThat(Json.measurement(decide, "COUNT")).isGreaterThanOrEqualTo(2);
    assertThat(Json.measurement(decide, "TOTAL_TIME")).isPositive();
    assertThat(Json.measurement(truncated, "COUNT")).isGreaterThanOrEqualTo(1);
  }
}
