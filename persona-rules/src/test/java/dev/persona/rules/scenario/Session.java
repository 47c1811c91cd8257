package dev.persona.rules.scenario;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One shopper's session as a storefront backend reports it: the same browser headers on every
 * request and the customer's profile facts (which the store passes on every call, as the engine
 * does not keep them), then per request its own headers, query parameters, declarations and events.
 */
final class Session {
  private final PersonaEngine engine;
  private final MutableClock clock;
  private final String id;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, Object> profile = new LinkedHashMap<>();

  Session(PersonaEngine engine, MutableClock clock, String id, String userAgent) {
    this.engine = engine;
    this.clock = clock;
    this.id = id;
    headers.put("User-Agent", userAgent);
    headers.put("Host", Scenarios.STORE_HOST);
    headers.put("Accept-Language", "en-GB,en;q=0.9");
  }

  /** Sets a header sent on every request of the session. */
  Session header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Sets a profile fact the store passes on every request of the session. */
  Session profile(String key, Object value) {
    profile.put(key, value);
    return this;
  }

  /** Lets time pass before the next request. */
  Session after(Duration d) {
    clock.advance(d);
    return this;
  }

  Session afterMinutes(long minutes) {
    return after(Duration.ofMinutes(minutes));
  }

  /** Sends a request that starts the visit: only the Referer (if any) that {@code request} sets. */
  Decision land(UnaryOperator<Visit.Builder> request) {
    return send(request, false);
  }

  /** Sends an in-site request: the Referer is the store itself unless {@code request} sets one. */
  Decision request(UnaryOperator<Visit.Builder> request) {
    return send(request, true);
  }

  private Decision send(UnaryOperator<Visit.Builder> request, boolean inSite) {
    Visit.Builder start = Visit.builder(id);
    profile.forEach(start::profile);
    Visit.Builder b = request.apply(start);
    Map<String, String> h = new LinkedHashMap<>(headers);
    if (inSite) {
      h.put("Referer", Scenarios.STORE + "/");
    }
    Visit asked = b.build();
    h.forEach(
        (name, value) -> {
          if (asked.header(name) == null) {
            b.header(name, value);
          }
        });
    return engine.decide(b.build());
  }
}
