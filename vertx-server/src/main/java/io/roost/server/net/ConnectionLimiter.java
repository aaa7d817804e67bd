package io.roost.server.net;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts open client connections per remote IP and refuses past {@code maxClientCnxns}
 * (0 = unlimited), as ZooKeeper does. Used on the server's one context only.
 */
public final class ConnectionLimiter {
  private final int maxPerIp;
  private final Map<String, Integer> open = new HashMap<>();

  /** @param maxPerIp the limit per IP; 0 means no limit */
  public ConnectionLimiter(int maxPerIp) {
    this.maxPerIp = maxPerIp;
  }

  /** Counts a new connection; false (and nothing counted) if the IP is at its limit. */
  public boolean tryAcquire(String ip) {
    int current = open.getOrDefault(ip, 0);
    if (maxPerIp > 0 && current >= maxPerIp) {
      return false;
    }
    open.put(ip, current + 1);
    return true;
  }

  /** A counted connection closed. */
  public void release(String ip) {
    open.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
  }
}
