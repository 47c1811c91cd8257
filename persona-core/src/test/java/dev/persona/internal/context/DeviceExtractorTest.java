package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.Visit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class DeviceExtractorTest {

  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  private static final String IPAD =
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1";
  private static final String ANDROID_PHONE =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/125.0.0.0 Mobile Safari/537.36";
  private static final String ANDROID_TABLET =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/125.0.0.0 Safari/537.36";
  private static final String WINDOWS_CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/125.0.0.0 Safari/537.36";
  private static final String MAC_SAFARI =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.5 Safari/605.1.15";
  private static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  private final DeviceExtractor extractor = new DeviceExtractor(1024, 100);

  private String device(Visit.Builder visit) {
    return (String) RecordingSink.run(extractor, visit.build()).get("device");
  }

  private String device(String userAgent) {
    return device(Visit.builder("s").header("User-Agent", userAgent));
  }

  @Test
  void classifiesCommonBrowsers() {
    assertThat(device(IPHONE)).isEqualTo("mobile");
    assertThat(device(ANDROID_PHONE)).isEqualTo("mobile");
    assertThat(device(IPAD)).isEqualTo("tablet");
    assertThat(device(ANDROID_TABLET)).isEqualTo("tablet");
    assertThat(device(WINDOWS_CHROME)).isEqualTo("desktop");
    assertThat(device(MAC_SAFARI)).isEqualTo("desktop");
    assertThat(device("Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"))
        .isEqualTo("desktop");
    assertThat(
            device(
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/125.0.0.0 Safari/537.36"))
        .isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_8 like Mac OS X) AppleWebKit/605.1.15",
        "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en)"
            + " Presto/2.5.25 Version/10.54",
        "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
        "Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko)"
            + " Version/7.1.0.346 Mobile Safari/534.11+",
        "Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0",
        "Nokia6300/2.0 (05.00) Profile/MIDP-2.0 Configuration/CLDC-1.1",
        "Mozilla/5.0 (Linux; Android 8.1.0; CUBOT J3 PRO) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/80.0.3987.99 Mobile Safari/537.36",
        "Dalvik/2.1.0 (Linux; U; Android 11; SM-A125F Build/RP1A.200720.012)"
      })
  void recognizesPhones(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("mobile");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Silk/124.2.1 like Chrome/124.0.6367.179 Safari/537.36",
        "Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; KFTT Build/IML74K) AppleWebKit/535.19"
            + " (KHTML, like Gecko) Silk/3.4 Mobile Safari/535.19 Silk-Accelerated=true",
        "Mozilla/5.0 (PlayBook; U; RIM Tablet OS 2.1.0; en-US) AppleWebKit/536.2+ (KHTML, like"
            + " Gecko) Version/7.2.1.0 Safari/536.2+",
        "Mozilla/5.0 (Android 14; Tablet; rv:126.0) Gecko/126.0 Firefox/126.0",
        "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/125.0.0.0 Safari/537.36"
      })
  void recognizesTablets(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("tablet");
  }

  @Test
  void treatsTabletPcAsDesktop() {
    assertThat(
            device(
                "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; Tablet PC"
                    + " 2.0)"))
        .isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        GOOGLEBOT,
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML,"
            + " like Gecko) Chrome/125.0.6422.175 Mobile Safari/537.36 (compatible; Googlebot/2.1;"
            + " +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Python-urllib/3.12",
        "okhttp/4.12.0",
        "Go-http-client/2.0",
        "Java/17.0.2",
        "Apache-HttpClient/5.3 (Java/17.0.2)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " HeadlessChrome/125.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1"
            + " Safari/538.1",
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "GOOGLEBOT/2.1",
        "Mozilla/5.0 (compatible; SomeNewCrawler/1.0)",
        "Mozilla/5.0",
        "my-script"
      })
  void recognizesBots(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("bot");
  }

  @Test
  void readsTheUserAgentHeaderCaseInsensitively() {
    assertThat(device(Visit.builder("s").header("user-agent", IPHONE))).isEqualTo("mobile");
    assertThat(device(Visit.builder("s").header("USER-AGENT", GOOGLEBOT))).isEqualTo("bot");
  }

  @Test
  void mobileHintWinsOverUserAgent() {
    Visit.Builder visit =
        Visit.builder("s").header("User-Agent", WINDOWS_CHROME).header("Sec-CH-UA-Mobile", "?1");

    assertThat(device(visit)).isEqualTo("mobile");
  }

  @Test
  void notMobileHintMeansDesktopUnlessTabletIsIndicated() {
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", IPHONE)
                    .header("Sec-CH-UA-Mobile", "?0")
                    .header("Sec-CH-UA-Platform", "\"macOS\"")))
        .isEqualTo("desktop");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", ANDROID_TABLET)
                    .header("Sec-CH-UA-Mobile", "?0")))
        .isEqualTo("tablet");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA-Mobile", "?0")
                    .header("Sec-CH-UA-Platform", "\"Android\"")))
        .isEqualTo("tablet");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA-Mobile", " ?0 ")
                    .header("Sec-CH-UA-Platform", "\"Windows\"")))
        .isEqualTo("desktop");
  }

  @Test
  void platformHintAloneDecidesBetweenHandheldAndDesktop() {
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", ANDROID_PHONE)
                    .header("Sec-CH-UA-Platform", "\"Windows\"")))
        .isEqualTo("desktop");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA-Platform", "\"Android\"")))
        .isEqualTo("mobile");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", ANDROID_TABLET)
                    .header("Sec-CH-UA-Platform", "Android")))
        .isEqualTo("tablet");
  }

  @Test
  void hintsWorkWithoutAUserAgent() {
    assertThat(device(Visit.builder("s").header("Sec-CH-UA-Mobile", "?1"))).isEqualTo("mobile");
    assertThat(
            device(
                Visit.builder("s")
                    .header("Sec-CH-UA-Mobile", "?0")
                    .header("Sec-CH-UA-Platform", "\"Linux\"")))
        .isEqualTo("desktop");
    assertThat(device(Visit.builder("s").header("Sec-CH-UA-Platform", "\"Unknown\""))).isNull();
  }

  @Test
  void botUserAgentOrHeadlessBrandWinsOverHints() {
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", GOOGLEBOT)
                    .header("Sec-CH-UA-Mobile", "?1")))
        .isEqualTo("bot");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA", "\"HeadlessChrome\";v=\"125\", \"Chromium\";v=\"125\"")
                    .header("Sec-CH-UA-Mobile", "?0")
                    .header("Sec-CH-UA-Platform", "\"Linux\"")))
        .isEqualTo("bot");
  }

  @ParameterizedTest
  @ValueSource(strings = {"?2", "yes", "", "1", "?1?1"})
  void ignoresMalformedMobileHints(String hint) {
    Visit.Builder visit =
        Visit.builder("s").header("User-Agent", WINDOWS_CHROME).header("Sec-CH-UA-Mobile", hint);

    assertThat(device(visit)).isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\r\n"})
  void emitsNothingWithoutUserAgentOrHints(String userAgent) {
    assertThat(device(userAgent)).isNull();
    assertThat(device(Visit.builder("s"))).isNull();
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void readsOnlyTheFirstMaxHeaderLengthCharacters() {
    String userAgent = WINDOWS_CHROME + " " + "a".repeat(1 << 20) + " Googlebot/2.1";

    assertThat(device(userAgent)).isEqualTo("desktop");
    assertThat(device(Visit.builder("s").header("Sec-CH-UA-Mobile", "?1" + " ".repeat(1 << 20))))
        .isEqualTo("mobile");
  }

  @Test
  void neverThrowsOnGarbage() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(300)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = (char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x10000));
      }
      String garbage = new String(chars);
      Visit.Builder visit =
          Visit.builder("s")
              .header("User-Agent", garbage)
              .header("Sec-CH-UA-Mobile", random.nextBoolean() ? garbage : null)
              .header("Sec-CH-UA-Platform", random.nextBoolean() ? garbage : null);

      assertThat(device(visit)).isIn(null, "mobile", "tablet", "desktop", "bot");
    }
  }

  @Test
  void cachesWithoutChangingResults() throws Exception {
    DeviceExtractor cached = new DeviceExtractor(1024, 2);
    DeviceExtractor uncached = new DeviceExtractor(1024, 0);
    List<String> agents = List.of(IPHONE, IPAD, ANDROID_PHONE, WINDOWS_CHROME, GOOGLEBOT);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    Visit visit =
                        Visit.builder("s")
                            .header("User-Agent", agents.get(i % agents.size()))
                            .build();
                    if (!RecordingSink.run(cached, visit)
                        .equals(RecordingSink.run(uncached, visit))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatIllegalArgumentException().isThrownBy(() -> new DeviceExtractor(0, 10));
    assertThatIllegalArgumentException().isThrownBy(() -> new DeviceExtractor(10, -1));
  }

  @Test
  void declaresAContextualText() {
    assertThat(extractor.name()).isEqualTo("device");
    assertThat(extractor.signals())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.key()).isEqualTo("device");
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }

  @Test
  void meetsAccuracyTargetsOnLabelledUserAgents() throws IOException {
    Path dir = sharedUserAgentDir();
    DeviceExtractor classifier = new DeviceExtractor(2048, 10_000);

    double totalWeight = 0;
    double correctWeight = 0;
    int browsers = 0;
    int browsersCalledBots = 0;
    for (String[] row : rows(dir.resolve("browsers.tsv"), 4)) {
      double weight = Double.parseDouble(row[2]);
      String got = classify(classifier, row[3]);
      totalWeight += weight;
      correctWeight += row[0].equals(got) ? weight : 0;
      browsers++;
      browsersCalledBots += "bot".equals(got) ? 1 : 0;
    }
    int bots = 0;
    int botsFound = 0;
    for (String[] row : rows(dir.resolve("bots.tsv"), 2)) {
      bots++;
      botsFound += "bot".equals(classify(classifier, row[1])) ? 1 : 0;
    }
    int longTail = 0;
    int longTailCorrect = 0;
    Path longTailFile = dir.resolve("longtail.tsv");
    if (Files.isRegularFile(longTailFile)) {
      for (String[] row : rows(longTailFile, 2)) {
        longTail++;
        longTailCorrect += row[0].equals(classify(classifier, row[1])) ? 1 : 0;
      }
    }

    double accuracy = correctWeight / totalWeight;
    double recall = (double) botsFound / bots;
    double falseBots = (double) browsersCalledBots / browsers;
    System.out.printf(
        "device: weighted accuracy %.2f%% on %d browsers, bot recall %.2f%% on %d bots,"
            + " false bots %.2f%%, long-tail accuracy %.2f%% on %d%n",
        100 * accuracy,
        browsers,
        100 * recall,
        bots,
        100 * falseBots,
        longTail == 0 ? Double.NaN : 100.0 * longTailCorrect / longTail,
        longTail);
    assertThat(browsers).as("browsers.tsv rows").isGreaterThan(1000);
    assertThat(bots).as("bots.tsv rows").isGreaterThan(500);
    assertThat(accuracy)
        .as("weighted device accuracy on browsers.tsv")
        .isGreaterThanOrEqualTo(0.97);
    assertThat(recall).as("bot recall on bots.tsv").isGreaterThanOrEqualTo(0.90);
    assertThat(falseBots).as("share of browsers called bots").isLessThanOrEqualTo(0.01);
  }

  private static String classify(DeviceExtractor classifier, String userAgent) {
    Visit visit = Visit.builder("s").header("User-Agent", userAgent).build();
    return (String) RecordingSink.run(classifier, visit).get("device");
  }

  private static Path sharedUserAgentDir() {
    String shared = System.getProperty("persona.shared.dir");
    if (shared == null || shared.isBlank()) {
      fail(
          "System property persona.shared.dir is not set; Maven sets it to ../shared, or pass"
              + " -Dpersona.shared.dir=/path/to/shared");
    }
    Path dir = Path.of(shared, "data", "user-agents");
    for (String file : List.of("browsers.tsv", "bots.tsv")) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        fail("Labelled user agent data not found: " + dir.resolve(file).toAbsolutePath());
      }
    }
    return dir;
  }

  private static List<String[]> rows(Path file, int columns) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        String[] row = line.split("\t", columns);
        assertThat(row).as("row of %s: %s", file.getFileName(), line).hasSize(columns);
        rows.add(row);
      }
    }
    return rows;
  }
}
