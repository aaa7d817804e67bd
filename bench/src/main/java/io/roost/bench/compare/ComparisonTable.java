package io.roost.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as tables: three lines per row (ZooKeeper, Roost, Roost/ZooKeeper), as plain
 * text for the console and as Markdown for docs/performance.md, and the targets' outcomes.
 */
public final class ComparisonTable {
  private static final List<String> HEAD = List.of("workload", "system", "ops/s", "p50 ms",
      "p99 ms", "p99.9 ms");

  private ComparisonTable() {}

  /** A plain-text table with aligned columns. */
  public static String text(List<Row> rows) {
    List<List<String>> cells = cells(rows);
    int[] width = new int[HEAD.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : cells) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        String c = line.get(i);
        if (i < 2) {
          b.append(c).append(" ".repeat(width[i] - c.length())).append("  ");
        } else {
          b.append(" ".repeat(width[i] - c.length())).append(c).append("  ");
        }
      }
      out.append(b.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A Markdown table; the ratio lines are bold. */
  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    List<List<String>> cells = cells(rows);
    out.append("| ").append(String.join(" | ", HEAD)).append(" |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    for (List<String> line : cells.subList(1, cells.size())) {
      List<String> md = new ArrayList<>(line);
      if (md.get(1).equals("Roost/ZK")) {
        for (int i = 1; i < md.size(); i++) {
          if (!md.get(i).equals("-")) {
            md.set(i, "**" + md.get(i) + "**");
          }
        }
      }
      out.append("| ").append(String.join(" | ", md)).append(" |\n");
    }
    return out.toString();
  }

  /** One line per target: its statement, bound and outcome. */
  public static String targets(List<Target.Outcome> outcomes) {
    int width = outcomes.stream().mapToInt(o -> o.target().title().length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    for (Target.Outcome o : outcomes) {
      out.append("  ").append(o.target().title())
          .append(" ".repeat(width - o.target().title().length())).append("  ").append(o.text())
          .append('\n');
    }
    return out.toString();
  }

  private static List<List<String>> cells(List<Row> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(HEAD);
    for (Row r : rows) {
      cells.add(line(r.title(), "ZooKeeper", r.zookeeper()));
      cells.add(line("", "Roost", r.roost()));
      List<String> ratio = new ArrayList<>(List.of("", "Roost/ZK"));
      for (Sample.Column c : Sample.Column.values()) {
        ratio.add(Row.ratioText(r.ratio(c)));
      }
      cells.add(ratio);
    }
    return cells;
  }

  private static List<String> line(String title, String system, Sample s) {
    List<String> line = new ArrayList<>(List.of(title, system + (s.errors() > 0
        ? " (" + s.errors() + " errors)" : "")));
    line.add(Double.isNaN(s.opsPerSecond()) ? "-"
        : String.format(Locale.ROOT, "%,.0f", s.opsPerSecond()));
    for (Sample.Column c : List.of(Sample.Column.P50, Sample.Column.P99, Sample.Column.P999)) {
      line.add(millis(c.of(s)));
    }
    return line;
  }

  /** Milliseconds with three significant-ish digits: 0.412, 4.12, 41.2, 412, 4,120. */
  static String millis(double ms) {
    if (Double.isNaN(ms)) {
      return "-";
    }
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.3f", ms);
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%,.0f", ms);
  }
}
