package dev.persona.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster of masters on loopback for tests: one {@link RedisServer} per master, in
 * cluster mode, nothing saved to disk. The same redis-server runs as for {@link RedisServer} (the
 * machine's, or the embedded-redis 6.2 binary). No redis-cli is needed: the cluster is formed with
 * commands, as {@code redis-cli --cluster create} would form it without replicas. The 16,384 slots
 * are split into equal ranges ({@code CLUSTER ADDSLOTS}; 6.2 has no {@code ADDSLOTSRANGE}), the
 * nodes meet ({@code CLUSTER MEET}), and {@link #start} returns once every node reports {@code
 * cluster_state:ok}: about 2 s, as a master reports it no sooner than 2 s after it started. {@link
 * #shared} hands out one cluster that the test classes of a JVM take turns with, so that each does
 * not wait those seconds. Not thread-safe: one test class at a time uses a cluster, from one thread
 * ({@link #shared} itself may be called from any).
 */
public final class RedisCluster implements LocalRedis {
  /** The number of hash slots of a Redis Cluster. */
  public static final int SLOTS = 16_384;

  /** What a node's cluster bus listens on: its port plus this (Redis 6.2 cannot choose). */
  private static final int BUS_OFFSET = 10_000;

  /** How long a cluster may take to form, or to be whole again after a node restarted. */
  private static final long WHOLE_WITHIN_SECONDS = 30;

  /** The cluster {@link #shared} hands out, once started. */
  private static @Nullable RedisCluster shared;

  /** How many times its nodes had started when {@link #shared} last handed it out. */
  private static long sharedStarts;

  private final List<RedisServer> nodes;
  private final boolean isShared;

  private RedisCluster(List<RedisServer> nodes, boolean isShared) {
    this.nodes = List.copyOf(nodes);
    this.isShared = isShared;
  }

  /**
   * Returns the cluster of three masters that the tests of this JVM share: started on first use,
   * stopped when the JVM exits, handed out with every node running (one a test stopped is started
   * again), the cluster whole, and no key on any node. Its {@link #close} does nothing.
   *
   * @return the shared cluster
   * @throws IllegalStateException if it did not start or form in time
   */
  public static synchronized RedisCluster shared() {
    RedisCluster c = shared;
    if (c == null) {
      c = start(3, true);
      Runtime.getRuntime().addShutdownHook(new Thread(c::stopNodes, "redis-cluster-stop"));
      shared = c;
    } else {
      for (RedisServer node : c.nodes) {
        if (!node.running()) {
          node.startAgain(); // it rejoins with its slots, from its nodes.conf
        }
      }
      if (c.starts() != sharedStarts) {
        c.awaitWhole(); // a node restarted since the last hand-out
      }
    }
    sharedStarts = c.starts();
    c.flush();
    return c;
  }

  /**
   * Starts a cluster of {@code masters} nodes, each serving an equal range of slots, and waits at
   * most 30 s until every node reports it whole.
   *
   * @param masters how many, at least 1
   * @return the running cluster; close it
   * @throws IllegalStateException if it did not start or form in time
   */
  public static RedisCluster start(int masters) {
    return start(masters, false);
  }

  private static RedisCluster start(int masters, boolean isShared) {
    if (masters < 1) {
      throw new IllegalArgumentException("masters must be at least 1");
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(startNode());
      }
      RedisCluster cluster = new RedisCluster(nodes, isShared);
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** Starts one cluster node on a port whose bus port is free too, trying a few times. */
  private static RedisServer startNode() {
    List<String> options =
        List.of(
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "{dir}/nodes.conf",
            "--cluster-node-timeout",
            "5000");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freeClusterPort();
      try {
        return RedisServer.startOn(port, options);
      } catch (IllegalStateException e) {
        last = e; // taken in between: another port
      }
    }
    throw last;
  }

  /** Returns a free loopback port whose cluster bus port is free too. */
  private static int freeClusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port + BUS_OFFSET <= 65_535 && free(port + BUS_OFFSET)) {
          return port;
        }
      } catch (IOException e) {
        // try another
      }
    }
    throw new IllegalStateException("cannot find two free loopback ports 10000 apart");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  /** Splits the slots, lets the nodes meet and waits until each says the cluster is whole. */
  private void form() {
    int n = nodes.size();
    RedisClient client = RedisClient.create();
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      for (RedisServer node : nodes) {
        connections.add(client.connect(RedisURI.create(node.uri())));
      }
      for (int i = 0; i < n; i++) {
        RedisCommands<String, String> r = connections.get(i).sync();
        r.clusterSetConfigEpoch(i + 1);
        r.clusterAddSlots(IntStream.range(SLOTS * i / n, SLOTS * (i + 1) / n).toArray());
      }
      // Every pair meets, rather than waiting about a second per round of gossip.
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          connections.get(i).sync().clusterMeet("127.0.0.1", nodes.get(j).port());
        }
      }
      awaitWhole(connections);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /**
   * Waits until every node says the cluster is whole, as after a node was stopped and started
   * again: a master that restarts answers {@code CLUSTERDOWN} for about 2 s.
   *
   * @throws IllegalStateException if it is not whole within 30 s
   */
  public void awaitWhole() {
    RedisClient client = RedisClient.create();
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      for (RedisServer node : nodes) {
        connections.add(client.connect(RedisURI.create(node.uri())));
      }
      awaitWhole(connections);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private void awaitWhole(List<StatefulRedisConnection<String, String>> connections) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WHOLE_WITHIN_SECONDS);
    for (StatefulRedisConnection<String, String> c : connections) {
      for (String info = c.sync().clusterInfo();
          !whole(info, nodes.size());
          info = c.sync().clusterInfo()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the cluster on ports "
                  + ports()
                  + " was not whole within "
                  + WHOLE_WITHIN_SECONDS
                  + " s: "
                  + info);
        }
        RedisServer.sleep(10);
      }
    }
  }

  private long starts() {
    return nodes.stream().mapToLong(RedisServer::starts).sum();
  }

  private static boolean whole(String info, int nodes) {
    return info.contains("cluster_state:ok")
        && info.contains("cluster_known_nodes:" + nodes + "\r")
        && info.contains("cluster_slots_ok:" + SLOTS + "\r");
  }

  private List<Integer> ports() {
    return nodes.stream().map(RedisServer::port).toList();
  }

  /** Returns the seed URI: the first node's. A cluster client learns the others from it. */
  @Override
  public String uri() {
    return nodes.get(0).uri();
  }

  /** Returns true. */
  @Override
  public boolean cluster() {
    return true;
  }

  /** Returns the nodes, in the order of the slot ranges they serve. */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** Returns the nodes, as {@link #nodes}. */
  @Override
  public List<RedisServer> servers() {
    return nodes;
  }

  /**
   * Returns the master that serves the slot of {@code key}, by the ranges the cluster was formed
   * with.
   */
  @Override
  public RedisServer serverOf(String key) {
    int slot = SlotHash.getSlot(key);
    int n = nodes.size();
    for (int i = n - 1; ; i--) {
      if (SLOTS * i / n <= slot) {
        return nodes.get(i);
      }
    }
  }

  /** Blocks every node for {@code pause} ({@code DEBUG SLEEP}), all at once. */
  @Override
  public void pause(Duration pause) {
    nodes.forEach(node -> node.pauseInBackground(pause));
    RedisServer.sleep(50); // let the nodes take the command before the test goes on
  }

  @Override
  public void flush() {
    nodes.forEach(RedisServer::flush);
  }

  /** Runs {@code work} with a cluster connection, which sends each key's command to its node. */
  @Override
  public <T> T commands(Function<RedisClusterCommands<byte[], byte[]>, T> work) {
    RedisClusterClient client = RedisClusterClient.create(RedisURI.create(uri()));
    try (StatefulRedisClusterConnection<byte[], byte[]> c =
        client.connect(ByteArrayCodec.INSTANCE)) {
      return work.apply(c.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Returns every key of every node, sorted. */
  @Override
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (RedisServer node : nodes) {
      keys.addAll(node.keys());
    }
    keys.sort(null);
    return keys;
  }

  /** Stops every node and deletes their files; does nothing for the {@linkplain #shared} one. */
  @Override
  public void close() {
    if (!isShared) {
      stopNodes();
    }
  }

  private void stopNodes() {
    nodes.forEach(RedisServer::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + ports();
  }
}
