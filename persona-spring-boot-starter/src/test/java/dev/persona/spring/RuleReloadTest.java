package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.rules.RuleSetReader;
import dev.persona.spring.storefront.Storefront;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The storefront with {@code persona.rules.file}: an edited rule file is served without a restart,
 * a broken edit leaves the rules in use serving, and Actuator reports both.
 */
@SpringBootTest(
    classes = Storefront.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RuleReloadTest {
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("rules.json");
  private static final String DEFAULT_RULES = defaultRules();

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void ruleFile(DynamicPropertyRegistry registry) throws IOException {
    Files.writeString(FILE, DEFAULT_RULES.replace("default-2026.12", "shop-1"));
    registry.add("persona.rules.file", FILE::toString);
  }

  @Test
  void anEditedRuleFile_isServed_andABrokenOne_leavesTheRulesInUseServing() throws Exception {
    Browser shopper = new Browser();
    assertThat(shopper.page(port, "/")).contains("New season, new favourites");

    write(
        DEFAULT_RULES
            .replace("default-2026.12", "shop-2")
            .replace("New season, new favourites", "Winter is here"));
    String edited = await(() -> shopper.page(port, "/"), page -> page.contains("Winter is here"));
    Map<String, Object> reloaded = await(this::health, h -> Json.number(h, "rulesReloads") == 1);

    write("{\"version\": \"shop-3\", \"personas\": [");
    Map<String, Object> failed =
        await(this::health, h -> Json.number(h, "rulesReloadFailures") == 1);
    String afterFailure = shopper.page(port, "/");
    String failures = shopper.page(port, "/actuator/metrics/persona.rules.reload.failures");

    assertThat(edited).contains("Winter is here");
    assertThat(Json.text(reloaded, "ruleSetVersion")).isEqualTo("shop-2");
    assertThat(Json.text(failed, "ruleSetVersion")).isEqualTo("shop-2");
    assertThat(Json.text(failed, "rulesLastFailureReason")).contains("rules.json");
    assertThat(afterFailure).contains("Winter is here");
    assertThat(Json.measurement(failures, "COUNT")).isEqualTo(1.0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> health() {
    Map<String, Object> h = Json.parse(new Browser().page(port, "/actuator/health/persona"));
    assertThat(Json.text(h, "status")).as("the persona health").isEqualTo("UP");
    return (Map<String, Object>) h.get("details");
  }

  /** Writes the rule file as an editor that saves by renaming would. */
  private static void write(String json) throws IOException {
    Path tmp = DIR.resolve("rules.tmp");
    Files.writeString(tmp, json);
    Files.move(tmp, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Polls until the value passes, for at most 20 seconds: the watcher reloads in the background.
   */
  private static <T> T await(Supplier<T> value, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    T v = value.get();
    while (!done.test(v) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      v = value.get();
    }
    return v;
  }

  private static Path tempDir() {
    try {
      // deleted at exit, after Spring's shutdown hook closed the watcher that watches it
      Path dir = Files.createTempDirectory("persona-spring-rules");
      dir.toFile().deleteOnExit();
      for (String name : new String[] {"rules.json", "rules.tmp"}) {
        dir.resolve(name).toFile().deleteOnExit(); // runs before the directory's
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String defaultRules() {
    try (InputStream in =
        RuleSetReader.class.getClassLoader().getResourceAsStream(RuleSetReader.DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no default rules");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
