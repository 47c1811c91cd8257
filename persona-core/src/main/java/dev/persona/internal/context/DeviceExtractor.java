package dev.persona.internal.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Classifies the requesting device as mobile, tablet, desktop or bot, with its OS and browser
 * families and the in-app browser's host app, from User-Agent and client hints ({@code
 * Sec-CH-UA-Mobile}, {@code Sec-CH-UA-Platform}, {@code Sec-CH-UA-Model}, {@code Sec-CH-UA}), which
 * win over the User-Agent. A bot gets only {@code device = bot} and its {@code bot_kind}: {@code
 * crawler}, {@code ai_agent} (an assistant fetching or shopping for a person), {@code preview} (a
 * link preview), {@code monitor} or {@code http_client}. An AI agent that signs its requests (Web
 * Bot Auth) and names itself in {@code Signature-Agent}, as ChatGPT's agent does, is an {@code
 * ai_agent} whatever browser its User-Agent names.
 *
 * <p>User-Agent classifications are cached (bounded Caffeine cache keyed on the truncated header),
 * with the last few hundred short ones also in a table read without writing shared memory.
 */
public final class DeviceExtractor implements BuiltInExtractor {

  static final String MOBILE = UserAgentClassifier.MOBILE;
  static final String TABLET = UserAgentClassifier.TABLET;
  static final String DESKTOP = UserAgentClassifier.DESKTOP;
  static final String BOT = UserAgentClassifier.BOT;

  private static final String KEY = "device";
  private static final String OS = "os";
  private static final String BROWSER = "browser";
  private static final String APP = "app";
  private static final String BOT_KIND = "bot_kind";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Device class: mobile, tablet, desktop or bot"),
          new SignalSpec(
              OS,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "OS family: ios, android, windows, macos, linux, chromeos or other"),
          new SignalSpec(
              BROWSER,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Browser family: chrome, safari, firefox, edge, samsung, opera or other"),
          new SignalSpec(
              APP,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "In-app browser host, such as instagram, facebook or tiktok"),
          new SignalSpec(
              BOT_KIND,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "For bots: crawler, ai_agent, preview, monitor or http_client"));

  private static final String[] DESKTOP_PLATFORMS = {
    "windows", "macos", "mac os x", "linux", "chrome os", "chromeos", "chromium os", "fuchsia",
  };

  private final int maxHeaderLength;
  private final Cache<String, UserAgentTraits> cache;

  /** The last few User-Agents, read without a write to shared memory, before the cache. */
  private final RecentValues<UserAgentTraits> recent;

