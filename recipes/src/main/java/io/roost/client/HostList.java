package io.roost.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The servers of a connect string ({@code host:port,host:port}), tried in a shuffled order that
 * repeats, so clients spread over the ensemble.
 */
final class HostList {
  /** One server address. */
  record Host(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final List<Host> hosts;
  private int next;

  private HostList(List<Host> hosts) {
    this.hosts = hosts;
  }

  /**
   * Parses a connect string; IPv6 hosts go in brackets. A port defaults to 2181.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  static HostList parse(String connectString, Random random) {
    if (connectString == null || connectString.isBlank()) {
      throw new IllegalArgumentException("connectString is empty: give host:port[,host:port...]");
    }
    if (connectString.indexOf('/') >= 0) {
      throw new IllegalArgumentException("connectString \"" + connectString + "\" has a path:"
          + " use the builder's namespace(...) instead of a chroot");
    }
    List<Host> out = new ArrayList<>();
    for (String raw : connectString.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("connectString \"" + connectString
            + "\" has an empty entry");
      }
      String host;
      String port = null;
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("connectString entry \"" + entry
              + "\" has no closing ]");
        }
        host = entry.substring(1, close);
        if (close + 1 < entry.length()) {
          if (entry.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("connectString entry \"" + entry
                + "\": expected :port after ]");
          }
          port = entry.substring(close + 2);
        }
      } else {
        int colon = entry.lastIndexOf(':');
        host = colon < 0 ? entry : entry.substring(0, colon);
        port = colon < 0 ? null : entry.substring(colon + 1);
      }
      int p = 2181;
      if (port != null) {
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          p = -1;
        }
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("connectString entry \"" + entry
              + "\" has a bad port (1-65535)");
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("connectString entry \"" + entry + "\" has no host");
      }
      out.add(new Host(host, p));
    }
    Collections.shuffle(out, random);
    return new HostList(List.copyOf(out));
  }

  /** The next server to try. */
  Host next() {
    Host h = hosts.get(next);
    next = (next + 1) % hosts.size();
    return h;
  }

  /** True when the next {@link #next()} starts another pass over every server. */
  boolean atStart() {
    return next == 0;
  }

  int size() {
    return hosts.size();
  }
}
