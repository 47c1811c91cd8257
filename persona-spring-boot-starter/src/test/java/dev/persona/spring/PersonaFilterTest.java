package dev.persona.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.ExtensionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.spring.internal.DecisionObserver;
import dev.persona.spring.internal.PersonaFilter;
import jakarta.servlet.http.Cookie;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What of a request the filter hands the engine, and what it keeps from it. */
class PersonaFilterTest {
  private static final String SESSION = "0123456789abcdef0123456789abcdef";

  /** Runs one request through the filter; returns the visit the engine decided. */
  private static Visit decide(MockHttpServletRequest request, PersonaProperties properties)
      throws Exception {
    List<Visit> visits = new CopyOnWriteArrayList<>();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(RuleSetReader.defaultRuleSet())
            .extensions(ExtensionConfig.builder().listener((v, d) -> visits.add(v)).build())
            .build();
    try {
      new PersonaFilter(engine, properties, List.of(), DecisionObserver.NONE)
          .doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
    } finally {
      engine.close(); // tells the listener of every decision first
    }
    assertThat(visits).hasSize(1);
    assertThat(PersonaRequest.of(request)).isNotNull();
    return visits.get(0);
  }

  @Test
  void onlyAllowedHeaders_reachTheEngine_neverCookiesOrCredentials() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");
    request.addHeader("Sec-GPC", "1");
    request.addHeader("Authorization", "Bearer secret");
    request.addHeader("X-Api-Key", "secret");
    request.setCookies(new Cookie("persona_sid", SESSION), new Cookie("JSESSIONID", "secret"));

    Visit visit = decide(request, new PersonaProperties());

    assertThat(visit.sessionId()).isEqualTo(SESSION);
    assertThat(visit.headers().keySet())
        .map(String::toLowerCase)
        .containsExactlyInAnyOrder("user-agent", "sec-gpc");
  }

  @Test
  void theQueryString_givesTheFirstValueOfEachParameter_andLeavesOutWhatDoesNotDecode()
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.setQueryString(
        "utm_source=news%20letter&utm_source=other&bad=%zz&flag&utm_medium=email");

    Visit visit = decide(request, new PersonaProperties());

    assertThat(visit.query())
        .containsOnlyKeys("utm_source", "utm_medium")
        .containsEntry("utm_source", "news letter")
        .containsEntry("utm_medium", "email");
  }

  @Test
  void thePrincipal_isTheUserId_unlessTurnedOff() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.setUserPrincipal(() -> "user-42");
    PersonaProperties off = new PersonaProperties();
    off.getWeb().setUserIdFromPrincipal(false);

    assertThat(decide(request, new PersonaProperties()).userId()).isEqualTo("user-42");
    assertThat(decide(request, off).userId()).isNull();
  }

  @Test
  void aSessionCookieForTheBrowserSession_isSetWithoutMaxAge_andNotRenewed() throws Exception {
    PersonaProperties browserSession = new PersonaProperties();
    browserSession.getCookie().setMaxAge(java.time.Duration.ZERO);
    PersonaEngine engine = PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();
    PersonaFilter filter =
        new PersonaFilter(engine, browserSession, List.of(), DecisionObserver.NONE);
    MockHttpServletResponse first = new MockHttpServletResponse();
    MockHttpServletResponse again = new MockHttpServletResponse();
    MockHttpServletRequest withCookie = new MockHttpServletRequest("GET", "/");
    withCookie.setCookies(new Cookie("persona_sid", SESSION));

    filter.doFilter(new MockHttpServletRequest("GET", "/"), first, new MockFilterChain());
    filter.doFilter(withCookie, again, new MockFilterChain());

    assertThat(first.getHeader("Set-Cookie"))
        .startsWith("persona_sid=")
        .contains("HttpOnly")
        .doesNotContain("Max-Age");
    assertThat(again.getHeader("Set-Cookie")).isNull();
  }
}
