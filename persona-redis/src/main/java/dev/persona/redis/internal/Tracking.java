package dev.persona.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-assisted client-side caching ({@code CLIENT TRACKING ON BCAST NOLOOP PREFIX <prefix>},
 * over RESP3) on every connection that writes keys: the one connection to a single server, or the
 * connection to each master of a cluster, through which every command on a key of its slots goes.
 * Redis reports there every change another client makes to a key with the prefix; each connection's
 * reports reach the same {@link RedisLink.Invalidations}. Tracking is enabled on each connection as
 * it is given ({@link #connection}) and again whenever it reconnects.
 *
 * <p>{@link #on()} is true only while every expected connection ({@link #expect}) has tracking on:
 * while one is lost, changes of its keys go unreported. So the listener hears that every key may
 * have changed (null) when a connection is lost and again when its tracking is on: what was done in
 * between, such as re-reading the sessions written lately, may have missed a change. The {@link
 * #epoch()} changes whenever {@link #on()} does, both ways: a copy read (the epoch taken before the
 * read was sent) is known current only while the epoch is the same, so a copy read before tracking
 * was on everywhere, or before a connection was lost, is never trusted. Thread-safe: state changes
 * are synchronized, {@link #on()} and {@link #epoch()} read volatile fields.
 */
final class Tracking {
  private final String prefix;
  private final RedisLink.Invalidations listener;
  private final AtomicLong epoch = new AtomicLong();
  private final Map<String, Node> nodes = new HashMap<>();
  private Set<String> expected = Set.of();
  private volatile boolean on;
  private volatile boolean closed;

  /** One connection that tracks, named by its node's address ({@code host:port}). */
  private static final class Node {
    final String name;
    final StatefulRedisConnection<byte[], byte[]> connection;

    /** Whether Redis confirmed tracking on this connection since it last connected. */
    boolean on;

    /** Whether a {@code CLIENT TRACKING} is in flight. */
    boolean asking;

    /** Counts the times the connection was lost: an answer from before one does not count. */
    long lost;

    Node(String name, StatefulRedisConnection<byte[], byte[]> connection) {
      this.name = name;
      this.connection = connection;
    }
  }

  /**
   * @param prefix the keys' prefix
   * @param listener hears of changed keys; null for every key (a flush, or a connection lost)
   */
  Tracking(String prefix, RedisLink.Invalidations listener) {
    this.prefix = prefix;
    this.listener = listener;
  }

  /** Returns whether every expected connection now has tracking on. */
  boolean on() {
    return on;
  }

  /**
   * Waits until {@link #on()} is true, at most {@code timeoutNanos}.
   *
   * @param timeoutNanos the most time to wait
   */
  synchronized void awaitOn(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    for (long left = timeoutNanos; !on && left > 0; left = deadline - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Returns the epoch: it changes whenever {@link #on()} does. */
  long epoch() {
    return epoch.get();
  }

  /**
   * Sets the nodes whose connections must track, and forgets those of others.
   *
   * @param names the nodes' addresses
   */
  synchronized void expect(Set<String> names) {
    expected = Set.copyOf(names);
    nodes.keySet().retainAll(expected);
    update();
  }

  /** Returns the expected nodes that have no connection, or one that is closed for good. */
  synchronized List<String> missing() {
    List<String> out = new ArrayList<>();
    for (String name : expected) {
      Node n = nodes.get(name);
      if (n == null || !n.connection.isOpen()) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * Tracks on a node's connection: listens to its reports and its state, and enables tracking, now
   * and after every reconnect. Nothing happens if it is already the node's connection.
   *
   * @param name the node's address
   * @param connection its connection, through which the commands on its keys go
   */
  void connection(String name, StatefulRedisConnection<byte[], byte[]> connection) {
    Node node;
    synchronized (this) {
      Node old = nodes.get(name);
      if (closed || (old != null && old.connection == connection)) {
        return;
      }
      node = new Node(name, connection);
      nodes.put(name, node);
      update();
    }
    connection.addListener(this::onPush);
    connection.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
            enable(node);
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
            lost(node);
          }
        });
    enable(node);
  }

  /** Enables tracking again where it is off and not being asked for, as after a failed attempt. */
  void retry() {
    List<Node> off = new ArrayList<>();
    synchronized (this) {
      for (Node n : nodes.values()) {
        if (!n.on && !n.asking && n.connection.isOpen()) {
          off.add(n);
        }
      }
    }
    off.forEach(this::enable);
  }

  /** Stops enabling tracking: the link closes. */
  void close() {
    closed = true;
  }

  // Fire and forget: the answer only turns tracking on.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void enable(Node node) {
    long lost;
    synchronized (this) {
      if (closed || nodes.get(node.name) != node) {
        return;
      }
      node.asking = true;
      lost = node.lost;
    }
    node.connection
        .async()
        .clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefix).noloop())
        .whenComplete(
            (ok, e) -> {
              boolean turnedOn;
              synchronized (this) {
                node.asking = false;
                turnedOn = e == null && node.lost == lost;
                if (turnedOn) {
                  node.on = true;
                  update();
                }
              }
              if (turnedOn) {
                // changes made before this connection tracked went unreported, also those made
                // after the instance last looked (when it lost the connection): it looks again
                listener.invalidated(null);
              }
            });
  }

  private void lost(Node node) {
    synchronized (this) {
      node.on = false;
      node.lost++;
      update();
    }
    listener.invalidated(null);
  }

  /** Recomputes {@link #on}; a change either way starts a new epoch. Holds the lock. */
  private void update() {
    boolean all = !expected.isEmpty();
    for (String name : expected) {
      Node n = nodes.get(name);
      all &= n != null && n.on && n.connection.isOpen();
    }
    if (all != on) {
      // Off: copies read before are not trusted again. On: the epoch that copies read from now on
      // keep, sent after every connection's tracking was confirmed.
      epoch.incrementAndGet();
      on = all;
      notifyAll();
    }
  }

  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(Tracking::bytes);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (keys instanceof List<?> list) {
      List<byte[]> out = new ArrayList<>(list.size());
      for (Object k : list) {
        if (k instanceof byte[] b) {
          out.add(b);
        }
      }
      listener.invalidated(out);
    } else {
      listener.invalidated(null); // a flush: every key
    }
  }

  private static Object bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
