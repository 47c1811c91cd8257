package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The third-party data the tests read lives in the repository, so that a plain clone builds without
 * the project's sibling {@code ../shared}: each data file has its license next to it and is named
 * in the top-level NOTICE.
 */
final class BundledDataTest {

  @Test
  void everyLabelledDataFile_hasItsLicense_andIsNamedInTheNotice() throws Exception {
    Path readme = Path.of(DeviceAccuracyTest.class.getResource("user-agents/README.md").toURI());
    String notice = Files.readString(Path.of("..", "NOTICE"));
    List<Path> data = files(readme.getParent(), ".tsv");

    assertThat(data).hasSize(3);
    for (Path f : data) {
      String name = f.getFileName().toString();
      Path license = f.resolveSibling("LICENSE-" + name.substring(0, name.length() - 4));
      assertThat(license).as("license of %s", name).isRegularFile();
      assertThat(Files.size(license)).as("size of %s", license.getFileName()).isPositive();
      assertThat(notice).as("NOTICE").contains(name, license.getFileName().toString());
    }
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
