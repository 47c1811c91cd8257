package dev.persona.redis;

import org.jspecify.annotations.Nullable;

/**
 * Redis did not do what a store asked: it did not answer within the command timeout, was not
 * connected, answered with an error, or the key was contended by too many writers. {@link
 * RedisStatsStore} throws it; {@link RedisSessionStore} throws it as the cause of a {@link
 * dev.persona.spi.SessionStoreException}. Its message holds no ids, keys or values.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class RedisUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * How Redis was unavailable. Thread-safe: an enum.
   *
   * @since 0.3.0
   */
  public enum Kind {
    /** No answer within the command timeout. */
    TIMEOUT("did not answer in time"),
    /** Not connected, or the connection broke; the store reconnects by itself. */
    DOWN("is not reachable"),
    /** Redis answered with an error, such as out of memory. */
    ERROR("answered with an error"),
    /** The key was changed by other writers at every one of the store's attempts. */
    CONTENDED("was contended by too many writers"),
    /** The waiting thread was interrupted; its interrupt status is set again. */
    INTERRUPTED("was not waited for: the thread was interrupted"),
    /**
     * Redis lost its data (a restart without persistence), and for a couple of seconds the
     * instances write back their copies of the sessions before changes are written on top.
     */
    RECOVERING("lost its data: the sessions are being written back");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /**
     * Returns the reason in words, to follow "Redis".
     *
     * @return the description
     */
    public String description() {
      return description;
    }
  }

  private final Kind kind;

  /**
   * Creates the exception; the stores of this module make it.
   *
   * @param kind how Redis was unavailable
   * @param cause the client's exception, or null
   */
  public RedisUnavailableException(Kind kind, @Nullable Throwable cause) {
    super("Redis " + kind.description(), cause);
    this.kind = kind;
  }

  /**
   * Returns how Redis was unavailable.
   *
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
