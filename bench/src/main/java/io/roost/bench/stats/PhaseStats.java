package io.roost.bench.stats;

/**
 * What one phase of a load looked like.
 *
 * @param name the phase's name
 * @param durationNanos how long the phase lasted
 * @param completions requests that completed during the phase
 * @param basis which requests {@code latencies} describes
 * @param latencies latencies of the requests the basis selects
 * @param longestGapNanos the longest stretch of the phase without any completion (from the phase
 *     start to the first completion and from the last one to the phase end count too)
 */
public record PhaseStats(String name, long durationNanos, long completions,
    CompletionLog.Basis basis, LatencyHistogram latencies, long longestGapNanos) {

  /** Completions per second over the phase. */
  public double throughput() {
    return durationNanos == 0 ? 0 : completions * 1e9 / durationNanos;
  }
}
