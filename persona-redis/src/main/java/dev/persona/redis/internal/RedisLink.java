package dev.persona.redis.internal;

import dev.persona.redis.RedisUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared, thread-safe Lettuce connection with byte-array keys and values, to one server or to a
 * Redis Cluster, with its own small client resources (two I/O and two computation threads,
 * Lettuce's least), and a bounded wait for every command.
 *
 * <p>On a cluster ({@code RedisClusterClient}) the URI is a seed: the client learns the nodes from
 * it, sends each command to the node serving its key's slot, follows {@code MOVED} and {@code ASK}
 * redirects, and refreshes its view of the cluster on redirects, on reconnects and every {@link
 * #TOPOLOGY_REFRESH_SECONDS} s. Scripts are loaded on every node; {@link #eval} sends a script by
 * its text where a node does not know it. Every key of one script must lie in one hash slot: {@link
 * #eval} checks it on both kinds of server, so that tests on one server catch what would fail on a
 * cluster with {@code CROSSSLOT}.
 *
 * <p>The first connection is tried when the link is made. To one server, the link connects again by
 * itself whenever it has no connection (Redis not there yet, or the connection lost), in the
 * background, with delays from {@link #FIRST_RETRY_MILLIS} ms doubling to {@link #MAX_RETRY_MILLIS}
 * ms, rather than through Lettuce's reconnection: Lettuce logs each lost connection and failed
 * attempt at INFO and WARN, every five seconds per connection through an outage, where this logs
 * them at DEBUG only (the stores log that Redis is not reachable at most once a minute). A command
 * waiting for an answer when the connection is lost fails then, rather than being sent again. To a
 * cluster, the first connection is tried again on later use, at most every {@link
 * #CONNECT_PAUSE_MILLIS} ms; once connected, Lettuce reconnects each node's connection by itself,
 * with the same delays, and logs it. While there is no connection, commands fail at once instead of
 * queueing. At most {@link #REQUEST_QUEUE} commands wait for answers (per node, on a cluster);
 * beyond that they fail at once. With {@link #track}, Redis reports changes of keys on every
 * connection through which they are written ({@link Tracking}). Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
  /** The most commands waiting for an answer. */
  public static final int REQUEST_QUEUE = 10_000;

  /** The least time between two attempts at a cluster's first connection. */
  public static final long CONNECT_PAUSE_MILLIS = 250;

  /** The delay before the first attempt to connect again, doubled after each failed attempt. */
  public static final long FIRST_RETRY_MILLIS = 10;

  /** The longest delay between two attempts to connect. */
  public static final long MAX_RETRY_MILLIS = 100;

  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.redis");

  /** How often a cluster link reads the cluster's nodes and slots, besides on redirects. */
  public static final long TOPOLOGY_REFRESH_SECONDS = 60;

  /** How often a cluster link looks for masters whose connection does not track yet. */
  public static final long TRACKING_SYNC_MILLIS = 1_000;

  /** How many tags {@link #onEveryMaster} tries per master: far more than 16,384 slots need. */
  private static final int MAX_TAG_TRIES = 1_000_000;

  /** The name of the one server's connection in the {@link Tracking}. */
  private static final String SERVER = "server";

  /** A time on {@link System#nanoTime()} long before any command was sent. */
  private static final long NEVER = System.nanoTime() - (1L << 62);

  private final RedisURI uri;
  private final long connectTimeoutNanos;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final List<Script> scripts;
  private final AtomicReference<Connected> connection = new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private volatile long retryDelayMillis = FIRST_RETRY_MILLIS;

  /** What runs whenever this link connects again ({@link #onConnected}). */
  private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();

  private volatile long nextAttemptNanos;

  /** Why the last attempt to connect failed; null once connected. */
  private volatile @Nullable Throwable lastFailure;

  private volatile boolean closed;

  /** What {@link #track} asked for; null before. */
  private volatile @Nullable Tracking tracking;

  /** When, on {@link System#nanoTime()}, {@link #tracking()} next looks at the connections. */
  private final AtomicLong nextTrackingSync = new AtomicLong();

  /**
   * When the latest command that Redis answered was sent, on {@link System#nanoTime()}. On one
   * connection Redis sends its reports and answers in order, and the client hears them in order: a
   * report of a change Redis made before it took that command has been heard. On a cluster, by
   * master ({@code host:port}): an answer of one master says nothing of another's reports.
   */
  private final AtomicLong answered = new AtomicLong(NEVER);

  private final Map<String, AtomicLong> answeredByMaster = new ConcurrentHashMap<>();

  /**
   * Who hears of keys another client changed, by {@link #track}: a list of keys, or null when every
   * key may have changed (a flush, or a connection lost). Called on a client thread; must be quick.
   */
  public interface Invalidations {
    void invalidated(@Nullable List<byte[]> keys);
  }

  /**
   * Creates the link and tries to connect, waiting at most {@code connectTimeout}.
   *
   * @param uri the parsed Redis URI: the server's, or a seed node's of a cluster
   * @param cluster whether the URI is a seed node of a Redis Cluster
   * @param commandTimeout after this, Lettuce gives up waiting for an answer
   * @param connectTimeout the most a connection attempt takes
   * @param scripts loaded as soon as a connection is made, so that first calls need not
   */
  public RedisLink(
      RedisURI uri,
      boolean cluster,
      Duration commandTimeout,
      Duration connectTimeout,
      List<Script> scripts) {
    this.uri = uri;
    this.connectTimeoutNanos = connectTimeout.toNanos();
    this.scripts = List.copyOf(scripts);
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(FIRST_RETRY_MILLIS),
                    Duration.ofMillis(MAX_RETRY_MILLIS),
                    2,
                    TimeUnit.MILLISECONDS))
            .build();
    SocketOptions socket =
        SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build();
    if (cluster) {
      RedisClusterClient c = RedisClusterClient.create(resources, uri);
      c.setOptions(
          ClusterClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .requestQueueSize(REQUEST_QUEUE)
              .socketOptions(socket)
              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enableAllAdaptiveRefreshTriggers()
                      .enablePeriodicRefresh(Duration.ofSeconds(TOPOLOGY_REFRESH_SECONDS))
                      .build())
              .build());
      this.client = c;
    } else {
      RedisClient c = RedisClient.create(resources, uri);
      c.setOptions(
          ClientOptions.builder()
              .autoReconnect(false) // this link connects again, quietly: see the class comment
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .requestQueueSize(REQUEST_QUEUE)
              .socketOptions(socket)
              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
              .build());
      this.client = c;
    }
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

  /**
   * Asks Redis to report every change another client makes to a key starting with {@code prefix}
   * (server-assisted client-side caching, {@code CLIENT TRACKING ON BCAST NOLOOP}, RESP3): on the
   * connection, or on a cluster on the connection to each master, and again after every reconnect
   * and whenever the masters change. Reports from every node reach {@code listener}. When
   * connected, waits until every connection tracks, at most the connect timeout.
   *
   * @param prefix the keys' prefix
   * @param listener hears of changed keys
   */
  public void track(String prefix, Invalidations listener) {
    Tracking t = new Tracking(prefix, listener);
    tracking = t;
    syncTracking();
    if (connection.get() != null) {
      // So that the store's first writes are reported to it: on a cluster, the masters'
      // connections are made and their tracking enabled after the link connected.
      t.awaitOn(connectTimeoutNanos);
    }
  }

  /**
   * Returns whether Redis now reports changes of tracked keys: on a cluster, whether every master
   * that serves slots does. Where it does not, tracking is asked for again, at most every {@link
   * #CONNECT_PAUSE_MILLIS} ms; on a cluster, the masters are looked at every {@link
   * #TRACKING_SYNC_MILLIS} ms.
   */
  public boolean tracking() {
    Tracking t = tracking;
    if (t == null) {
      return false;
    }
    boolean on = t.on();
    if (!on || cluster()) {
      long now = System.nanoTime();
      long next = nextTrackingSync.get();
      if (now - next >= 0
          && nextTrackingSync.compareAndSet(
              next,
              now
                  + TimeUnit.MILLISECONDS.toNanos(
                      on ? TRACKING_SYNC_MILLIS : CONNECT_PAUSE_MILLIS))) {
        syncTracking();
      }
    }
    return t.on();
  }

  /**
   * Returns a number that changes whenever {@link #tracking()} does, either way: a copy read with
   * the number taken before is known current only while the number is the same.
   */
  public long trackingEpoch() {
    Tracking t = tracking;
    return t == null ? 0 : t.epoch();
  }

  /** Gives the tracking the connections that must track, and asks again where it is off. */
  private void syncTracking() {
    Tracking t = tracking;
    Connected c = connection.get();
    if (t == null || c == null || closed) {
      return;
    }
    if (c.connection() instanceof StatefulRedisConnection<byte[], byte[]> plain) {
      t.expect(Set.of(SERVER));
      t.connection(SERVER, plain);
    } else if (c.connection() instanceof StatefulRedisClusterConnection<byte[], byte[]> k) {
      Map<String, RedisURI> masters = new HashMap<>();
      for (RedisClusterNode node : masters(k)) {
        masters.put(address(node.getUri()), node.getUri());
      }
      t.expect(masters.keySet());
      for (String name : t.missing()) {
        RedisURI node = masters.get(name);
        try {
          // The connection through which Lettuce sends every command on the node's slots.
          var unused =
              k.getConnectionAsync(node.getHost(), node.getPort(), ConnectionIntent.WRITE)
                  .thenAccept(n -> t.connection(name, n));
        } catch (RuntimeException e) {
          // Not a node of the cluster any more: the next look at the masters drops it.
        }
      }
    }
    t.retry();
  }

  /** The masters that serve slots, by the cluster's layout as the client last read it. */
  private static List<RedisClusterNode> masters(StatefulRedisClusterConnection<?, ?> k) {
    List<RedisClusterNode> out = new ArrayList<>();
    for (RedisClusterNode node : k.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots()) {
        out.add(node);
      }
    }
    return out;
  }

  private static String address(RedisURI node) {
    return node.getHost() + ":" + node.getPort();
  }

  /**
   * Returns one key per master: on a single server {@code key} itself; on a cluster, for each
   * master that serves slots, {@code key} if its slot is the master's, else the first of {@code
   * key} with {@code :1}, {@code :2}, ... added to its hash tag whose slot is ({@code
   * persona:{alive:2}}). Every instance that sees the same layout finds the same keys.
   *
   * @param key a key with a hash tag, such as {@code persona:{alive}}
   * @return the keys, one per master
   * @throws RedisUnavailableException if there is no connection yet; one is being tried
   */
  public List<byte[]> onEveryMaster(byte[] key) {
    commands(); // throws when not connected
    Connected c = connection.get();
    if (c == null || !(c.connection() instanceof StatefulRedisClusterConnection<?, ?> k)) {
      return List.of(key);
    }
    int close = indexOf(key, (byte) '}', indexOf(key, (byte) '{', 0));
    List<byte[]> out = new ArrayList<>();
    for (RedisClusterNode node : masters(k)) {
      for (int i = 0; i < MAX_TAG_TRIES; i++) {
        byte[] candidate = i == 0 ? key : withTagSuffix(key, close, i);
        if (node.hasSlot(SlotHash.getSlot(candidate))) {
          out.add(candidate);
          break;
        }
      }
    }
    return out;
  }

  private static byte[] withTagSuffix(byte[] key, int close, int i) {
    byte[] suffix = (":" + i).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[key.length + suffix.length];
    System.arraycopy(key, 0, out, 0, close);
    System.arraycopy(suffix, 0, out, close, suffix.length);
    System.arraycopy(key, close, out, close + suffix.length, key.length - close);
    return out;
  }

  private static int indexOf(byte[] key, byte b, int from) {
    for (int i = Math.max(from, 0); i < key.length; i++) {
      if (key[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("the key has no hash tag");
  }

  /** Returns true if this link is to a Redis Cluster. */
  public boolean cluster() {
    return client instanceof RedisClusterClient;
  }

  // Fire and forget: closing a connection no one will use.
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<?> connect() {
    if (!connecting.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Connected> attempt =
        client instanceof RedisClusterClient c
            // Lettuce connects a cluster asynchronously only once it read the nodes and slots.
            ? c.refreshPartitionsAsync()
                .toCompletableFuture()
                .thenCompose(ignored -> c.connectAsync(ByteArrayCodec.INSTANCE))
                .thenApply(k -> new Connected(k, k.async()))
            : ((RedisClient) client)
                .connectAsync(ByteArrayCodec.INSTANCE, uri)
                .toCompletableFuture()
                .thenApply(k -> new Connected(k, k.async()));
    return attempt.whenComplete(
        (c, e) -> {
          if (c != null) {
            if (closed) {
              c.connection().closeAsync();
            } else {
              connected(c);
            }
          } else {
            lastFailure =
                e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          }
          connecting.set(false);
          if (c == null) {
            retryLater();
          }
        });
  }

  // Fire and forget: loading the scripts early, which eval() sends by their text when Redis does
  // not know them.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void connected(Connected c) {
    for (Script s : scripts) {
      // On a cluster, Lettuce loads it on every node it knows.
      c.commands().scriptLoad(s.text());
    }
    if (lastFailure != null || retryDelayMillis != FIRST_RETRY_MILLIS) {
      LOG.debug("connected to Redis again");
    }
    lastFailure = null;
    retryDelayMillis = FIRST_RETRY_MILLIS;
    connection.set(c);
    if (c.connection() instanceof StatefulRedisConnection<byte[], byte[]> plain) {
      plain.addListener(
          new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
              lost(c);
            }
          });
      if (!plain.isOpen()) {
        lost(c); // lost before the listener heard of it
        return;
      }
    }
    syncTracking(); // the tracking hears of this connection's loss by a listener of its own
    for (Runnable r : onConnected) {
      r.run();
    }
  }

  /**
   * Runs {@code r} (quickly, on whichever thread connected) whenever this link connects to Redis
   * again.
   */
  public void onConnected(Runnable r) {
    onConnected.add(r);
  }

  /** The connection to one server was lost: this link drops it and connects again. */
  // Fire and forget: closing a connection no one will use.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void lost(Connected c) {
    if (connection.compareAndSet(c, null)) {
      c.connection().closeAsync();
      LOG.debug("the connection to Redis was lost; connecting again in the background");
      retryLater();
    }
  }

  /**
   * Tries to connect again after the current delay, which doubles up to {@link #MAX_RETRY_MILLIS};
   * does nothing when an attempt is already due, or once closed. Whatever is not connected has one
   * attempt due: each failed attempt schedules the next. On a cluster, only allows the next attempt
   * on use after {@link #CONNECT_PAUSE_MILLIS}: Lettuce logs every failed attempt there.
   */
  private void retryLater() {
    if (cluster()) {
      nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_PAUSE_MILLIS);
      return;
    }
    if (closed || !retryScheduled.compareAndSet(false, true)) {
      return;
    }
    long delay = retryDelayMillis;
    retryDelayMillis = Math.min(MAX_RETRY_MILLIS, delay * 2);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, ForkJoinPool.commonPool())
        .execute(
            () -> {
              retryScheduled.set(false);
              if (closed || connection.get() != null) {
                return;
              }
              try {
                var unused = connect();
              } catch (RuntimeException e) { // the client shut down meanwhile
                connecting.set(false);
                retryLater();
              }
            });
  }

  /**
   * Returns the commands of the connection: on a cluster, each command goes to the node serving its
   * key.
   *
   * @return the asynchronous commands, those a single server and a cluster have in common
   * @throws RedisUnavailableException if there is no connection; one is being tried, and the last
   *     attempt's failure is the cause
   */
  public RedisClusterAsyncCommands<byte[], byte[]> commands() {
    Connected c = connection.get();
    if (c != null) {
      return c.commands();
    }
    if (!cluster()) {
      retryLater(); // one is due already, unless something went wrong
    } else if (!closed && System.nanoTime() - nextAttemptNanos >= 0) {
      var unused = connect(); // in the background; a failure only delays the next attempt
    }
    throw new RedisUnavailableException(RedisUnavailableException.Kind.DOWN, lastFailure);
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
   * Runs a script on several keys, which must lie in one hash slot (they share a hash tag, such as
   * a session's keys: {@link SessionKeys#of(String, String)}), as {@link #eval(Script, byte[],
   * long, byte[]...)} does on one.
   *
   * @param script the script
   * @param keys its keys, at least one; the first decides the node, on a cluster
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @param args its arguments
   * @return the script's answer: a list of Long, byte[] and null
   * @throws IllegalArgumentException if the keys lie in different slots and the script is not
   *     {@linkplain Script#acrossSlots for a single server only}
   * @throws IllegalStateException if the script is for a single server only and this link is to a
   *     cluster
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  public List<Object> eval(Script script, byte[][] keys, long deadlineNanos, byte[]... args) {
    checkSlots(script, keys);
    RedisClusterAsyncCommands<byte[], byte[]> c = commands();
    try {
      return await(
          keys[0],
          () -> c.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args),
          deadlineNanos);
    } catch (RedisUnavailableException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      return await(
          keys[0],
          () -> c.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args),
          deadlineNanos);
    }
  }

  private void checkSlots(Script script, byte[][] keys) {
    if (script.acrossSlots()) {
      if (cluster()) {
        throw new IllegalStateException("a script across hash slots cannot run on a cluster");
      }
    } else if (keys.length > 1) {
      int slot = SlotHash.getSlot(keys[0]);
      for (int i = 1; i < keys.length; i++) {
        if (SlotHash.getSlot(keys[i]) != slot) {
          throw new IllegalArgumentException(
              "the keys of one script must share a hash tag, to lie in one cluster slot");
        }
      }
    }
  }

  /**
   * Runs a script on several keys without waiting: by its SHA-1, or by its text if Redis does not
   * know it. {@code onAnswer} hears the answer on the client's thread, before the returned future
   * completes. The answer completes on a client thread, so what follows it must be quick; wait for
   * it with {@link #await(CompletableFuture, long)}. The keys must lie in one slot unless the
   * script is {@linkplain Script#acrossSlots for a single server only}.
   *
   * @param script the script
   * @param keys its keys, at least one
   * @param onAnswer hears the answer on the client's thread, if one comes; must be quick
   * @param args its arguments
   * @return the script's answer, or a failure (not connected, an error, a timeout)
   * @throws IllegalArgumentException if the keys lie in different slots and the script is not for a
   *     single server only
   * @throws IllegalStateException if the script is for a single server only and this link is to a
   *     cluster
   */
  public CompletableFuture<List<Object>> evalAsync(
      Script script, byte[][] keys, @Nullable Consumer<List<Object>> onAnswer, byte[]... args) {
    checkSlots(script, keys);
    RedisClusterAsyncCommands<byte[], byte[]> c;
    try {
      c = commands();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long sent = System.nanoTime();
    return heardFirst(
            c.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args),
            keys[0],
            sent,
            onAnswer)
        .exceptionallyCompose(
            e ->
                e instanceof RedisNoScriptException
                        || e.getCause() instanceof RedisNoScriptException
                    ? heardFirst(
                        c.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args),
                        keys[0],
                        System.nanoTime(),
                        onAnswer)
                    : CompletableFuture.failedFuture(e));
  }

  /**
   * Waits for the answer of a command sent with {@link #evalAsync} until the deadline.
   *
   * @param <T> the answer's type
   * @param future the answer
   * @param deadlineNanos when to stop waiting, on {@link System#nanoTime()}
   * @return the answer
   * @throws RedisUnavailableException if Redis failed or did not answer by the deadline
   */
  public <T> T await(CompletableFuture<T> future, long deadlineNanos) {
    return get(future, deadlineNanos);
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
    return await(null, command, deadlineNanos);
  }

  /** As {@link #await(Supplier, long)}, for a command on {@code key}, if known. */
  private <T> T await(byte @Nullable [] key, Supplier<RedisFuture<T>> command, long deadlineNanos) {
    Future<T> future;
    try {
      future = heard(command.get(), key, System.nanoTime());
    } catch (RedisUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RedisUnavailableException(RedisUnavailableException.Kind.DOWN, e);
    }
    return get(future, deadlineNanos);
  }

  private static <T> T get(Future<T> future, long deadlineNanos) {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RedisUnavailableException u) {
        throw u; // not connected when sent
      }
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

  /**
   * Returns whether Redis answered a command sent at or after {@code sinceNanos} on the connection
   * that carries {@code key}'s commands and reports (on a cluster, to the master that serves its
   * slot): then every report of a change of the key that Redis made before that command has been
   * heard.
   *
   * @param key a key
   * @param sinceNanos a time on {@link System#nanoTime()}
   * @return whether such an answer arrived
   */
  public boolean answeredSince(byte[] key, long sinceNanos) {
    AtomicLong at;
    if (cluster()) {
      String master = masterOf(key);
      at = master == null ? null : answeredByMaster.get(master);
    } else {
      at = answered;
    }
    return at != null && at.get() - sinceNanos >= 0;
  }

  /** Returns the address of the master that serves {@code key}'s slot, as the client knows it. */
  private @Nullable String masterOf(byte[] key) {
    Connected c = connection.get();
    if (c == null || !(c.connection() instanceof StatefulRedisClusterConnection<?, ?> k)) {
      return null;
    }
    RedisClusterNode node = k.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    return node == null ? null : address(node.getUri());
  }

  /**
   * Notes, when the command's answer arrives, that a command sent at {@code sent} was answered, on
   * the client's thread, in the order of answers.
   */
  private <T> RedisFuture<T> heard(RedisFuture<T> future, byte @Nullable [] key, long sent) {
    var unused = future.whenComplete((answer, e) -> noteAnswered(key, sent, e));
    return future;
  }

  /** Notes that a command sent at {@code sent} was answered, unless it failed without an answer. */
  private void noteAnswered(byte @Nullable [] key, long sent, @Nullable Throwable e) {
    if (e == null || e instanceof RedisCommandExecutionException) {
      AtomicLong at = answered;
      if (cluster()) {
        // the master that serves the key, as the client knows it; a command without a key tells
        // nothing
        String master = key == null ? null : masterOf(key);
        at =
            master == null
                ? null
                : answeredByMaster.computeIfAbsent(master, m -> new AtomicLong(NEVER));
      }
      if (at != null) {
        at.accumulateAndGet(sent, (a, b) -> b - a > 0 ? b : a);
      }
    }
  }

  /**
   * As {@link #heard}, but the returned future completes after {@code onAnswer} ran, so that a
   * caller that waits for it sees what {@code onAnswer} did.
   */
  private <T> CompletableFuture<T> heardFirst(
      RedisFuture<T> future, byte[] key, long sent, @Nullable Consumer<T> onAnswer) {
    return future
        .toCompletableFuture()
        .whenComplete(
            (answer, e) -> {
              noteAnswered(key, sent, e);
              if (e == null && onAnswer != null) {
                onAnswer.accept(answer);
              }
            });
  }

  /** Closes the connection and releases the client's threads; waits at most two seconds. */
  @Override
  public void close() {
    closed = true;
    Tracking t = tracking;
    if (t != null) {
      t.close();
    }
    Connected c = connection.getAndSet(null);
    if (c != null) {
      c.connection().close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    // Netty's future is not readable from this module; the event loops stop within 2 s.
    var unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** A connection and its commands, to one server or to a cluster. */
  private record Connected(
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterAsyncCommands<byte[], byte[]> commands) {}
}
