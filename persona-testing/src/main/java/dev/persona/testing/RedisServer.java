package dev.persona.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real redis-server on a free loopback port, started and stopped by pid, for tests: no Docker,
 * nothing saved to disk.
 *
 * <p>The server is the machine's {@code redis-server} (on the PATH, or Debian's /usr/bin one). A
 * machine without one runs the redis-server 6.2 binary that the test dependency {@code
 * com.github.codemonstur:embedded-redis} carries (Linux x86-64 only; it links OpenSSL 3), copied to
 * a temporary file; the system property {@code persona.redis.embedded=true} (as in {@code mvn test
 * -Dpersona.redis.embedded=true}) or the environment variable {@code PERSONA_REDIS_EMBEDDED=true}
 * runs that binary even where one is installed. Both are started alike. {@link #admin} needs
 * Lettuce, and the embedded binary the embedded-redis jar, on the class path: the modules that use
 * this class bring both. Not thread-safe: one test class starts and stops its servers from one
 * thread.
 */
public final class RedisServer implements LocalRedis {
  /** The system property that makes the tests run the embedded binary: {@code true} or not. */
  public static final String EMBEDDED_PROPERTY = "persona.redis.embedded";

  /** The binary in the embedded-redis jar for Linux x86-64 (it states v=6.2.11). */
  private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";

  /** The redis-server the tests run, found once. */
  private static String serverBinary;

  /** Whether the binary takes {@code --enable-debug-command}: Redis 7 and later. */
  private static boolean debugOption;

  private final Path dir;
  private final int port;
  private final List<String> options;
  private Process process;
  private long starts;

  private RedisServer(Path dir, int port, List<String> options) {
    this.dir = dir;
    this.port = port;
    this.options = List.copyOf(options);
  }

  /** Starts a server on a free port. */
  public static RedisServer start() {
    try {
      return startOn(freePort());
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port", e);
    }
  }

  /**
   * Starts a server on a free port that writes every command to its append-only file before it
   * answers ({@code appendonly yes}, {@code appendfsync always}), so that {@link #kill} and {@link
   * #startAgain} lose nothing.
   */
  public static RedisServer startWithAof() {
    try {
      return startOn(freePort(), List.of("--appendonly", "yes", "--appendfsync", "always"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port", e);
    }
  }

  /** Starts a server on the given port. */
  public static RedisServer startOn(int port) {
    return startOn(port, List.of());
  }

  /**
   * Starts a server on the given port with further command-line options, as a cluster node.
   *
   * @param port the port
   * @param options options such as {@code --cluster-enabled yes}; {@code {dir}} in one stands for
   *     the server's own temporary directory, deleted by {@link #close}
   */
  static RedisServer startOn(int port, List<String> options) {
    binary(); // first, so that no directory is left behind when there is none
    try {
      Path dir = Files.createTempDirectory("persona-redis");
      String path = dir.toString();
      RedisServer s =
          new RedisServer(dir, port, options.stream().map(o -> o.replace("{dir}", path)).toList());
      s.startAgain(); // if it fails, its directory stays, with the log its message names
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
  }

  /** Returns a free loopback port, for a server that is not there. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts the server again on the same port: empty, unless it was started {@linkplain
   * #startWithAof with its append-only file}.
   */
  public void startAgain() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    String binary = binary();
    starts++;
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(options);
    if (debugOption) {
      // DEBUG, which pause() sends, is off by default from Redis 7 on; 6.2 knows no such option.
      command.addAll(List.of("--enable-debug-command", "local"));
    }
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException(
            "redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
      }
      sleep(10);
    }
  }

  /** Stops the server by its pid and waits until it is gone. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Kills the server as a crash would (SIGKILL: no shutdown, no answer to the calls under way) and
   * waits until it is gone; {@link #startAgain} then starts it empty on the same port.
   */
  public void kill() {
    if (process == null) {
      return;
    }
    try {
      if (!process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die of SIGKILL in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Returns the URI of the server. */
  @Override
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs {@code DEBUG SLEEP} on its own connection, blocking the server for {@code pause}. */
  @Override
  public void pause(Duration pause) {
    pauseInBackground(pause);
    sleep(50); // let the server take the command before the test goes on
  }

  /** Sends {@code DEBUG SLEEP} from a thread of its own and returns at once. */
  void pauseInBackground(Duration pause) {
    String cmd = "DEBUG SLEEP " + (pause.toMillis() / 1000.0) + "\r\n";
    Thread t =
        new Thread(
            () -> {
              try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(cmd.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.getInputStream().read();
              } catch (IOException e) {
                // The pause ends with the server's answer or with the server.
              }
            });
    t.setDaemon(true);
    t.start();
  }

  /** Returns this server alone. */
  @Override
  public List<RedisServer> servers() {
    return List.of(this);
  }

  /** Returns this server. */
  @Override
  public RedisServer serverOf(String key) {
    return this;
  }

  @Override
  public void flush() {
    admin(RedisCommands::flushall);
  }

  /** Returns how many times the server was started. */
  long starts() {
    return starts;
  }

  /** Returns whether the server's process runs. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Runs {@code work} with a plain connection to the server. */
  public <T> T admin(Function<RedisCommands<byte[], byte[]>, T> work) {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      return work.apply(c.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Returns false: a single server. */
  @Override
  public boolean cluster() {
    return false;
  }

  /** Returns the port the server listens on. */
  public int port() {
    return port;
  }

  @Override
  public <T> T commands(Function<RedisClusterCommands<byte[], byte[]>, T> work) {
    return admin(work::apply);
  }

  /** Returns every key on the server. */
  @Override
  public List<String> keys() {
    return admin(
        r ->
            r.keys("*".getBytes(StandardCharsets.UTF_8)).stream()
                .map(k -> new String(k, StandardCharsets.UTF_8))
                .sorted()
                .toList());
  }

  @Override
  public void close() {
    stop();
    delete(dir);
  }

  private static void delete(Path dir) {
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] answer = new byte[5];
      return in.readNBytes(answer, 0, 5) == 5
          && new String(answer, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the redis-server to run, found once: the machine's, or else the embedded one. */
  private static synchronized String binary() {
    if (serverBinary == null) {
      String found = forcedEmbedded() ? null : installed();
      serverBinary = found != null ? found : embedded();
      debugOption = majorVersion(serverBinary) >= 7;
    }
    return serverBinary;
  }

  private static boolean forcedEmbedded() {
    return Boolean.getBoolean(EMBEDDED_PROPERTY)
        || "true".equalsIgnoreCase(System.getenv("PERSONA_REDIS_EMBEDDED"));
  }

  private static String installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    File debian = new File("/usr/bin/redis-server");
    return debian.canExecute() ? debian.getPath() : null;
  }

  /** Copies the embedded-redis jar's binary to a temporary file, deleted when the JVM exits. */
  private static String embedded() {
    boolean linuxX64 =
        System.getProperty("os.name").startsWith("Linux")
            && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    InputStream in =
        linuxX64 ? RedisServer.class.getClassLoader().getResourceAsStream(EMBEDDED_BINARY) : null;
    if (in == null) {
      throw new IllegalStateException(
          "Persona's Redis tests and benchmarks need a real redis-server: install one (Debian's package:"
              + " apt-get install -y redis-server); the embedded-redis test dependency's runs"
              + " only on Linux x86-64");
    }
    try (in) {
      Path dir = Files.createTempDirectory("persona-redis-server");
      Path file = dir.resolve("redis-server");
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit(); // runs before the directory's: deletions go in reverse
      Files.copy(in, file);
      if (!file.toFile().setExecutable(true, true)) {
        throw new IOException("cannot make " + file + " executable");
      }
      return file.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the embedded redis-server", e);
    }
  }

  /** Returns the major version {@code redis-server --version} states, or 0 if it states none. */
  private static int majorVersion(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      Matcher m = Pattern.compile(" v=(\\d+)\\.").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + " --version", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * Sleeps, keeping the thread's interrupt status if interrupted.
   *
   * @param millis how long
   */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
