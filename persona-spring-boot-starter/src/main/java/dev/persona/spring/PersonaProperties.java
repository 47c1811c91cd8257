package dev.persona.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings under {@code persona} in {@code application.yml}, grouped by concern: the rule set,
 * how requests are read, sessions, experiments, limits, the session cookie and Redis. Each has the
 * engine's own default; docs/spring-boot.md lists them all.
 *
 * <p>Not thread-safe: Spring binds it once at start-up; the starter reads it then.
 *
 * @since 0.5.0
 */
@ConfigurationProperties("persona")
public class PersonaProperties {
  /** Whether the starter configures Persona at all. */
  private boolean enabled = true;

  /**
   * Whether the engine uses a session's stored behaviour only after the shopper declared consent
   * granted (opt-in regimes).
   */
  private boolean requireConsent;

  private final Rules rules = new Rules();
  private final Context context = new Context();
  private final Sessions sessions = new Sessions();
  private final Experiments experiments = new Experiments();
  private final Limits limits = new Limits();
  private final Web web = new Web();
  private final Cookie cookie = new Cookie();
  private final Redis redis = new Redis();

  /** Returns whether the starter configures Persona. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the starter configures Persona. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns whether stored behaviour needs declared consent. */
  public boolean isRequireConsent() {
    return requireConsent;
  }

  /** Sets whether stored behaviour needs declared consent. */
  public void setRequireConsent(boolean requireConsent) {
    this.requireConsent = requireConsent;
  }

  /** Returns the rule-set settings. */
  public Rules getRules() {
    return rules;
  }

  /** Returns how requests are read. */
  public Context getContext() {
    return context;
  }

  /** Returns the session settings. */
  public Sessions getSessions() {
    return sessions;
  }

  /** Returns the experiment settings. */
  public Experiments getExperiments() {
    return experiments;
  }

  /** Returns the input and session limits. */
  public Limits getLimits() {
    return limits;
  }

  /** Returns the servlet filter's settings. */
  public Web getWeb() {
    return web;
  }

  /** Returns the session cookie's settings. */
  public Cookie getCookie() {
    return cookie;
  }

  /** Returns the Redis settings. */
  public Redis getRedis() {
    return redis;
  }

  /** Where the rule set comes from. Not thread-safe: bound once, at start-up. */
  public static class Rules {
    /**
     * The JSON rule file; without one, the built-in default rule set (seven shopper personas, the
     * placements home.hero, product.badge, cart.message and email.subject).
     */
    private @Nullable Path file;

    /**
     * Whether the engine reloads the rule file when it changes; a file that does not load is logged
     * and the rule set in use keeps serving.
     */
    private boolean watch = true;

    /** Returns the rule file, or null for the default rule set. */
    public @Nullable Path getFile() {
      return file;
    }

    /** Sets the rule file. */
    public void setFile(@Nullable Path file) {
      this.file = file;
    }

    /** Returns whether the rule file is reloaded when it changes. */
    public boolean isWatch() {
      return watch;
    }

    /** Sets whether the rule file is reloaded when it changes. */
    public void setWatch(boolean watch) {
      this.watch = watch;
    }
  }

  /**
   * How the built-in signal extractors read a request. Not thread-safe: bound once, at start-up.
   */
  public static class Context {
    /** The store's time zone, for the daypart, weekday and season signals. */
    private ZoneId timeZone = ZoneId.of("UTC");

    /**
     * The store's own hosts: a referral from one is traffic_source internal (the request's Host
     * always is).
     */
    private List<String> siteHosts = new ArrayList<>();

    /** Returns the store's time zone. */
    public ZoneId getTimeZone() {
      return timeZone;
    }

    /** Sets the store's time zone. */
    public void setTimeZone(ZoneId timeZone) {
      this.timeZone = timeZone;
    }

    /** Returns the store's own hosts. */
    public List<String> getSiteHosts() {
      return siteHosts;
    }

    /** Sets the store's own hosts. */
    public void setSiteHosts(List<String> siteHosts) {
      this.siteHosts = siteHosts;
    }
  }

