package dev.persona.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
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

/**
 * A real Redis Cluster of masters on loopback for tests: one {@link RedisServer} per master, in
 * cluster mode, nothing saved to disk. The same redis-server runs as for {@link RedisServer} (the
 * machine's, or the embedded-redis 6.2 binary). No redis-cli is needed: the cluster is formed with
 * commands, as {@code redis-cli --cluster create} would form it without replicas. The 16,384 slots
 * are split into equal ranges ({@code CLUSTER ADDSLOTS}; 6.2 has no {@code ADDSLOTSRANGE}), the
 * nodes meet ({@code CLUSTER MEET}), and {@link #start} returns once every node reports {@code
 * cluster_state:ok}: about 2 s, as a master reports it no sooner than 2 s after it started. Not
 * thread-safe: one test class starts and stops it from one thread.
 */
public final class RedisCluster implements LocalRedis {
  /** The number of hash slots of a Redis Cluster. */
  public static final int SLOTS = 16_384;

  /** What a node's cluster bus listens on: its port plus this (Redis 6.2 cannot choose). */
  private static final int BUS_OFFSET = 10_000;

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
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
    if (masters < 1) {
      throw new IllegalArgumentException("masters must be at least 1");
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(startNode());
      }
      RedisCluster cluster = new RedisCluster(nodes);
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
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (StatefulRedisConnection<String, String> c : connections) {
        for (String info = c.sync().clusterInfo(); !whole(info, n); info = c.sync().clusterInfo()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the cluster on ports " + ports() + " did not form in 30 s: " + info);
          }
          RedisServer.sleep(10);
        }
      }
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
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

  /** Stops every node and deletes their files. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + ports();
  }
}
