package io.roost.bench.compare;

import java.util.Locale;

/**
 * One row of the comparison: a workload measured on both systems.
 *
 * @param key the row's JSON name, e.g. {@code set_data}
 * @param title what the table calls it
 * @param headline the column the chart draws and most targets read: ops/s for a throughput row,
 *     p50 for a latency or time row
 * @param zookeeper Apache ZooKeeper's figures
 * @param roost Roost's figures
 */
public record Row(String key, String title, Sample.Column headline, Sample zookeeper,
    Sample roost) {

  /** Roost's value over ZooKeeper's in {@code column}; NaN if either is missing or zero. */
  public double ratio(Sample.Column column) {
    double z = column.of(zookeeper);
    double r = column.of(roost);
    return Double.isNaN(z) || Double.isNaN(r) || z == 0 ? Double.NaN : r / z;
  }

  /** Whether Roost does better than ZooKeeper in {@code column} (false when there is no ratio). */
  public boolean roostBetter(Sample.Column column) {
    double ratio = ratio(column);
    return !Double.isNaN(ratio) && (column.higherIsBetter() ? ratio > 1 : ratio < 1);
  }

  /** A ratio as the table prints it, e.g. {@code 2.31x}, or {@code -}. */
  static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
  }
}
