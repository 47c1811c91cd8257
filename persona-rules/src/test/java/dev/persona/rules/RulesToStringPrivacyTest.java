package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No {@code toString} of persona-rules's public types shows an id, as {@code ToStringPrivacyTest}
 * checks for persona-core: every public type of {@code dev.persona.rules} has an instance here,
 * made while an engine on the default rules and a rule-file watcher serve requests with planted
 * session, user and order ids. A new public type fails the test until it has one.
 */
final class RulesToStringPrivacyTest {
  private static final String SESSION = "planted-session-7f3a";
  private static final String USER = "planted-user-91c2";
  private static final String ORDER = "planted-order-5d0e";

  @Test
  void noPublicTypesToString_showsAnId(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    try (var in = RuleSetReader.class.getResourceAsStream("/" + RuleSetReader.DEFAULT_RESOURCE)) {
      Files.write(file, in.readAllBytes());
    }
    RuleSetReader reader = RuleSetReader.create();
    PersonaEngine engine = PersonaEngine.builder().ruleSet(reader.read(file)).build();
    List<Object> shown = new ArrayList<>();
    Set<String> ids = new TreeSet<>(List.of(SESSION, USER, ORDER));
    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      Visit visit =
          Visit.builder(SESSION)
              .userId(USER)
              .declared("consent", "granted")
              .event(Event.builder("product_view").attribute("product", USER).build())
              .event(Event.builder("purchase").attribute("order_id", ORDER).build())
              .build();
      engine.decide(visit);
      Decision decision = engine.decide(visit);
      ids.add(decision.id());
      decision.variants().values().forEach(c -> shown.add(c.content()));
      Files.writeString(file, "{\"version\": \"broken\", \"personas\": [");
      watcher.reloadNow();
      shown.add(watcher);
      shown.add(watcher.stats());
      shown.add(reader);
      shown.add(WatcherStats.builder().reloads(1, Instant.EPOCH));
    }
    shown.removeIf(o -> o == null);

    for (Object o : shown) {
      assertThat(o.toString()).as("toString of %s", o.getClass().getName()).doesNotContain(ids);
    }
    assertThat(shown).anyMatch(JsonContent.class::isInstance);
    Set<String> unchecked = new TreeSet<>();
    for (Class<?> type : publicTypes()) {
      if (!type.isEnum() && shown.stream().noneMatch(type::isInstance)) {
        unchecked.add(type.getName());
      }
    }
    assertThat(unchecked).as("public types of dev.persona.rules not checked here").isEmpty();
  }

  /** The public types of the exported package, nested ones included. */
  private static List<Class<?>> publicTypes() throws Exception {
    Path classes =
        Path.of(RuleSetReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes.resolve("dev/persona/rules"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String file = f.getFileName().toString();
        if (file.equals("package-info.class")) {
          continue;
        }
        Class<?> type = Class.forName("dev.persona.rules." + file.substring(0, file.length() - 6));
        if (isPublic(type)) {
          types.add(type);
        }
      }
    }
    return types;
  }

  private static boolean isPublic(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }
}