  /**
   * Where sessions live and how long their behaviour counts. Not thread-safe: bound once, at
   * start-up.
   */
  public static class Sessions {
    /**
     * The most sessions kept in memory, least recently used forgotten first; unused with a shared
     * store such as Redis.
     */
    private long maxSessions = 100_000;

    /** How long a session may be idle before it is forgotten; also the Redis key's time to live. */
    private Duration idleTimeout = Duration.ofMinutes(30);

    /** How old behaviour is when it counts half. */
    private Duration halfLife = Duration.ofHours(1);

    /** Returns the most sessions kept in memory. */
    public long getMaxSessions() {
      return maxSessions;
    }

    /** Sets the most sessions kept in memory. */
    public void setMaxSessions(long maxSessions) {
      this.maxSessions = maxSessions;
    }

    /** Returns the idle timeout. */
    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    /** Sets the idle timeout. */
    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    /** Returns the half-life of behaviour. */
    public Duration getHalfLife() {
      return halfLife;
    }

    /** Sets the half-life of behaviour. */
    public void setHalfLife(Duration halfLife) {
      this.halfLife = halfLife;
    }
  }

  /** Experiments and the holdout. Not thread-safe: bound once, at start-up. */
  public static class Experiments {
    /**
     * The share of visitors, in [0, 1), who always see every placement's default: the baseline for
     * the lift of personalization.
     */
    private double holdout = 0.0;

    /** How long after an exposure a purchase or add to cart is credited to it. */
    private Duration attributionWindow = Duration.ofMinutes(30);

    /** Returns the holdout share. */
    public double getHoldout() {
      return holdout;
    }

    /** Sets the holdout share. */
    public void setHoldout(double holdout) {
      this.holdout = holdout;
    }

    /** Returns the attribution window. */
    public Duration getAttributionWindow() {
      return attributionWindow;
    }

    /** Sets the attribution window. */
    public void setAttributionWindow(Duration attributionWindow) {
      this.attributionWindow = attributionWindow;
    }
  }

  /**
   * What the engine takes from one request and keeps for one session. Not thread-safe: bound once,
   * at start-up.
   */
  public static class Limits {
    /** Events per visit; later ones are dropped. */
    private int maxEventsPerVisit = 100;

    /** Characters of a string value; longer ones are cut. */
    private int maxStringLength = 256;

    /** Characters of a header (or of a query parameter) the built-in extractors read. */
    private int maxHeaderLength = 2_048;

    /** Declared keys per visit and per session. */
    private int maxDeclaredKeys = 32;

    /** Elements of a set value. */
    private int maxSetSize = 32;

    /** Categories and brands tracked per session (at most 255). */
    private int maxAffinityKeys = 16;

    /** Characters of a session id; a longer one gets the default decision. */
    private int maxSessionIdLength = 256;

    /** Characters of a user id; a longer one is left out. */
    private int maxUserIdLength = 256;

    /** Characters of an outcome id (at least 128). */
    private int maxOutcomeIdLength = 256;

    /** Returns the events per visit. */
    public int getMaxEventsPerVisit() {
      return maxEventsPerVisit;
    }

    /** Sets the events per visit. */
    public void setMaxEventsPerVisit(int maxEventsPerVisit) {
      this.maxEventsPerVisit = maxEventsPerVisit;
    }

    /** Returns the characters of a string value. */
    public int getMaxStringLength() {
      return maxStringLength;
    }

    /** Sets the characters of a string value. */
    public void setMaxStringLength(int maxStringLength) {
      this.maxStringLength = maxStringLength;
    }

    /** Returns the characters of a header read. */
    public int getMaxHeaderLength() {
      return maxHeaderLength;
    }

    /** Sets the characters of a header read. */
    public void setMaxHeaderLength(int maxHeaderLength) {
      this.maxHeaderLength = maxHeaderLength;
    }

    /** Returns the declared keys. */
    public int getMaxDeclaredKeys() {
      return maxDeclaredKeys;
    }

    /** Sets the declared keys. */
    public void setMaxDeclaredKeys(int maxDeclaredKeys) {
      this.maxDeclaredKeys = maxDeclaredKeys;
    }

    /** Returns the elements of a set. */
    public int getMaxSetSize() {
      return maxSetSize;
    }

