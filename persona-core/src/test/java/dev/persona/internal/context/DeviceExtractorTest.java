package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.Visit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        "Java-http-client/17.0.15",
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
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36 Hotjar",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0"
            + " Safari/537.36 Siteimprove.com",
        "Mozilla/5.0 (X11; Datanyze; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/65.0.3325.181 Safari/537.36",
        "Mozilla/5.0",
        "my-script"
      })
  void recognizesBots(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("bot");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ai_agent | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ChatGPT-User/1.0;"
            + " +https://openai.com/bot",
        "ai_agent | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; OAI-SearchBot/1.0;"
            + " +https://openai.com/searchbot",
        "ai_agent | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0;"
            + " +Claude-User@anthropic.com)",
        "ai_agent | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible;"
            + " Perplexity-User/1.0; +https://perplexity.ai/perplexity-user)",
        "ai_agent | Mozilla/5.0 (compatible; AmazonBuyForMe; +https://www.amazon.com/)",
        "crawler | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2;"
            + " +https://openai.com/gptbot)",
        "crawler | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0;"
            + " +claudebot@anthropic.com)",
        "crawler | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "crawler | Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "crawler | Mozilla/5.0 (compatible; SomeNewCrawler/1.0)",
        "crawler | Scrapy/2.11.2 (+https://scrapy.org)",
        "crawler | python-requests/2.32.3 examplebot/1.0",
        "crawler | my-script",
        "preview | facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "preview | Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "preview | Twitterbot/1.0",
        "preview | WhatsApp/2.23.20.0 A",
        "preview | LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "preview | Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "monitor | Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "monitor | Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "monitor | Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML,"
            + " like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
        "http_client | curl/8.5.0",
        "http_client | python-requests/2.32.3",
        "http_client | Go-http-client/2.0",
        "http_client | Apache-HttpClient/5.3 (Java/17.0.2)",
        "http_client | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " HeadlessChrome/125.0.0.0 Safari/537.36"
      })
  void tellsTheKindOfABot(String kind, String userAgent) {
    assertThat(signals(userAgent)).containsOnly(entry("device", "bot"), entry("bot_kind", kind));
  }

  @Test
  void aHeadlessBrandAloneIsAnHttpClientAndAPersonHasNoBotKind() {
    assertThat(
            RecordingSink.run(
                extractor,
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA", "\"HeadlessChrome\";v=\"125\", \"Chromium\";v=\"125\"")
                    .header("Sec-CH-UA-Mobile", "?0")
                    .build()))
        .containsOnly(entry("device", "bot"), entry("bot_kind", "http_client"));
    assertThat(signals(WINDOWS_CHROME))
        .containsEntry("device", "desktop")
        .doesNotContainKey("bot_kind");
    assertThat(signals(IPHONE)).doesNotContainKey("bot_kind");
  }

  @Test
  void anAgentSigningAsChatGpt_isAnAiAgent_whateverBrowserItNames() {
    assertThat(
            RecordingSink.run(
                extractor,
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Sec-CH-UA-Mobile", "?0")
                    .header("Signature-Agent", "\"https://chatgpt.com\"")
                    .build()))
        .containsOnly(entry("device", "bot"), entry("bot_kind", "ai_agent"));
    assertThat(
            RecordingSink.run(
                extractor,
                Visit.builder("s")
                    .header("User-Agent", WINDOWS_CHROME)
                    .header("Signature-Agent", "\"https://signer.example\"")
                    .build()))
        .containsEntry("device", "desktop")
        .doesNotContainKey("bot_kind");
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
  void reportsOsBrowserAndInAppHost() {
    assertThat(signals(IPHONE))
        .containsExactly(
            Map.entry("device", "mobile"), Map.entry("os", "ios"), Map.entry("browser", "safari"));
    assertThat(signals(WINDOWS_CHROME))
        .containsEntry("os", "windows")
        .containsEntry("browser", "chrome");
    assertThat(signals(MAC_SAFARI)).containsEntry("os", "macos").containsEntry("browser", "safari");
    assertThat(signals(IPAD)).containsEntry("os", "ios").containsEntry("browser", "chrome");
    assertThat(
            signals(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67"))
        .containsEntry("browser", "edge");
    assertThat(
            signals(
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"))
        .containsEntry("browser", "samsung")
        .containsEntry("os", "android");
    assertThat(
            signals(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0"))
        .containsEntry("browser", "opera");
    assertThat(signals("Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"))
        .containsEntry("os", "linux")
        .containsEntry("browser", "firefox");
    assertThat(
            signals(
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/125.0.0.0 Safari/537.36"))
        .containsEntry("os", "chromeos");
    assertThat(signals(WINDOWS_CHROME)).doesNotContainKey("app");
    assertThat(signals(GOOGLEBOT)).containsOnlyKeys("device", "bot_kind");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "instagram|Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,2; iOS 17_5;"
            + " en_US; en; scale=3.00; 1179x2556; 606139290)",
        "facebook|Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240605.024; wv)"
            + " AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile"
            + " Safari/537.36 [FB_IAB/FB4A;FBAV/468.1.0.56.78;]",
        "facebook|Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/468.0.0.48.107;FBBV/60979;]",
        "tiktok|Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv)"
            + " AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.147 Mobile"
            + " Safari/537.36 musical_ly_2023405030 JsSdk/1.0 NetType/WIFI Channel/googleplay"
            + " AppName/musical_ly app_version/34.5.3 ByteLocale/en BytedanceWebview/d8a21c6",
        "snapchat|Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Mobile/15E148 Snapchat/13.1.0.34 (like Safari/8617.1.17.10.9,"
            + " panda)",
        "wechat|Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI"
            + " Language/zh_CN"
      })
  void recognizesInAppBrowsers(String expectedAndUserAgent) {
    int bar = expectedAndUserAgent.indexOf('|');
    Map<String, Object> signals = signals(expectedAndUserAgent.substring(bar + 1));

    assertThat(signals).containsEntry("app", expectedAndUserAgent.substring(0, bar));
    assertThat(signals).containsEntry("device", "mobile").containsEntry("browser", "other");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (Linux; Android 11; SM-T225N) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/97.0.4692.87 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; TB-X505F) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/89.0.4389.90 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; arm_64; Android 12; TGR-W09) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.6367.508 YaSearchBrowser/24.65/apad Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; AGS3-L09) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; 23043RP34G) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; KFMAWI) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Silk/120.3.1 like Chrome/120.0.6099.230 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 11; 9137W) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/112.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; U; Android 4.2.2; TESLA Gravity 9.7 SHD Build/JDQ39)"
            + " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.87 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux like Android; en_US) AppleWebKit/534.34 PocketBook/650 (screen"
            + " 758x1024; FW E650.5.0.329) Mobile",
        "Mozilla/5.0 (Linux; U; Android 2.3.4; en-us; Kobo Touch Build/GRJ22) AppleWebKit/533.1"
            + " (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1",
        "Mozilla/5.0 (Linux; Android 4.4.2; TM-7055HD Build/KOT49H) AppleWebKit/537.36 (KHTML,"
            + " like Gecko) Chrome/40.0.2214.89 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 6.0; PLT7045K) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/70.0.3538.110 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; SUPRA M143G) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/90.0.4430.91 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 7.0; TPC_7031G) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/80.0.3987.99 Mobile Safari/537.36",
        "Android 4.2.2;AppleWebKit/534.30;Build/JDQ39;TAQ-70192 Build/JDQ39",
        "Mozilla/5.0 (Linux; U; Android 2.3.4; en-gb; HTC Flyer P512 Build/GRJ22)"
            + " AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1"
      })
  void recognizesTabletsWhoseUserAgentSaysMobile(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("tablet");
  }

  private static String android(String model, String browser) {
    return "Mozilla/5.0 (Linux; Android 10; "
        + model
        + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
        + browser;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "TB128FU", // Lenovo Tab M10, a TB code without a dash
        "Lenovo TB350FU",
        "LG-V520", // LG G Pad
        "AT7-B", // Toshiba Excite
        "DL1010Q", // Digiland
        "MFC149EN", // Lexibook
        "QS0728C", // two letters, 07 inches, two digits, a letter
        "RC1011B",
        "U65GT", // Cube
        "T40_EEA", // Teclast-style codes with a region suffix
        "P30S_ROW",
        "Kids Mobi 8 LTE", // a screen size, then a cellular word
        "Xtab 10 4G",
        "AN8G3", // Arnova
        "Viva_H7", // Allview Viva
        "Numy 3G Ruby" // Ainol Numy
      })
  void recognizesTabletLinesByTheirModelCodes(String model) {
    assertThat(device(android(model, "Mobile Safari/537.36"))).isEqualTo("tablet");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "LGV36", // an LG V phone, not an LG-V G Pad
        "ATOM", // a name, not Toshiba's AT and a digit
        "5033D_EEA", // Alcatel's phones start with four digits
        "P780_ROW", // a phone's three-digit number
        "Nova 8i",
        "Redmi Note 8 Pro",
        "Star7 3G", // the size is not a word of its own
        "Moto G(8) Power",
        "UMX U683CL" // U and digits without GT
      })
  void keepsPhonesWhoseModelCodesLookLikeTablets(String model) {
    assertThat(device(android(model, "Mobile Safari/537.36"))).isEqualTo("mobile");
  }

  @Test
  void anAndroidVersionWhereTheModelWouldBeIsNotAScreenSize() {
    assertThat(device("Deezer/5.4.22.54 (Android; 7.0; Mobile; fr) WIKO HARRY"))
        .isEqualTo("mobile");
    assertThat(device("Mozilla/5.0 (Linux; Android; 10.1; Mobile) AppleWebKit/537.36"))
        .isEqualTo("mobile");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " 76.0.3809.146/6.0 TV Safari/537.36",
        "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
        "Mozilla/5.0 (Linux; Android 11; SHIELD Android TV Build/RQ1A.210105.003; wv)"
            + " AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile"
            + " Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; AFTMM) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Silk/120.2.3 like Chrome/120.0.6099.230 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; Chromecast) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36 CrKey/1.56.500000",
        "Mozilla/5.0 (Linux; U; Android 9; MIBOX4 Build/PI) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Tizen 2.3; SmartHub; SMART-TV; SmartTV; U; Maple2012)"
            + " AppleWebKit/538.1+ (KHTML, like Gecko) TV Safari/538.1+",
        "HbbTV/1.5.1 (+DRM; Panasonic; VIERA 2019; 3.000; ; ; )",
        "Roku/DVP-12.0 (12.0.0.4182-88)",
        "AppleTV11,1/11.1",
        "Mozilla/5.0 (PlayStation 4 11.00) AppleWebKit/601.2 (KHTML, like Gecko)",
        "Mozilla/5.0 (PlayStation 5 4.03) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML,"
            + " like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131",
        "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko)"
            + " NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393"
      })
  void tvsStreamingBoxesAndHomeConsolesAreDesktops(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (PlayStation Vita 3.74) AppleWebKit/537.73 (KHTML, like Gecko) Silk/3.2",
        "Mozilla/5.0 (New Nintendo 3DS like iPhone) AppleWebKit/536.30 (KHTML, like Gecko)"
            + " NX/3.0.0.5.24 Mobile NintendoBrowser/1.12.10178.EU"
      })
  void handheldConsolesArePhones(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("mobile");
  }

  @Test
  void puffinNamesItsDevice_whateverPlatformItsUserAgentShows() {
    String desktopLike =
        "Mozilla/5.0 (X11; U; Linux x86_64; en-us) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/69.0.3497.100 Safari/537.36 Puffin/";
    assertThat(device(desktopLike + "9.7.2.51367AP")).isEqualTo("mobile");
    assertThat(device(desktopLike + "9.7.2.51367AT")).isEqualTo("tablet");
    assertThat(device(desktopLike + "9.7.2.51367IT")).isEqualTo("tablet");
    assertThat(device(desktopLike + "9.7.2.51367WD")).isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Lynx/2.9.0dev.12 libwww-FM/2.14 SSL-MM/1.4.1 GNUTLS/3.7.8",
        "w3m/0.5.3+git20230121",
        "ELinks/0.16.1.1 (textmode; Linux 6.1.0-18-amd64 x86_64; 200x50-2)",
        "Links (2.29; Linux 6.1.0-18-amd64 x86_64; GNU C 12.2; text)"
      })
  void textModeBrowsersAreDesktopsNotBots(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("desktop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (Linux; Android 13; SM-F926W) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/110.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; U; Android 4.2.1; zh-cn; Coolpad8720Q Build/JOP40D)"
            + " AppleWebKit/537.36 (KHTML, like Gecko)Version/4.0 MQQBrowser/5.0 Mobile"
            + " Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; 5024D_EEA) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/100.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; Nokia 7.2) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/100.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 5.1; TM-5571 Build/LMY47I) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/60.0.3112.116 Mobile Safari/537.36",
        "dv(iPh12,1);pr(UCBrowser/11.3.5.1203);ov(16_1);ss(414x896);bt(GJ);pm(0);bv(0);nm(0);"
            + "im(0);nt(1);"
      })
  void keepsPhonesThatLookLikeTablets(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("mobile");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (Linux; Android 7.1.1; HP EliteBook 8470p) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/77.0.3865.92 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; Latitude E4310) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/84.0.4147.89 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; Lenovo IdeaPad 320-15IKB) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/84.0.4147.89 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; Vostro 3500) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/84.0.4147.89 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; To be filled by O.E.M.) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/84.0.4147.89 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; VirtualBox) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/84.0.4147.89 Safari/537.36"
      })
  void recognizesLaptopsRunningAndroid(String userAgent) {
    assertThat(device(userAgent)).isEqualTo("desktop");
  }

  @Test
  void modelHintWinsOverUserAgent() {
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", ANDROID_PHONE)
                    .header("Sec-CH-UA-Mobile", "?1")
                    .header("Sec-CH-UA-Platform", "\"Android\"")
                    .header("Sec-CH-UA-Model", "\"SM-X200\"")))
        .isEqualTo("tablet");
    assertThat(
            device(
                Visit.builder("s")
                    .header("User-Agent", ANDROID_PHONE)
                    .header("Sec-CH-UA-Mobile", "?1")
                    .header("Sec-CH-UA-Model", "\"Pixel 8\"")))
        .isEqualTo("mobile");
  }

  @Test
  void hintsDecideOsAndBrowser() {
    Map<String, Object> signals =
        RecordingSink.run(
            extractor,
            Visit.builder("s")
                .header("User-Agent", ANDROID_PHONE)
                .header("Sec-CH-UA-Mobile", "?0")
                .header("Sec-CH-UA-Platform", "\"Windows\"")
                .header(
                    "Sec-CH-UA",
                    "\"Microsoft Edge\";v=\"125\", \"Chromium\";v=\"125\","
                        + " \"Not.A/Brand\";v=\"24\"")
                .build());

    assertThat(signals)
        .containsEntry("device", "desktop")
        .containsEntry("os", "windows")
        .containsEntry("browser", "edge");
  }

  @Test
  void classifiesHostile100KbUserAgents() {
    DeviceExtractor unbounded = new DeviceExtractor(200_000, 10);
    StringBuilder hostile = new StringBuilder("Mozilla/5.0 (Linux; Android 10; ");
    Random random = new Random(3);
    String pieces = "(;) a-Android 9.7 bot/ tab SM-T KF @ mobi . _ 1 ";
    while (hostile.length() < 100_000) {
      int at = random.nextInt(pieces.length() - 4);
      hostile.append(pieces, at, at + 1 + random.nextInt(4));
    }
    List<String> agents =
        List.of(
            hostile.toString(),
            "(".repeat(100_000),
            "Android ".repeat(12_500),
            "bot".repeat(33_000),
            "a@".repeat(50_000),
            ";".repeat(100_000),
            "Mozilla/5.0 (Linux; Android 10; " + "9.".repeat(50_000));
    for (String userAgent : agents) {
      Visit visit = Visit.builder("s").header("User-Agent", userAgent).build();

      assertThat(RecordingSink.run(unbounded, visit).get("device"))
          .isIn("mobile", "tablet", "desktop", "bot");
    }
  }

  private Map<String, Object> signals(String userAgent) {
    return RecordingSink.run(extractor, Visit.builder("s").header("User-Agent", userAgent).build());
  }

  @Test
  void declaresContextualTexts() {
    assertThat(extractor.name()).isEqualTo("device");
    assertThat(extractor.signals())
        .extracting(s -> s.key())
        .containsExactly("device", "os", "browser", "app", "bot_kind");
    assertThat(extractor.signals())
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.type()).isEqualTo(SignalType.TEXT);
            });
  }
}
