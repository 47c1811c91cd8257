package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.redis.RedisSessionStore;
import dev.persona.redis.RedisStatsStore;
import dev.persona.spring.storefront.Storefront;
import dev.persona.testing.RedisServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the storefront, two application contexts on two loopback ports, with {@code
 * persona.redis.uri} set to one redis-server: a shopper who researched on one is a researcher on
 * the other, and each instance's health says whether Redis answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSessionsTest {
  private static RedisServer redis;
  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    first = instance();
    second = instance();
  }

  private static ConfigurableApplicationContext instance() {
    return new SpringApplicationBuilder(Storefront.class)
        .properties(
            "server.port=0",
            "persona.redis.uri=" + redis.uri(),
            "persona.redis.key-prefix=shop:",
            "persona.redis.command-timeout=1s") // a busy test machine is not a slow Redis
        .run();
  }

  @AfterAll
  static void stop() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
  }

  @Test
  @Order(1)
  void aShopperWhoResearchedOnOneInstance_isAResearcherOnTheOther() {
    Browser shopper = new Browser().research(port(first));

    String home = shopper.page(port(second), "/");

    assertThat(first.getBean(RedisSessionStore.class)).isNotNull();
    assertThat(first.getBean(RedisStatsStore.class)).isNotNull();
    assertThat(home).contains("review-highlights").contains("Top rated by our customers");
    assertThat(redis.keys()).anyMatch(k -> k.startsWith("shop:s:{"));
  }

  @Test
  @Order(2) // last: it stops Redis
  void health_saysWhetherRedisAnswers() {
    Map<String, Object> up =
        Json.parse(new Browser().page(port(second), "/actuator/health/persona"));
    redis.stop();
    HttpResponse<String> down;
    try {
      down = new Browser().get(port(second), "/actuator/health/persona");
    } finally {
      redis.startAgain();
    }
    Map<String, Object> downBody = Json.parse(down.body());

    assertThat(Json.text(up, "status")).isEqualTo("UP");
    assertThat(Json.text(up, "details", "sessionStore")).isEqualTo("reachable");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(Json.text(downBody, "status")).isEqualTo("DOWN");
    assertThat(Json.text(downBody, "details", "sessionStore")).isEqualTo("unreachable");
    assertThat(List.of(down.body())).noneMatch(b -> b.contains(redis.uri()));
  }
}