    /** Sets the elements of a set. */
    public void setMaxSetSize(int maxSetSize) {
      this.maxSetSize = maxSetSize;
    }

    /** Returns the affinity keys. */
    public int getMaxAffinityKeys() {
      return maxAffinityKeys;
    }

    /** Sets the affinity keys. */
    public void setMaxAffinityKeys(int maxAffinityKeys) {
      this.maxAffinityKeys = maxAffinityKeys;
    }

    /** Returns the characters of a session id. */
    public int getMaxSessionIdLength() {
      return maxSessionIdLength;
    }

    /** Sets the characters of a session id. */
    public void setMaxSessionIdLength(int maxSessionIdLength) {
      this.maxSessionIdLength = maxSessionIdLength;
    }

    /** Returns the characters of a user id. */
    public int getMaxUserIdLength() {
      return maxUserIdLength;
    }

    /** Sets the characters of a user id. */
    public void setMaxUserIdLength(int maxUserIdLength) {
      this.maxUserIdLength = maxUserIdLength;
    }

    /** Returns the characters of an outcome id. */
    public int getMaxOutcomeIdLength() {
      return maxOutcomeIdLength;
    }

    /** Sets the characters of an outcome id. */
    public void setMaxOutcomeIdLength(int maxOutcomeIdLength) {
      this.maxOutcomeIdLength = maxOutcomeIdLength;
    }
  }

  /** The servlet filter that decides once per request. Not thread-safe: bound once, at start-up. */
  public static class Web {
    /** Whether a servlet filter decides for each request. */
    private boolean enabled = true;

    /**
     * The request headers passed to the engine: those its built-in extractors read. Cookies and
     * credentials are never passed unless listed here.
     */
    private List<String> headers = new ArrayList<>(DEFAULT_HEADERS);

    /** Whether the query string's parameters (utm_*, click ids) are passed to the engine. */
    private boolean queryParameters = true;

    /**
     * Whether the authenticated principal's name (HttpServletRequest.getUserPrincipal) is the
     * visit's user id.
     */
    private boolean userIdFromPrincipal = true;

    /**
     * Request paths (Ant patterns) the filter does not decide for: assets, Actuator and error
     * pages.
     */
    private List<String> excludePaths = new ArrayList<>(DEFAULT_EXCLUDED);

    /** The filter's order; after Spring Security's (-100), so that the principal is known. */
    private int filterOrder;

    /** Returns whether the filter decides. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the filter decides. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Returns the header allowlist. */
    public List<String> getHeaders() {
      return headers;
    }

    /** Sets the header allowlist. */
    public void setHeaders(List<String> headers) {
      this.headers = headers;
    }

    /** Returns whether query parameters are passed. */
    public boolean isQueryParameters() {
      return queryParameters;
    }

    /** Sets whether query parameters are passed. */
    public void setQueryParameters(boolean queryParameters) {
      this.queryParameters = queryParameters;
    }

    /** Returns whether the principal's name is the user id. */
    public boolean isUserIdFromPrincipal() {
      return userIdFromPrincipal;
    }

    /** Sets whether the principal's name is the user id. */
    public void setUserIdFromPrincipal(boolean userIdFromPrincipal) {
      this.userIdFromPrincipal = userIdFromPrincipal;
    }

    /** Returns the excluded path patterns. */
    public List<String> getExcludePaths() {
      return excludePaths;
    }

    /** Sets the excluded path patterns. */
    public void setExcludePaths(List<String> excludePaths) {
      this.excludePaths = excludePaths;
    }

    /** Returns the filter's order. */
    public int getFilterOrder() {
      return filterOrder;
    }

