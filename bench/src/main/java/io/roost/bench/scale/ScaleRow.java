package io.roost.bench.scale;

import java.util.List;
import java.util.Locale;

/**
 * One scale figure measured on both systems; lower is better for every one of them (bytes,
 * milliseconds).
 *
 * @param key the JSON name, e.g. {@code heap_per_node}
 * @param title what the table calls it
 * @param unit e.g. {@code bytes} or {@code ms}
 * @param zookeeper Apache ZooKeeper's figure (NaN if not measured)
 * @param roost Roost's figure (NaN if not measured)
 */
record ScaleRow(String key, String title, String unit, double zookeeper, double roost) {
  /** Issue 6's bound on the heap-per-node ratio. */
  static final double HEAP_PER_NODE_TARGET = 0.5;
  /** The key of the row that target reads. */
  static final String HEAP_PER_NODE = "heap_per_node";

  /** Roost's figure over ZooKeeper's; NaN if either is missing or ZooKeeper's is not positive. */
  double ratio() {
    return Double.isNaN(zookeeper) || Double.isNaN(roost) || zookeeper <= 0
        ? Double.NaN : roost / zookeeper;
  }

  /**
   * The heap-per-node target as {@code met (0.41x)}, {@code NOT MET (0.62x)} or
   * {@code not measured}.
   */
  static String heapTarget(List<ScaleRow> rows) {
    double ratio = rows.stream().filter(r -> r.key().equals(HEAP_PER_NODE))
        .mapToDouble(ScaleRow::ratio).findFirst().orElse(Double.NaN);
    if (Double.isNaN(ratio)) {
      return "not measured";
    }
    return (ratio <= HEAP_PER_NODE_TARGET ? "met (" : "NOT MET (") + ratioText(ratio) + ")";
  }

  /** The rows as a Markdown table: figure, ZooKeeper, Roost, Roost/ZooKeeper. */
  static String markdown(List<ScaleRow> rows) {
    StringBuilder md = new StringBuilder(
        "| figure | Apache ZooKeeper | Roost | Roost/ZooKeeper |\n|---|---:|---:|---:|\n");
    for (ScaleRow r : rows) {
      md.append("| ").append(r.title()).append(" | ").append(r.text(r.zookeeper()))
          .append(" | ").append(r.text(r.roost())).append(" | ").append(ratioText(r.ratio()))
          .append(" |\n");
    }
    return md.toString();
  }

  /** A figure with its unit, e.g. {@code 151 bytes} or {@code 2,310 ms}, or {@code -}. */
  String text(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,.0f %s", value, unit);
  }

  /** A ratio as {@code 0.41x}, or {@code -}. */
  static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
  }
}
