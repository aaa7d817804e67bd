package io.roost.server.peer;

import java.time.Duration;

/**
 * Exponential reconnect waits: {@code min}, then twice as long after each failure, never more than
 * {@code max}; {@link #reset()} after a connection succeeds. Not thread-safe.
 */
final class Backoff {
  private final long minMs;
  private final long maxMs;
  private long nextMs;

  Backoff(Duration min, Duration max) {
    // Timers need at least 1 ms; sub-millisecond settings round up to that.
    this.minMs = Math.max(1, min.toMillis());
    this.maxMs = Math.max(minMs, max.toMillis());
    this.nextMs = minMs;
  }

  /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
  long next() {
    long wait = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return wait;
  }

  /** Starts again from the minimum (a connection succeeded). */
  void reset() {
    nextMs = minMs;
  }
}
