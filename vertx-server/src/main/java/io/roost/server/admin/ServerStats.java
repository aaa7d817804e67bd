package io.roost.server.admin;

import io.roost.core.server.RequestListener;

/**
 * Request counters behind srvr/stat/mntr: packets received and sent, and latency min/avg/max.
 * Updated and read on the server's one context.
 */
public final class ServerStats implements RequestListener {
  private long received;
  private long sent;
  private long requests;
  private long totalLatencyNanos;
  private long minLatencyNanos = Long.MAX_VALUE;
  private long maxLatencyNanos;
  private final RequestListener next;

  /** @param next a listener to pass each completion on to (metrics) */
  public ServerStats(RequestListener next) {
    this.next = next;
  }

  /** One frame arrived from a client. */
  public void received() {
    received++;
  }

  /** One frame went to a client. */
  public void sent() {
    sent++;
  }

  @Override
  public void completed(int opCode, int err, long latencyNanos) {
    requests++;
    totalLatencyNanos += latencyNanos;
    minLatencyNanos = Math.min(minLatencyNanos, latencyNanos);
    maxLatencyNanos = Math.max(maxLatencyNanos, latencyNanos);
    next.completed(opCode, err, latencyNanos);
  }

  /** Frames received. */
  public long receivedCount() {
    return received;
  }

  /** Frames sent. */
  public long sentCount() {
    return sent;
  }

  /** Smallest request latency in milliseconds (0 before any request). */
  public double minLatencyMs() {
    return requests == 0 ? 0 : minLatencyNanos / 1e6;
  }

  /** Mean request latency in milliseconds. */
  public double avgLatencyMs() {
    return requests == 0 ? 0 : totalLatencyNanos / 1e6 / requests;
  }

  /** Largest request latency in milliseconds. */
  public double maxLatencyMs() {
    return maxLatencyNanos / 1e6;
  }

  /** Resets the counters (ZooKeeper's srst). */
  public void reset() {
    received = 0;
    sent = 0;
    requests = 0;
    totalLatencyNanos = 0;
    minLatencyNanos = Long.MAX_VALUE;
    maxLatencyNanos = 0;
  }
}
