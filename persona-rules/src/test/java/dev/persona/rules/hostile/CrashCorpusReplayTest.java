package dev.persona.rules.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the crash corpus, {@code src/test/resources/dev/persona/rules/hostile/crashes/}: every
 * input that ever failed {@link RuleFileFuzzTest}'s property, plus hand-made nasty files, each read
 * with the same oracle ({@link HostileInputs}). A file whose name starts with {@code bug-} is a
 * known, reported parser bug: while it still reproduces it is skipped with its description (run
 * with {@code -Dpersona.hostile.strict=true} to see it fail); once it passes, the test passes and
 * says so, and the file should be renamed without the prefix.
 */
class CrashCorpusReplayTest {
  private static final String CORPUS = "/dev/persona/rules/hostile/crashes";

  /** The known bugs, by file-name prefix. */
  private static final Map<String, String> BUGS =
      Map.of(
          "bug-utf32-",
          "BUG: a file Jackson detects as UTF-32 (leading NUL bytes, or a UTF-32 BOM) holding a code"
              + " point above U+10FFFF makes RuleSetReader.read(Path) throw UncheckedIOException"
              + " (cause java.io.CharConversionException from Jackson's UTF32Reader, caught as an"
              + " IOException in RuleFiles.parse) instead of a RuleSetException with a position");

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
            "not-1000-deep.json");
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
            "not-1000-deep.json")) {
      assertThat(HostileInputs.readFile(dir.resolve(refused), 0))
          .as(refused)
          .isEqualTo(HostileInputs.Outcome.REFUSED);
    }
  }

  private static void replay(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (!name.startsWith("bug-") || HostileInputs.STRICT) {
      assertThat(HostileInputs.readFile(file, Files.size(file)))
          .as("%s hits a known bug; name it bug-...", name)
          .isNotEqualTo(HostileInputs.Outcome.KNOWN_BUG_UTF32);
      return;
    }
    String bug =
        BUGS.entrySet().stream()
            .filter(b -> name.startsWith(b.getKey()))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse("BUG: see the file " + name);
    HostileInputs.Outcome outcome;
    try {
      outcome = HostileInputs.readFile(file, Files.size(file));
    } catch (AssertionError e) {
      Assumptions.abort(bug + " (" + e.getMessage() + ")");
      return;
    }
    if (outcome == HostileInputs.Outcome.KNOWN_BUG_UTF32) {
      Assumptions.abort(bug);
    }
    System.out.println(
        "[crash corpus] " + name + " now passes: the bug looks fixed; drop the bug- prefix");
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
