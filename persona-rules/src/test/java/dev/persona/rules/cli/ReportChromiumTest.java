package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a 100,000-decision log renders in headless Chromium (Debian's {@code chromium},
 * which {@code .ci/run} installs) with every chart drawn and no script error. Skipped where
 * Chromium is not installed. {@code -Dpersona.report.dir=DIR} keeps the log, report and screenshot
 * in DIR.
 */
final class ReportChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path temp;

  @Test
  void aReportOf100000Decisions_rendersInHeadlessChromium_everyChartDrawn()
      throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM);
    String keep = System.getProperty("persona.report.dir");
    Path dir = keep == null ? temp : Files.createDirectories(Path.of(keep));
    Path rules = Cli.write(dir, "rules.json", ReportLogs.rules("chromium-test"));
    Path log = dir.resolve("decisions.jsonl");
    Files.deleteIfExists(log); // a log is appended to; a kept one from an earlier run is replaced
    ReportLogs.write(rules, log, 100_000, 240, false);
    Path report = dir.resolve("report.html");

    Cli r = Cli.run("report", "--out", report.toString(), log.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("from 100,000 decisions");
    Path png = dir.resolve("report.png");
    Files.deleteIfExists(png);
    Run shot = chromium(dir, "--screenshot=" + png, "--window-size=1280,4000", report);
    assertThat(png).as(shot.err).exists();
    assertThat(Files.size(png)).isGreaterThan(20_000);
    Run dom = chromium(dir, "--dump-dom", report);
    List<String[]> charts = ReportCommandTest.charts(dom.out);
    assertThat(charts.stream().map(c -> c[0]).toList())
        .as(dom.err)
        .containsAll(ReportCommandTest.CHARTS);
    for (String[] c : charts) {
      assertThat(c[1]).as(c[0]).contains("class=\"point\"");
    }
    assertThat(shot.err + dom.err).doesNotContain("Uncaught").doesNotContain(":ERROR:CONSOLE");
  }

  private record Run(String out, String err) {}

  private Run chromium(Path dir, String what, Path report)
      throws IOException, InterruptedException {
    return chromium(dir, what, null, report);
  }

  private Run chromium(Path dir, String what, String size, Path report)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                "--user-data-dir=" + Files.createTempDirectory(temp, "chromium"),
                what));
    if (size != null) {
      command.add(size);
    }
    command.add(report.toUri().toString());
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + command);
    }
    return new Run(
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
