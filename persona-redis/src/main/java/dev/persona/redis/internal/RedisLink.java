package dev.persona.redis.internal;

import dev.persona.redis.RedisUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One shared, thread-safe Lettuce connection with byte-array keys and values, its own small client
 * resources (two I/O and two computation threads, Lettuce's least), and a bounded wait for every
 * command.
 *
 * <p>The first connection is tried when the link is made and, if Redis is not there, again on later
 * use, at most every {@link #CONNECT_PAUSE_MILLIS} ms, in the background. Once connected, Lettuce
 * reconnects by itself (delays from 10 ms doubling to 1 s); while it is disconnected, commands fail
 * at once instead of queueing. At most {@link #REQUEST_QUEUE} commands wait for answers; beyond
 * that they fail at once. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
  /** The most commands waiting for an answer. */
  public static final int REQUEST_QUEUE = 10_000;

  /** The least time between two attempts at the first connection. */
  public static final long CONNECT_PAUSE_MILLIS = 250;

  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;
  private final List<Script> scripts;
  private final AtomicReference<StatefulRedisConnection<byte[], byte[]>> connection =
      new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile long nextAttemptNanos;
  private volatile boolean closed;

  /**
   * Creates the link and tries to connect, waiting at most {@code connectTimeout}.
   *
   * @param uri the parsed Redis URI
   * @param commandTimeout after this, Lettuce gives up waiting for an answer
   * @param connectTimeout the most a connection attempt takes
   * @param scripts loaded as soon as a connection is made, so that first calls need not
   */
  public RedisLink(
      RedisURI uri, Duration commandTimeout, Duration connectTimeout, List<Script> scripts) {
    this.uri = uri;
    this.scripts = List.copyOf(scripts);
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE)
            .socketOptions(
                SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
    CompletableFuture<?> first = connect();
    try {
      first.get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not there yet: the first command that needs Redis tries again.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Parses a Redis URI without echoing it, since it may hold a password.
   *
   * @param uri a URI such as {@code redis://host:6379/0}
   * @return the parsed URI
   * @throws IllegalArgumentException if it is not a Redis URI
   */
  public static RedisURI parse(String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "redisUri is not a Redis URI such as redis://host:6379 (" + e.getClass().getName() + ")");
    }
  }

  // Fire and forget: closing a connection no one will use, and loading the scripts early, which
  // eval() sends by their text when Redis does not know them.
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<?> connect() {
    if (!connecting.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .connectAsync(ByteArrayCodec.INSTANCE, uri)
        .toCompletableFuture()
        .whenComplete(
            (c, e) -> {
              if (c != null) {
                if (closed) {
                  c.closeAsync();
                } else {
                  for (Script s : scripts) {
                    c.async().scriptLoad(s.text());
                  }
                  connection.set(c);
                }
              } else {
                nextAttemptNanos =
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_PAUSE_MILLIS);
              }
              connecting.set(false);
            });
  }

  /**
   * Returns the commands of the connection.
   *
   * @return the asynchronous commands
   * @throws RedisUnavailableException if there is no connection yet; one is being tried
   */
  public RedisAsyncCommands<byte[], byte[]> commands() {
    StatefulRedisConnection<byte[], byte[]> c = connection.get();
    if (c != null) {
      return c.async();
    }
    if (!closed && System.nanoTime() - nextAttemptNanos >= 0) {
      var unused = connect(); // in the background; a failure only delays the next attempt
    }
    throw new RedisUnavailableException(RedisUnavailableException.Kind.DOWN, null);
  }

  /**
   * Runs a script on one key, by its SHA-1, loading it first if Redis does not know it (as after a
   * restart).
   *
   * @param script the script
   * @param key its key
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @param args its arguments
   * @return the script's answer: a list of Long, byte[] and null
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  public List<Object> eval(Script script, byte[] key, long deadlineNanos, byte[]... args) {
    return eval(script, new byte[][] {key}, deadlineNanos, args);
  }

  /**
   * Runs a script on several keys, as {@link #eval(Script, byte[], long, byte[]...)} runs it on
   * one.
   *
   * @param script the script
   * @param keys its keys, which Redis Cluster needs in one slot
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @param args its arguments
   * @return the script's answer: a list of Long, byte[] and null
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  public List<Object> eval(Script script, byte[][] keys, long deadlineNanos, byte[]... args) {
    RedisAsyncCommands<byte[], byte[]> c = commands();
    try {
      return await(
          () -> c.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args),
          deadlineNanos);
    } catch (RedisUnavailableException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      return await(
          () -> c.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args),
          deadlineNanos);
    }
  }

  /**
   * Sends a command and waits for its answer until the deadline.
   *
   * @param <T> the answer's type
   * @param command sends the command
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @return the answer
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  public <T> T await(Supplier<RedisFuture<T>> command, long deadlineNanos) {
    Future<T> future;
    try {
      future = command.get();
    } catch (RedisUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RedisUnavailableException(RedisUnavailableException.Kind.DOWN, e);
    }
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      RedisUnavailableException.Kind kind =
          cause instanceof RedisCommandTimeoutException
              ? RedisUnavailableException.Kind.TIMEOUT
              : cause instanceof RedisCommandExecutionException
                  ? RedisUnavailableException.Kind.ERROR
                  : RedisUnavailableException.Kind.DOWN;
      throw new RedisUnavailableException(kind, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisUnavailableException(RedisUnavailableException.Kind.INTERRUPTED, e);
    } catch (CancellationException e) {
      throw new RedisUnavailableException(RedisUnavailableException.Kind.DOWN, e);
    }
  }

  /** Closes the connection and releases the client's threads; waits at most two seconds. */
  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<byte[], byte[]> c = connection.getAndSet(null);
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    // Netty's future is not readable from this module; the event loops stop within 2 s.
    var unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
