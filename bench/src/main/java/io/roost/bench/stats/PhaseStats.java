package io.roost.bench.stats;

/**
 * What one phase of a load looked like.
 *
 * @param name the phase's name
 * @param durationNanos how long the phase lasted
 * @param latencies latencies of the requests that completed in the phase
 * @param longestGapNanos the longest stretch of the phase without any completion (from the phase
 *     start to the first completion and from the last one to the phase end count too)
 */
public record PhaseStats(String name, long durationNanos, LatencyHistogram latencies,
    long longestGapNanos) {

  /** Completions per second over the phase. */
  public double throughput() {
    return durationNanos == 0 ? 0 : latencies.count() * 1e9 / durationNanos;
  }
}
