package dev.persona.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port, started and stopped by pid, for tests: no Docker,
 * nothing saved to disk. Fails with a clear message when redis-server is not installed.
 */
final class RedisServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server on a free port. */
  static RedisServer start() {
    try {
      return startOn(freePort());
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port", e);
    }
  }

  /** Starts a server on the given port. */
  static RedisServer startOn(int port) {
    try {
      RedisServer s = new RedisServer(Files.createTempDirectory("persona-redis"), port);
      s.startAgain();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
  }

  /** Returns a free loopback port, for a server that is not there. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts the server again on the same port, empty. */
  void startAgain() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    String binary = binary();
    try {
      process =
          new ProcessBuilder(
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
                  dir.toString(),
                  "--enable-debug-command",
                  "local")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
      }
      sleep(10);
    }
  }

  /** Stops the server by its pid and waits until it is gone. */
  void stop() {
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

  /** Returns the URI of the server. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs {@code DEBUG SLEEP} on its own connection, blocking the server for {@code pause}. */
  void pause(Duration pause) {
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
    sleep(50); // let the server take the command before the test goes on
  }

  /** Runs {@code work} with a plain connection to the server. */
  <T> T admin(java.util.function.Function<RedisCommands<byte[], byte[]>, T> work) {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      return work.apply(c.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Returns every key on the server. */
  List<String> keys() {
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

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    File debian = new File("/usr/bin/redis-server");
    if (debian.canExecute()) {
      return debian.getPath();
    }
    throw new IllegalStateException(
        "redis-server is not installed, and the persona-redis tests need a real one: "
            + "install Debian's package (apt-get install -y redis-server); .ci/run does so");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
