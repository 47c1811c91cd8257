package dev.persona.redis.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.persona.Decision;
import dev.persona.EngineStats;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.Signal;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.internal.session.Counter;
import dev.persona.internal.session.SessionData;
import dev.persona.redis.RedisSessionStore;
import dev.persona.redis.RedisStatsStore;
import dev.persona.rules.RuleSetReader;
import dev.persona.spi.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a storefront backend, as a new user builds it from the README and docs/redis.md:
 * the default rule set, {@code RedisSessionStore.builder(uri).build()} and {@code
 * RedisStatsStore.builder(uri).build()}, every setting at its default. The system property {@code
 * persona.load.commandTimeoutMillis} sets both stores' command timeout instead, to compare.
 *
 * <p>It serves HTTP on a free loopback port, printed on stdout as {@code port=N}, with the JDK's
 * server on a fixed pool of 16 threads. Requests and answers are one line of URL-encoded pairs
 * ({@link Form}):
 *
 * <ul>
 *   <li>{@code POST /decide}: {@code session}, optional {@code user} and {@code consent}, and
 *       {@code event=type,category,product,value} pairs; the {@code User-Agent} and {@code Sec-GPC}
 *       headers are the visit's. Answers the decision's {@code flags}, the {@code requests} signal,
 *       {@code recent} (the recently viewed products) and per placement {@code v.<placement>} (the
 *       variant) and {@code s.<placement>} (its segment).
 *   <li>{@code POST /outcome}: {@code session}, {@code kind} (an {@link Outcome.Kind}), {@code
 *       placement}, {@code variant}, optional {@code segment} and {@code value}; recorded with
 *       {@link PersonaEngine#recordOutcome}.
 *   <li>{@code POST /forget} ({@code session}) and {@code POST /forgetUser} ({@code user}).
 *   <li>{@code GET /session?id=}: the session as Redis holds it, read through a store without a
 *       near cache (so not the engine's): {@code absent=1}, or its {@code requests}, {@code
 *       total.<counter>} raw totals and {@code recent} products; always its {@code key}.
 *   <li>{@code GET /stats}: {@link EngineStats} and both stores' counts.
 * </ul>
 *
 * A request the engine or a store throws on is answered 500 with the exception's type. Run by
 * {@link TwoInstanceLoadTest} in a JVM of its own, on the class path. Thread-safe: the server's
 * threads share one engine, as a storefront's do.
 */
public final class StorefrontInstance {
  /** The system property that sets both stores' command timeout, in milliseconds. */
  static final String COMMAND_TIMEOUT_PROPERTY = "persona.load.commandTimeoutMillis";

  /** {@code -Dpersona.load.cluster=true}: the URI is a seed node of a Redis Cluster. */
  static final String CLUSTER_PROPERTY = "persona.load.cluster";

  /** {@code -Dpersona.load.writeBehind=true} turns on the session store's {@code writeBehind}. */
  static final String WRITE_BEHIND_PROPERTY = "persona.load.writeBehind";

  /**
   * {@code -Dpersona.load.trace=<file>}: a listener writes every outcome the engine counts there,
   * one line each ({@link OutcomeTrace}), for the test to tell which credits went missing. Off by
   * default: it adds a listener, which a storefront built from the README does not have.
   */
  static final String TRACE_PROPERTY = "persona.load.trace";

  private final String redisUri;
  private final PersonaEngine engine;
  private final RedisSessionStore sessions;
  private final RedisStatsStore stats;
  private @Nullable RedisSessionStore reader;

  private StorefrontInstance(String redisUri) {
    this.redisUri = redisUri;
    boolean cluster = Boolean.getBoolean(CLUSTER_PROPERTY);
    RedisSessionStore.Builder sessionsBuilder =
        RedisSessionStore.builder(redisUri).cluster(cluster);
    RedisStatsStore.Builder statsBuilder = RedisStatsStore.builder(redisUri).cluster(cluster);
    String timeout = System.getProperty(COMMAND_TIMEOUT_PROPERTY);
    if (timeout != null) {
      sessionsBuilder.commandTimeout(Duration.ofMillis(Long.parseLong(timeout)));
      statsBuilder.commandTimeout(Duration.ofMillis(Long.parseLong(timeout)));
    }
    sessionsBuilder.writeBehind(Boolean.getBoolean(WRITE_BEHIND_PROPERTY));
    this.sessions = sessionsBuilder.build();
    this.stats = statsBuilder.build();
    PersonaEngine.Builder engineBuilder =
        PersonaEngine.builder()
            .ruleSet(RuleSetReader.defaultRuleSet())
            .sessions(SessionConfig.store(sessions).build())
            .experiments(ExperimentConfig.builder().statsStore(stats).build());
    String trace = System.getProperty(TRACE_PROPERTY);
    if (trace != null) {
      engineBuilder.extensions(OutcomeTrace.to(Path.of(trace)));
    }
    this.engine = engineBuilder.build();
  }

  /**
   * Serves until killed.
   *
   * @param args the Redis URI
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    // Without it the server's answer waits for the client's delayed ACK: 40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    StorefrontInstance instance = new StorefrontInstance(args[0]);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    server.setExecutor(pool);
    server.createContext("/decide", post(instance::decide));
    server.createContext("/outcome", post(instance::outcome));
    server.createContext("/forget", post(instance::forget));
    server.createContext("/forgetUser", post(instance::forgetUser));
    server.createContext("/session", get(instance::session));
    server.createContext("/stats", get(f -> instance.stats()));
    server.start();
    PrintStream out = System.out;
    out.println("port=" + server.getAddress().getPort());
    out.flush();
    new CountDownLatch(1).await(); // the parent kills this JVM
  }

  private Form decide(Form in, HttpExchange exchange) {
    Visit.Builder visit =
        Visit.builder(in.first("session"))
            .userId(in.first("user"))
            .header("User-Agent", exchange.getRequestHeaders().getFirst("User-Agent"))
            .header("Sec-GPC", exchange.getRequestHeaders().getFirst("Sec-GPC"))
            .declared("consent", in.first("consent"));
    for (String e : in.all("event")) {
      String[] parts = e.split(",", -1);
      visit.event(
          Event.builder(parts[0])
              .attribute("category", parts[1].isEmpty() ? null : parts[1])
              .attribute("product", parts[2].isEmpty() ? null : parts[2])
              .attribute("value", parts[3].isEmpty() ? null : Double.valueOf(parts[3]))
              .build());
    }
    Decision d = engine.decide(visit.build());
    Form out = new Form();
    out.add("flags", String.join(",", d.flags().stream().map(Enum::name).toList()));
    Signal requests = d.signal("requests");
    if (requests != null) {
      out.add("requests", ((Number) requests.value()).longValue());
    }
    Signal recent = d.signal("recently_viewed");
    if (recent != null) {
      out.add("recent", String.join(",", strings(recent.value())));
    }
    for (VariantChoice c : d.variants().values()) {
      out.add("v." + c.placement(), c.variant());
      out.add("s." + c.placement(), c.segment());
      out.add("t." + c.placement(), c.tracked() ? 1 : null);
    }
    return out;
  }

  private Form outcome(Form in, HttpExchange exchange) {
    Outcome.Builder b =
        Outcome.builder(
                Outcome.Kind.valueOf(in.first("kind")),
                in.first("session"),
                in.first("placement"),
                in.first("variant"))
            .segment(in.first("segment"))
            .tracked(in.first("tracked") != null);
    String value = in.first("value");
    if (value != null) {
      b.value(Double.parseDouble(value));
    }
    engine.recordOutcome(b.build());
    return new Form().add("ok", 1);
  }

  private Form forget(Form in, HttpExchange exchange) {
    engine.forget(in.first("session"));
    return new Form().add("ok", 1);
  }

  private Form forgetUser(Form in, HttpExchange exchange) {
    return new Form().add("erased", engine.forgetUser(in.first("user")));
  }

  private Form session(Form query) {
    String id = query.first("id");
    Form out = new Form().add("key", sessions.redisKey(id));
    SessionState state = reader().get(id);
    if (state == null) {
      return out.add("absent", 1).add("raw", raw(sessions.redisKey(id)));
    }
    SessionData d = (SessionData) state;
    out.add("requests", d.requests());
    for (Counter c : Counter.values()) {
      if (d.total(c) != 0) {
        out.add("total." + c.key(), d.total(c));
      }
    }
    Object consent = d.consent();
    if (consent != null) {
      out.add("consent", consent.toString());
    }
    return out.add("recent", String.join(",", d.products().recentlyViewed()));
  }

  /**
   * Describes what Redis holds at a session's key, for a session whose state is not what was sent:
   * the hash's fields (the state's length only), the key's TTL and its erasure mark's value.
   */
  private synchronized String raw(String key) {
    if (Boolean.getBoolean(CLUSTER_PROPERTY)) {
      return "?";
    }
    if (raw == null) {
      raw =
          io.lettuce.core.RedisClient.create(redisUri)
              .connect(io.lettuce.core.codec.StringCodec.UTF8)
              .sync();
    }
    StringBuilder b = new StringBuilder();
    raw.hgetall(key)
        .forEach(
            (f, v) ->
                b.append(f).append('=').append(f.equals("d") ? v.length() + "B" : v).append(' '));
    b.append("pttl=").append(raw.pttl(key));
    String mark = key + ":e";
    b.append(" mark=").append(raw.get(mark)).append(" markPttl=").append(raw.pttl(mark));
    return b.toString();
  }

  private io.lettuce.core.api.sync.@Nullable RedisCommands<String, String> raw;

  /** Returns a store that reads Redis on every call: what Redis holds, not this instance's copy. */
  private synchronized RedisSessionStore reader() {
    if (reader == null) {
      reader =
          RedisSessionStore.builder(redisUri)
              .cluster(Boolean.getBoolean(CLUSTER_PROPERTY))
              .nearCacheSize(0)
              .commandTimeout(Duration.ofSeconds(5))
              .build();
    }
    return reader;
  }

  private Form stats() {
    EngineStats e = engine.stats();
    RedisSessionStore.Stats s = sessions.stats();
    return new Form()
        .add("decisions", e.decisions())
        .add("storeFailures", e.storeFailures())
        .add("outcomes", e.outcomes())
        .add("attributedOutcomes", e.attributedOutcomes())
        .add("statsStoreFailures", e.statsStoreFailures())
        .add("nearCacheHits", s.nearCacheHits())
        .add("nearCacheMisses", s.nearCacheMisses())
        .add("conflicts", s.conflicts())
        .add("timeouts", s.timeouts())
        .add("failures", s.failures())
        .add("unreadable", s.unreadable())
        .add("writtenLate", s.writtenLate())
        .add("restored", s.restored())
        .add("dropped", s.dropped())
        .add("pendingChanges", s.pendingChanges())
        .add("pendingErasures", s.pendingErasures())
        .add("statsFailures", stats.failures())
        .add("statsDropped", stats.dropped());
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      for (Object o : c) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  /** A handler of a form in the request's body. */
  private interface FormHandler {
    Form handle(Form in, HttpExchange exchange);
  }

  private static com.sun.net.httpserver.HttpHandler post(FormHandler handler) {
    return exchange -> {
      Form in;
      try (InputStream body = exchange.getRequestBody()) {
        in = Form.parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      answer(exchange, () -> handler.handle(in, exchange));
    };
  }

  private static com.sun.net.httpserver.HttpHandler get(Function<Form, Form> handler) {
    return exchange -> {
      exchange.getRequestBody().close();
      URI uri = exchange.getRequestURI();
      Form query = Form.parse(uri.getRawQuery());
      answer(exchange, () -> handler.apply(query));
    };
  }

  private interface Answer {
    Form get();
  }

  /** Answers 200 with the form, or 500 with the type of what was thrown. */
  private static void answer(HttpExchange exchange, Answer answer) throws IOException {
    int status;
    String body;
    try {
      body = answer.get().encode();
      status = 200;
    } catch (RuntimeException e) {
      body = new Form().add("error", e.getClass().getName()).encode();
      status = 500;
    }
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-www-form-urlencoded");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
