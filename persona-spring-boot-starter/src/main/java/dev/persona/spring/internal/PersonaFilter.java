package dev.persona.spring.internal;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.spring.PersonaProperties;
import dev.persona.spring.PersonaRequest;
import dev.persona.spring.VisitCustomizer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decides once per request: builds the visit from the allowed headers, the query string, the
 * session cookie (set when absent, renewed on every response) and the principal, lets the {@link
 * VisitCustomizer}s add to it, and puts the decision in the request's attributes. Thread-safe.
 */
public final class PersonaFilter extends OncePerRequestFilter implements Ordered {
  /** What a session id from a cookie must look like; anything else gets a new one. */
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PersonaEngine engine;
  private final PersonaProperties.Web web;
  private final PersonaProperties.Cookie cookie;
  private final List<String> headers;
  private final List<String> excluded;
  private final List<VisitCustomizer> customizers;
  private final DecisionObserver observer;
  private final AntPathMatcher paths = new AntPathMatcher();

  /**
   * Makes the filter.
   *
   * @param engine the engine
   * @param properties the settings
   * @param customizers what adds to each visit, in order
   * @param observer told of each decision
   */
  public PersonaFilter(
      PersonaEngine engine,
      PersonaProperties properties,
      List<VisitCustomizer> customizers,
      DecisionObserver observer) {
    this.engine = engine;
    this.web = properties.getWeb();
    this.cookie = properties.getCookie();
    this.headers = List.copyOf(web.getHeaders());
    this.excluded = List.copyOf(web.getExcludePaths());
    this.customizers = List.copyOf(customizers);
    this.observer = observer;
  }

  @Override
  public int getOrder() {
    return web.getFilterOrder();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    for (String pattern : excluded) {
      if (paths.match(pattern, path)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String sessionId = sessionId(request);
    if (sessionId == null) {
      sessionId = newSessionId();
      setCookie(response, sessionId);
    } else if (!cookie.getMaxAge().isNegative() && !cookie.getMaxAge().isZero()) {
      setCookie(response, sessionId); // renewed, so that it expires with an idle session
    }
    Visit.Builder visit = Visit.builder(sessionId);
    for (String name : headers) {
      String value = request.getHeader(name);
      if (value != null) {
        visit.header(name, value);
      }
    }
    if (web.isQueryParameters()) {
      addQuery(request.getQueryString(), visit);
    }
    if (web.isUserIdFromPrincipal()) {
      Principal principal = request.getUserPrincipal();
      if (principal != null) {
        visit.userId(principal.getName());
      }
    }
    for (VisitCustomizer c : customizers) {
      c.customize(request, visit);
    }
    long start = System.nanoTime();
    Decision decision = engine.decide(visit.build());
    observer.decided(decision, System.nanoTime() - start);
    request.setAttribute(PersonaRequest.ATTRIBUTE, new PersonaRequest(engine, sessionId, decision));
    request.setAttribute(PersonaRequest.DECISION_ATTRIBUTE, decision);
    chain.doFilter(request, response);
  }

  private @Nullable String sessionId(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (cookie.getName().equals(c.getName())
          && c.getValue() != null
          && SESSION_ID.matcher(c.getValue()).matches()) {
        return c.getValue();
      }
    }
    return null;
  }

  private static String newSessionId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void setCookie(HttpServletResponse response, String sessionId) {
    ResponseCookie.ResponseCookieBuilder c =
        ResponseCookie.from(cookie.getName(), sessionId)
            .path(cookie.getPath())
            .secure(cookie.isSecure())
            .httpOnly(cookie.isHttpOnly())
            .sameSite(cookie.getSameSite());
    if (!cookie.getMaxAge().isNegative() && !cookie.getMaxAge().isZero()) {
      c.maxAge(cookie.getMaxAge());
    }
    String domain = cookie.getDomain();
    if (domain != null && !domain.isEmpty()) {
      c.domain(domain);
    }
    response.addHeader(HttpHeaders.SET_COOKIE, c.build().toString());
  }

  /** Adds the first value of each query parameter; parameters without a value are left out. */
  static void addQuery(@Nullable String query, Visit.Builder visit) {
    if (query == null || query.isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (seen.add(name)) {
          visit.query(name, value);
        }
      } catch (IllegalArgumentException e) {
        // a malformed escape: the parameter is left out, as a browser's garbage should be
      }
    }
  }
}
