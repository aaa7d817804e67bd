package io.roost.core.server;

/**
 * The settings the core needs, taken from the server's configuration.
 *
 * @param serverId this server's id (0 when standalone); seeds session ids
 * @param tickTimeMs the basic time unit; session expiry is checked once per tick
 * @param minSessionTimeoutMs lower bound of negotiated session timeouts
 * @param maxSessionTimeoutMs upper bound of negotiated session timeouts
 * @param ttlNodesEnabled whether TTL create modes are accepted
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are swept
 * @param linearizableReads in an ensemble, whether every read waits for a leader-confirmed read
 *     index (linearizable) instead of being served at once from this server's applied state
 *     (sequentially consistent, ZooKeeper's behaviour)
 */
public record CoreSettings(long serverId, int tickTimeMs, int minSessionTimeoutMs,
    int maxSessionTimeoutMs, boolean ttlNodesEnabled, long containerCheckIntervalMs,
    boolean linearizableReads) {

  /** Settings with sequentially consistent reads. */
  public CoreSettings(long serverId, int tickTimeMs, int minSessionTimeoutMs,
      int maxSessionTimeoutMs, boolean ttlNodesEnabled, long containerCheckIntervalMs) {
    this(serverId, tickTimeMs, minSessionTimeoutMs, maxSessionTimeoutMs, ttlNodesEnabled,
        containerCheckIntervalMs, false);
  }

  /** Validates the settings. */
  public CoreSettings {
    if (tickTimeMs <= 0) {
      throw new IllegalArgumentException("tickTime=" + tickTimeMs + " must be positive");
    }
    if (minSessionTimeoutMs <= 0 || minSessionTimeoutMs > maxSessionTimeoutMs) {
      throw new IllegalArgumentException("minSessionTimeout=" + minSessionTimeoutMs
          + " must be positive and at most maxSessionTimeout=" + maxSessionTimeoutMs);
    }
    if (containerCheckIntervalMs <= 0) {
      throw new IllegalArgumentException("containerCheckIntervalMs=" + containerCheckIntervalMs
          + " must be positive");
    }
    if (serverId < 0 || serverId > 254) {
      throw new IllegalArgumentException("serverId=" + serverId + " must be in 0..254");
    }
  }

  /** Settings with ZooKeeper's defaults for the given tick. */
  public static CoreSettings standalone(int tickTimeMs) {
    return new CoreSettings(0, tickTimeMs, 2 * tickTimeMs, 20 * tickTimeMs, true, 60_000);
  }
}
