package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RuleFileWatcherTest {

  @Test
  void changedFile_reloadsTheEngine_andABrokenOneKeepsThePreviousServing(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      replace(dir, file, rules("v2"));
      assertThat(eventually(() -> engine.ruleSet().version().equals("v2"))).isTrue();
      assertThat(engine.decide(Visit.builder("s").build()).ruleSetVersion()).isEqualTo("v2");

      replace(dir, file, "{\"version\": \"v3\", \"personas\": [");
      assertThat(eventually(() -> watcher.failures() == 1)).isTrue();
      assertThat(engine.ruleSet().version()).isEqualTo("v2");
      assertThat(watcher.lastFailure())
          .satisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RuleSetException.class)
                      .hasMessageContaining(file + ":1:"));

      Files.writeString(file, rules("v4"));
      // The watcher counts a reload after it swapped the engine's rules and cleared the failure;
      // the engine alone may already serve v4 a moment before the watcher's own state says so.
      assertThat(eventually(() -> watcher.reloads() == 2)).isTrue();
      assertThat(engine.ruleSet().version()).isEqualTo("v4");
      assertThat(watcher.lastFailure()).isNull();
    }
  }

  @Test
  void reloadNow_skipsAnUnchangedFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      assertThat(watcher.reloadNow()).isFalse();
      assertThat(watcher.reloads()).isZero();
    }
  }

  @Test
  void aThreeGigabyteFile_isRefusedBeforeItIsRead_andTheWatcherKeepsReloading(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      Path huge = dir.resolve("rules.json.tmp");
      try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
        sparse.setLength(3L << 30);
      }
      Files.move(huge, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      assertThat(watcher.reloadNow()).isFalse();
      assertThat(watcher.lastFailure())
          .hasMessageContaining("the file is " + (3L << 30) + " bytes; rule files may be at most");
      assertThat(eventually(() -> watcher.failures() >= 2)).isTrue();
      assertThat(engine.ruleSet().version()).isEqualTo("v1");

      replace(dir, file, rules("v2"));
      assertThat(eventually(() -> engine.ruleSet().version().equals("v2"))).isTrue();
      assertThat(watcher.isRunning()).isTrue();
    }
  }

  @Test
  void aWatcherWhoseDirectoryIsGone_saysItNoLongerRuns(@TempDir Path parent) throws Exception {
    Path dir = Files.createDirectory(parent.resolve("rules"));
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      assertThat(watcher.isRunning()).isTrue();
      Files.delete(file);
      Files.delete(dir);
      assertThat(eventually(() -> !watcher.isRunning())).isTrue();
    }
  }

  @Test
  void close_stopsTheWatcher(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    RuleFileWatcher watcher = RuleFileWatcher.start(file, engine);
    watcher.close();

    assertThat(watcher.isRunning()).isFalse();
  }

  @Test
  void reloadNow_compilesTheBytesItCompared_evenIfTheFileChangesBetween(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    RuleFileWatcher watcher = RuleFileWatcher.start(file, engine);
    watcher.close(); // only reloadNow below reads the file
    Files.writeString(file, rules("v2"));
    watcher.afterRead =
        () -> {
          try {
            Files.writeString(file, rules("v1"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };

    assertThat(watcher.reloadNow()).isTrue();
    assertThat(engine.ruleSet().version()).isEqualTo("v2");

    watcher.afterRead = () -> {};
    assertThat(watcher.reloadNow()).isTrue();
    assertThat(engine.ruleSet().version()).isEqualTo("v1");
    assertThat(watcher.reloadNow()).isFalse();
  }

  @Test
  void stats_showAFailingFileWithTheTimeAndReasonOfTheLatestFailure_untilItLoadsAgain(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      assertThat(watcher.stats().healthy()).isTrue();
      Instant before = Instant.now();
      replace(dir, file, "{\"version\": \"v2\", \"personas\": [");
      assertThat(eventually(() -> watcher.stats().failures() == 1)).isTrue();

      WatcherStats failing = watcher.stats();
      assertThat(failing.running()).isTrue();
      assertThat(failing.failing()).isTrue();
      assertThat(failing.healthy()).isFalse();
      assertThat(failing.lastFailure()).isNotNull().isAfterOrEqualTo(before);
      assertThat(failing.lastFailureReason()).contains(file + ":1:");
      assertThat(failing.lastReload()).isNull();

      replace(dir, file, rules("v3"));
      assertThat(eventually(() -> watcher.stats().reloads() == 1)).isTrue();
      WatcherStats healed = watcher.stats();
      assertThat(healed.healthy()).isTrue();
      assertThat(healed.failing()).isFalse();
      assertThat(healed.lastReload()).isAfterOrEqualTo(failing.lastFailure());
      assertThat(healed.lastFailure()).isEqualTo(failing.lastFailure());
    }
  }

  @Test
  void stats_countAnErrorThrownByAReload_andTheWatcherGoesOn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      watcher.afterRead =
          () -> {
            throw new AssertionError("a broken plugin");
          };
      replace(dir, file, rules("v2"));
      assertThat(eventually(() -> watcher.stats().failing())).isTrue();

      assertThat(watcher.stats().lastFailureReason()).contains("AssertionError");
      assertThat(watcher.stats().running()).isTrue();
      watcher.afterRead = () -> {};
      replace(dir, file, rules("v3"));
      assertThat(eventually(() -> watcher.stats().healthy())).isTrue();
      assertThat(engine.ruleSet().version()).isEqualTo("v3");
    }
  }

  @Test
  void stats_showAWatcherThatStoppedOnItsOwn_andWhy(@TempDir Path parent) throws Exception {
    Path dir = Files.createDirectory(parent.resolve("rules"));
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("v1"));
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(file)).build();

    try (RuleFileWatcher watcher = RuleFileWatcher.start(file, engine)) {
      Files.delete(file);
      Files.delete(dir);
      assertThat(eventually(() -> !watcher.stats().running())).isTrue();

      assertThat(watcher.stats().healthy()).isFalse();
      assertThat(watcher.stats().stopReason()).contains("can no longer be watched");
    }
    RuleFileWatcher closed = RuleFileWatcher.start(parent.resolve("other.json"), engine);
    closed.close();
    assertThat(closed.stats().running()).isFalse();
    assertThat(closed.stats().stopReason()).isNull();
  }

  /** Saves the way editors do: write a temporary file, then rename it over the original. */
  private static void replace(Path dir, Path file, String content) throws IOException {
    Path tmp = Files.writeString(dir.resolve("rules.json.tmp"), content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static String rules(String version) {
    return "{\"version\": \""
        + version
        + "\", \"personas\": [{\"id\": \"p\", \"name\": \"P\","
        + " \"threshold\": 0.5}], \"placements\": [{\"id\": \"home.hero\", \"variants\": [{\"id\":"
        + " \"d\", \"default\": true}]}]}";
  }
}
