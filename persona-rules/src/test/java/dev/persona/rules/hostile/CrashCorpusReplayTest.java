package dev.persona.rules.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the crash corpus, {@code src/test/resources/dev/persona/rules/hostile/crashes/}: every
 * input that ever failed {@link RuleFileFuzzTest}'s property, plus hand-made nasty files, each read
 * with the same oracle ({@link HostileInputs}). There is no exemption: every file must load or be
 * refused with positions.
 */
class CrashCorpusReplayTest {
  private static final String CORPUS = "/dev/persona/rules/hostile/crashes";

  @TestFactory
  Stream<DynamicTest> everyCorpusFile_loadsOrIsRefusedWithPositions() throws IOException {
    return corpus().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(), file.toUri(), () -> replay(file)));
  }

  @Test
  void corpus_holdsTheHandMadeNastyFiles() throws IOException {
    List<String> names =
        corpus().stream().map(f -> f.getFileName().toString()).collect(Collectors.toList());

    assertThat(names)
        .contains(
            "deep-nesting-10000.json",
            "string-3mb.json",
            "invalid-utf8-key.json",
            "number-10000-digits.json",
            "bom-prefix.json",
            "nul-bytes.json",
            "not-1000-deep.json",
            "utf32-unsupported-byte-order.json");
  }

  @Test
  void handMadeFiles_endAsExpected() throws IOException {
    Path dir = corpusDir();

    assertThat(HostileInputs.readFile(dir.resolve("bom-prefix.json"), 0))
        .isEqualTo(HostileInputs.Outcome.LOADED);
    assertThat(HostileInputs.readFile(dir.resolve("not-60-deep.json"), 0))
        .isEqualTo(HostileInputs.Outcome.LOADED);
    for (String refused :
        List.of(
            "deep-nesting-10000.json",
            "string-3mb.json",
            "invalid-utf8-key.json",
            "number-10000-digits.json",
            "nul-bytes.json",
            "not-1000-deep.json",
            "utf32-unsupported-byte-order.json",
            "utf32-unsupported-byte-order-short.json")) {
      assertThat(HostileInputs.readFile(dir.resolve(refused), 0))
          .as(refused)
          .isEqualTo(HostileInputs.Outcome.REFUSED);
    }
  }

  private static void replay(Path file) throws IOException {
    assertThat(HostileInputs.readFile(file, Files.size(file)))
        .isIn(HostileInputs.Outcome.LOADED, HostileInputs.Outcome.REFUSED);
  }

  private static List<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(corpusDir())) {
      List<Path> all = files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      assertThat(all).isNotEmpty();
      return all;
    }
  }

  private static Path corpusDir() {
    URL url = Objects.requireNonNull(CrashCorpusReplayTest.class.getResource(CORPUS), CORPUS);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
