package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A default engine starts no thread, not even a common-pool worker: checked in a fresh JVM, where
 * no other test has started the common pool before.
 */
final class NoThreadTest {
  @Test
  void defaultEngine_startsNoThread_inAFreshJvm() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(java.toString(), "-cp", classPath(), NoThreadTest.class.getName())
            .redirectErrorStream(true)
            .start();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(ended).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("started threads: []").contains("common pool workers: 0");
  }

  /** Builds and uses a default engine, then prints the threads that were started meanwhile. */
  public static void main(String[] args) {
    Set<String> before = liveThreadNames();
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    for (int i = 0; i < 200; i++) {
      Visit visit =
          Visit.builder("s" + (i % 20))
              .header(
                  "User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_" + i + " like Mac OS X)")
              .header("Accept-Language", "pl-PL")
              .event(Event.of("view_product"))
              .build();
      engine.decide(visit);
    }
    engine.close();
    Set<String> started = liveThreadNames();
    started.removeAll(before);
    System.out.println("started threads: " + List.copyOf(started));
    System.out.println("common pool workers: " + ForkJoinPool.commonPool().getPoolSize());
  }

  /** The test class path, with the engine's classes and its dependencies (on the module path). */
  private static String classPath() {
    StringBuilder path = new StringBuilder(System.getProperty("java.class.path"));
    for (Class<?> c :
        List.of(
            PersonaEngine.class,
            com.github.benmanes.caffeine.cache.Caffeine.class,
            org.slf4j.Logger.class)) {
      try {
        path.append(java.io.File.pathSeparator)
            .append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return path.toString();
  }

  private static Set<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }
}
