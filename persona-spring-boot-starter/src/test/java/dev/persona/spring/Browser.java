package dev.persona.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A shopper's browser for the tests: keeps the session cookie the storefront sets, and sends it
 * back, to whichever instance it is pointed at. Not thread-safe.
 */
final class Browser {
  private static final Pattern SESSION = Pattern.compile("persona_sid=([^;]*)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private @Nullable String sessionId;
  private @Nullable String lastSetCookie;

  /** Returns the session cookie's value, or null before the storefront set one. */
  @Nullable String sessionId() {
    return sessionId;
  }

  /** Sets the session cookie, as a browser that kept it would send it. */
  Browser withSession(@Nullable String id) {
    this.sessionId = id;
    return this;
  }

  /** Returns the Set-Cookie header of the persona cookie in the last response, or null. */
  @Nullable String lastSetCookie() {
    return lastSetCookie;
  }

  /** GETs a page of the storefront on {@code port}; {@code headers} are name, value pairs. */
  HttpResponse<String> get(int port, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header(
                "User-Agent",
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
    if (sessionId != null) {
      request.header("Cookie", "persona_sid=" + sessionId);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      lastSetCookie = null;
      for (String c : response.headers().allValues("Set-Cookie")) {
        Matcher m = SESSION.matcher(c);
        if (m.lookingAt()) {
          lastSetCookie = c;
          sessionId = m.group(1);
        }
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Returns the body of a page that must answer 200. */
  String page(int port, String path, String... headers) {
    HttpResponse<String> r = get(port, path, headers);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Makes the session a researcher's: three review pages and a comparison. */
  Browser research(int port) {
    for (int i = 0; i < 3; i++) {
      page(port, "/reviews/p" + i);
    }
    page(port, "/compare");
    return this;
  }

  /** Returns a header's value, if the response has it. */
  static Optional<String> header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name);
  }
}