    /** Sets the filter's order. */
    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }
  }

  /** The headers the built-in extractors read. */
  static final List<String> DEFAULT_HEADERS =
      List.of(
          "User-Agent",
          "Referer",
          "Host",
          "X-Forwarded-Host",
          "Accept-Language",
          "Sec-GPC",
          "DNT",
          "Save-Data",
          "Sec-CH-UA",
          "Sec-CH-UA-Mobile",
          "Sec-CH-UA-Model",
          "Sec-CH-UA-Platform",
          "Signature-Agent",
          "CF-IPCountry",
          "CF-Region-Code",
          "CF-Timezone",
          "CloudFront-Viewer-Country",
          "CloudFront-Viewer-Country-Region",
          "CloudFront-Viewer-Time-Zone",
          "X-Country-Code",
          "X-Region-Code");

  /** Paths no decision is made for by default. */
  static final List<String> DEFAULT_EXCLUDED =
      List.of(
          "/actuator/**",
          "/error",
          "/favicon.ico",
          "/webjars/**",
          "/css/**",
          "/js/**",
          "/images/**");

  /** The cookie that carries the session id. Not thread-safe: bound once, at start-up. */
  public static class Cookie {
    /** The cookie's name. */
    private String name = "persona_sid";

    /**
     * How long the cookie lives, renewed on every response so that it expires with an idle session;
     * zero or negative for a cookie that ends with the browser session.
     */
    private Duration maxAge = Duration.ofMinutes(30);

    /** Whether the cookie is sent over HTTPS only; false only for local development over HTTP. */
    private boolean secure = true;

    /** Whether scripts are kept from reading the cookie. */
    private boolean httpOnly = true;

    /** The SameSite attribute: Lax, Strict or None (None needs secure). */
    private String sameSite = "Lax";

    /** The cookie's path. */
    private String path = "/";

    /** The cookie's domain; none for the request's host only. */
    private @Nullable String domain;

    /** Returns the cookie's name. */
    public String getName() {
      return name;
    }

    /** Sets the cookie's name. */
    public void setName(String name) {
      this.name = name;
    }

    /** Returns the cookie's lifetime. */
    public Duration getMaxAge() {
      return maxAge;
    }

    /** Sets the cookie's lifetime. */
    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    /** Returns whether the cookie is HTTPS only. */
    public boolean isSecure() {
      return secure;
    }

    /** Sets whether the cookie is HTTPS only. */
    public void setSecure(boolean secure) {
      this.secure = secure;
    }

    /** Returns whether scripts cannot read the cookie. */
    public boolean isHttpOnly() {
      return httpOnly;
    }

    /** Sets whether scripts cannot read the cookie. */
    public void setHttpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
    }

    /** Returns the SameSite attribute. */
    public String getSameSite() {
      return sameSite;
    }

    /** Sets the SameSite attribute. */
    public void setSameSite(String sameSite) {
      this.sameSite = sameSite;
    }

    /** Returns the cookie's path. */
    public String getPath() {
      return path;
    }

    /** Sets the cookie's path. */
    public void setPath(String path) {
      this.path = path;
    }

    /** Returns the cookie's domain, or null. */
    public @Nullable String getDomain() {
      return domain;
    }

    /** Sets the cookie's domain. */
    public void setDomain(@Nullable String domain) {
      this.domain = domain;
    }
  }

  /**
   * Sessions and statistics on Redis, with persona-redis on the class path. Not thread-safe: bound
   * once, at start-up.
   */
  public static class Redis {
    /**
     * The Redis URI, such as redis://host:6379 (rediss:// for TLS); when set and persona-redis is
     * on the class path, sessions (and statistics) live in Redis, shared by every instance.
     */
    private @Nullable String uri;

    /** What every key starts with; no braces. */
    private String keyPrefix = "persona:";

    /** The most one call waits for Redis; a decision then goes on without it, flagged. */
    private Duration commandTimeout = Duration.ofMillis(50);

    /** Whether outcome statistics live in Redis too (else in each instance's memory). */
    private boolean statistics = true;

    /** Returns the Redis URI, or null. */
    public @Nullable String getUri() {
      return uri;
    }

    /** Sets the Redis URI. */
    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }

    /** Returns the key prefix. */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** Sets the key prefix. */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** Returns the command timeout. */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /** Sets the command timeout. */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /** Returns whether statistics live in Redis. */
    public boolean isStatistics() {
      return statistics;
    }

    /** Sets whether statistics live in Redis. */
    public void setStatistics(boolean statistics) {
      this.statistics = statistics;
    }
  }

  /** Returns the settings without the Redis URI, which may hold a password. */
  @Override
  public String toString() {
    return "PersonaProperties{rules="
        + (rules.file == null ? "default" : "file")
        + ", redis="
        + (redis.uri != null)
        + "}";
  }
}
