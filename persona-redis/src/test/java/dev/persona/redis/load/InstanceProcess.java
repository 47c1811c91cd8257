package dev.persona.redis.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StorefrontInstance} in a JVM of its own, started with this JVM's java and class path
 * (and module path, which it puts on the class path), its log written to a file. Not thread-safe:
 * the test thread starts, asks and kills it.
 */
final class InstanceProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpLink link;

  private InstanceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.link = new HttpLink(port);
  }

  /** Starts an instance's JVM; {@link #ready} waits for it. */
  static Process fork(String redisUri, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // as docs/redis.md advises, and as this module's tests run
    command.add("-Dio.lettuce.core.jfr=false");
    // a storefront logs at INFO; the tests' simplelogger.properties asks for DEBUG
    command.add("-Dorg.slf4j.simpleLogger.log.dev.persona=info");
    if (Boolean.getBoolean(StorefrontInstance.CLUSTER_PROPERTY)) {
      command.add("-D" + StorefrontInstance.CLUSTER_PROPERTY + "=true");
    }
    if (Boolean.getBoolean(StorefrontInstance.WRITE_BEHIND_PROPERTY)) {
      command.add("-D" + StorefrontInstance.WRITE_BEHIND_PROPERTY + "=true");
    }
    if (Boolean.getBoolean(OutcomeTrace.PROPERTY)) {
      String name = log.getFileName().toString().replaceFirst("\\.log$", "");
      command.add(
          "-D"
              + StorefrontInstance.TRACE_PROPERTY
              + "="
              + log.resolveSibling(name + OutcomeTrace.SUFFIX));
    }
    String timeout = System.getProperty(StorefrontInstance.COMMAND_TIMEOUT_PROPERTY);
    if (timeout != null) {
      command.add("-D" + StorefrontInstance.COMMAND_TIMEOUT_PROPERTY + "=" + timeout);
    }
    command.add("-cp");
    command.add(classPath());
    command.add(StorefrontInstance.class.getName());
    command.add(redisUri);
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(command)
        .redirectError(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** Waits until a forked instance prints its port. */
  static InstanceProcess ready(Process process, Path log) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("port=")) {
      process.destroyForcibly();
      throw new IllegalStateException("the instance did not start; see " + log);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // nothing else is printed; read so that the pipe never fills
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new InstanceProcess(process, log, Integer.parseInt(line.substring(5).strip()));
  }

  /** This JVM's class path and module path, as one class path. */
  private static String classPath() {
    List<String> parts = new ArrayList<>();
    // the test classes, also when they are patched into the module rather than on the class path
    parts.add(
        new File(
                StorefrontInstance.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .getPath());
    for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        parts.add(value);
      }
    }
    return String.join(File.pathSeparator, parts);
  }

  int port() {
    return port;
  }

  Path log() {
    return log;
  }

  /** Returns the number of lines the instance logged. */
  long logLines() throws IOException {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  /**
   * Sends a GET and returns the answer's form; throws on any status but 200. A GET that fails is
   * sent once more on a new connection: the server closes connections idle for 30 s.
   */
  Form get(String target) throws IOException {
    HttpLink.Answer a;
    try {
      a = link.send("GET", target, null, false);
    } catch (IOException e) {
      a = link.send("GET", target, null, false);
    }
    if (a.status() != 200) {
      throw new IOException("GET " + target.replaceAll("\\?.*", "") + ": " + a.status());
    }
    return a.form();
  }

  /** Kills the JVM. */
  @Override
  public void close() {
    link.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "InstanceProcess{port=" + port + "}";
  }
}
