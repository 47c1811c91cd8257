package dev.persona.testing;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A Redis the tests started on loopback: one server ({@link RedisServer}) or a cluster ({@link
 * RedisCluster}), so that a test can run alike on both. Implementations are not thread-safe: one
 * test class starts and stops them from one thread; {@link #commands} may be called from any.
 */
public sealed interface LocalRedis extends AutoCloseable permits RedisServer, RedisCluster {

  /** Returns the URI to build a store with: the server's, or a seed node's of the cluster. */
  String uri();

  /** Returns true for a cluster, whose stores are built with {@code cluster(true)}. */
  boolean cluster();

  /** Returns every key, of every node, sorted. */
  List<String> keys();

  /**
   * Runs {@code work} with commands that reach every key: a plain connection to the server, or a
   * cluster connection that sends each key's command to its node.
   */
  <T> T commands(Function<RedisClusterCommands<byte[], byte[]>, T> work);

  /** Blocks every server for {@code pause} ({@code DEBUG SLEEP}), all at once. */
  void pause(Duration pause);

  /** Returns every server: the only one, or the cluster's masters. */
  List<RedisServer> servers();

  /** Returns the server that holds {@code key}: the only one, or the master serving its slot. */
  RedisServer serverOf(String key);

  /** Deletes every key of every server ({@code FLUSHALL}). */
  void flush();

  /** Stops every server and deletes its files. */
  @Override
  void close();
}
