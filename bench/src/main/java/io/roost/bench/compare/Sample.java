package io.roost.bench.compare;

import io.roost.bench.stats.LatencyHistogram;
import java.util.Arrays;
import java.util.List;

/**
 * One system's figures for one row of the comparison; a figure that does not apply is NaN.
 *
 * @param opsPerSecond operations per second (the median over rounds)
 * @param p50Ms median latency or time, in milliseconds
 * @param p99Ms 99th percentile, in milliseconds
 * @param p999Ms 99.9th percentile, in milliseconds
 * @param errors failed operations over every round
 */
public record Sample(double opsPerSecond, double p50Ms, double p99Ms, double p999Ms,
    long errors) {

  /** A row's columns. */
  public enum Column {
    /** Operations per second: higher is better. */
    OPS("ops/s", true),
    /** Median: lower is better. */
    P50("p50 ms", false),
    /** 99th percentile: lower is better. */
    P99("p99 ms", false),
    /** 99.9th percentile: lower is better. */
    P999("p99.9 ms", false);

    private final String title;
    private final boolean higherIsBetter;

    Column(String title, boolean higherIsBetter) {
      this.title = title;
      this.higherIsBetter = higherIsBetter;
    }

    /** The column's heading, with its unit. */
    public String title() {
      return title;
    }

    /** Whether a larger value is the better one. */
    public boolean higherIsBetter() {
      return higherIsBetter;
    }

    /** The column's value in {@code s}. */
    public double of(Sample s) {
      return switch (this) {
        case OPS -> s.opsPerSecond;
        case P50 -> s.p50Ms;
        case P99 -> s.p99Ms;
        case P999 -> s.p999Ms;
      };
    }
  }

  /**
   * The rounds of one workload on one system: the median of their rates, and percentiles over
   * every latency of every round.
   *
   * @throws IllegalArgumentException if there are no rounds
   */
  public static Sample of(List<Measurement> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no rounds to summarize");
    }
    LatencyHistogram all = new LatencyHistogram();
    long errors = 0;
    double[] rates = new double[rounds.size()];
    for (int i = 0; i < rates.length; i++) {
      Measurement m = rounds.get(i);
      all.add(m.latencies());
      errors += m.errors();
      rates[i] = m.opsPerSecond();
    }
    return new Sample(median(rates), ms(all.percentile(50)), ms(all.percentile(99)),
        ms(all.percentile(99.9)), errors);
  }

  /**
   * Durations measured once each (say, one per leader kill): their median in the p50 column,
   * nothing else.
   *
   * @throws IllegalArgumentException if there are none
   */
  public static Sample ofTimes(double[] millis) {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no times to summarize");
    }
    return new Sample(Double.NaN, median(millis), Double.NaN, Double.NaN, 0);
  }

  /**
   * The nearest-rank median (the ceil(n/2)-th smallest value, so always one of the values, as
   * the failover benchmark's).
   */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length + 1) / 2 - 1];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