  /**
   * Creates the extractor.
   *
   * @param maxHeaderLength characters read of each header, positive
   * @param cacheSize the most User-Agent classifications kept, zero or more; zero for no cache
   */
  public DeviceExtractor(int maxHeaderLength, long cacheSize) {
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must not be negative: " + cacheSize);
    }
    // maintenance runs on the calling thread: a default engine starts no thread, not even one of
    // the common pool, which is Caffeine's default executor
    this.cache =
        cacheSize == 0
            ? null
            : Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
    this.recent =
        cacheSize == 0
            ? null
            : new RecentValues<>(ua -> cache.get(ua, UserAgentClassifier::classify));
  }

  @Override
  public String name() {
    return "device";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (visit == null) {
      return;
    }
    String userAgent = HeaderText.header(visit, "user-agent", maxHeaderLength);
    UserAgentTraits traits =
        userAgent == null || userAgent.isBlank()
            ? null
            : recent == null ? UserAgentClassifier.classify(userAgent) : recent.get(userAgent);
    String fromUserAgent = traits == null ? null : traits.device();
    Boolean mobileHint =
        parseMobileHint(HeaderText.header(visit, "sec-ch-ua-mobile", maxHeaderLength));
    String platformHint = unquote(HeaderText.header(visit, "sec-ch-ua-platform", maxHeaderLength));
    String modelHint = unquote(HeaderText.header(visit, "sec-ch-ua-model", maxHeaderLength));
    String brands = HeaderText.header(visit, "sec-ch-ua", maxHeaderLength);
    String device =
        mobileHint == null && platformHint == null && modelHint == null
            ? fromUserAgent
            : combine(fromUserAgent, mobileHint, platformHint, modelHint, brands);
    String signature = HeaderText.header(visit, "signature-agent", maxHeaderLength);
    if (signature != null && UserAgentClassifier.isAiAgentSignature(signature)) {
      // an agent that signs its requests (ChatGPT agent) browses with a browser's User-Agent
      sink.text(KEY, BOT);
      sink.text(BOT_KIND, UserAgentClassifier.AI_AGENT);
      return;
    }
    if (device == null) {
      return;
    }
    sink.text(KEY, device);
    if (BOT.equals(device)) {
      // a bot by the User-Agent has its kind; one by a headless brand alone is automation
      sink.text(
          BOT_KIND,
          traits != null && traits.botKind() != null
              ? traits.botKind()
              : UserAgentClassifier.HTTP_CLIENT);
      return;
    }
    String os = platformHint == null ? null : osFromPlatform(platformHint);
    if (os == null && traits != null) {
      os = traits.os();
    }
    if (os != null) {
      sink.text(OS, os);
    }
    String browser = brands == null ? null : browserFromBrands(brands);
    if (browser == null && traits != null) {
      browser = traits.browser();
    }
    if (browser != null) {
      sink.text(BROWSER, browser);
    }
    if (traits != null && traits.app() != null) {
      sink.text(APP, traits.app());
    }
  }

  /** Lets client hints decide between phone, tablet and desktop; a bot stays a bot. */
  private static String combine(
      String fromUserAgent, Boolean mobileHint, String platform, String model, String brands) {
    if (BOT.equals(fromUserAgent) || contains(brands, "headless")) {
      return BOT;
    }
    String fromModel = model == null ? null : AndroidModels.device(model);
    if (TABLET.equals(fromModel)) {
      return TABLET;
    }
    boolean android = "android".equals(platform);
    boolean ios = "ios".equals(platform) || "ipados".equals(platform);
    if (mobileHint != null) {
      if (mobileHint) {
        return MOBILE;
      }
      return TABLET.equals(fromUserAgent) || android ? TABLET : DESKTOP;
    }
    if (android || ios) {
      return TABLET.equals(fromUserAgent) ? TABLET : MOBILE;
    }
    if (platform != null) {
      for (String desktop : DESKTOP_PLATFORMS) {
        if (desktop.equals(platform)) {
          return DESKTOP;
        }
      }
    }
    if (fromModel != null && fromUserAgent == null) {
      return fromModel;
    }
    return fromUserAgent;
  }

  private static String osFromPlatform(String platform) {
    return switch (platform) {
      case "android" -> "android";
      case "ios", "ipados" -> "ios";
      case "windows" -> "windows";
      case "macos", "mac os x" -> "macos";
      case "linux" -> "linux";
      case "chrome os", "chromeos", "chromium os" -> "chromeos";
      default -> null;
    };
  }

  /** Reads the browser family off the {@code Sec-CH-UA} brand list, or null when unclear. */
  private static String browserFromBrands(String brands) {
    String lower = UserAgentClassifier.asciiLowerCase(brands);
    if (lower.contains("microsoft edge")) {
      return "edge";
    }
    if (lower.contains("opera")) {
      return "opera";
    }
    if (lower.contains("samsung internet")) {
      return "samsung";
    }
    if (lower.contains("google chrome")) {
      return "chrome";
    }
    return null;
  }

  private static boolean contains(String value, String lowerCaseToken) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(lowerCaseToken);
  }

  private static Boolean parseMobileHint(String value) {
    if (HeaderText.trimmedEquals(value, "?1")) {
      return Boolean.TRUE;
    }
    if (HeaderText.trimmedEquals(value, "?0")) {
      return Boolean.FALSE;
    }
    return null;
  }

  /** Strips quotes and blanks from a structured-header string and lower-cases it. */
  private static String unquote(String value) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1).trim();
    }
    return text.isEmpty() ? null : UserAgentClassifier.asciiLowerCase(text);
  }

  /**
   * Classifies a non-blank User-Agent on its own, without the cache.
   *
   * @param userAgent the header value, already truncated
   * @return one of {@code mobile}, {@code tablet}, {@code desktop}, {@code bot}
   */
  static String classifyUserAgent(String userAgent) {
    return UserAgentClassifier.device(userAgent);
  }
}
