package io.roost.core.server;

/** Observes finished requests, for metrics. Called on the core's thread; must be cheap. */
@FunctionalInterface
public interface RequestListener {
  /** Ignores everything. */
  RequestListener NONE = (op, err, nanos) -> {};

  /**
   * A request finished.
   *
   * @param opCode the request's op code
   * @param err the error code sent back (0 for success)
   * @param latencyNanos time from arrival to reply
   */
  void completed(int opCode, int err, long latencyNanos);
}
