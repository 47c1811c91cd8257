package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.persona.redis.RedisSessionStore;
import dev.persona.redis.RedisStatsStore;
import dev.persona.spring.storefront.Storefront;
import dev.persona.testing.RedisServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the storefront, two application contexts on two loopback ports, with {@code
 * persona.redis.uri} set to one redis-server: a shopper who researched on one is a researcher on
 * the other, and each instance's health says whether Redis answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSessionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
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
    return ((WebServerApplicationContext) context).getWebServer().getPort();
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
  void health_saysWhetherRedisAnswers() throws Exception {
    JsonNode up = JSON.readTree(new Browser().page(port(second), "/actuator/health/persona"));
    redis.stop();
    HttpResponse<String> down;
    try {
      down = new Browser().get(port(second), "/actuator/health/persona");
    } finally {
      redis.startAgain();
    }
    JsonNode downBody = JSON.readTree(down.body());

    assertThat(up.path("status").asText()).isEqualTo("UP");
    assertThat(up.path("details").path("sessionStore").asText()).isEqualTo("reachable");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(downBody.path("status").asText()).isEqualTo("DOWN");
    assertThat(downBody.path("details").path("sessionStore").asText()).isEqualTo("unreachable");
    assertThat(List.of(down.body())).noneMatch(b -> b.contains(redis.uri()));
  }
}
