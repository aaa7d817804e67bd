package io.roost.bench.compare;

import io.roost.bench.stats.LatencyHistogram;

/**
 * What one workload measured on one system in one round.
 *
 * @param completions operations that succeeded inside the measured window
 * @param errors operations that failed inside it (a benchmark with errors is reported, not
 *     hidden)
 * @param seconds the window's length
 * @param latencies the latencies of the operations that succeeded inside the window
 */
public record Measurement(long completions, long errors, double seconds,
    LatencyHistogram latencies) {
  /** Successful operations per second. */
  public double opsPerSecond() {
    return seconds <= 0 ? 0 : completions / seconds;
  }
}
