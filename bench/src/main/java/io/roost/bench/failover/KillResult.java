package io.roost.bench.failover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What one leader kill measured. Times are in milliseconds from the moment just before SIGKILL
 * was sent, except {@code rejoinMs}, which runs from the restart of the killed server.
 *
 * @param kill the kill's number, from 1
 * @param killedLeader the id of the leader that was killed
 * @param writerServer the id of the server the writer was connected to at the kill, or 0 if it
 *     was between connections
 * @param newLeader the id of the first server to report {@code Mode: leader} afterwards
 * @param leaderMs until a surviving server reported {@code Mode: leader}
 * @param firstWriteMs until the first write sent after the kill was acknowledged
 * @param outageMs from the last acknowledgement before the kill to that first one after it
 * @param failedWrites writes that failed between the kill and that first acknowledgement
 * @param rejoinMs from the restart of the killed server until it was back in sync
 */
public record KillResult(int kill, int killedLeader, int writerServer, int newLeader, double leaderMs,
    double firstWriteMs, double outageMs, int failedWrites, double rejoinMs) {

  /** The measured columns, in table order: name, JSON key, value. */
  static final List<Column> COLUMNS = List.of(
      new Column("kill -> Mode: leader", "leader_ms", KillResult::leaderMs),
      new Column("kill -> first write acked", "first_write_ms", KillResult::firstWriteMs),
      new Column("write outage", "outage_ms", KillResult::outageMs),
      new Column("failed writes", "failed_writes", KillResult::failedWrites),
      new Column("restart -> in sync", "rejoin_ms", KillResult::rejoinMs));

  /**
   * One measured column.
   *
   * @param title the table's heading
   * @param key the JSON name, with its unit
   * @param value reads the column from a result
   */
  record Column(String title, String key, ToDoubleFunction<KillResult> value) {
    /** True when the column counts something rather than timing it. */
    boolean isCount() {
      return !key.endsWith("_ms");
    }
  }

  /**
   * The smallest, the median and the largest of some values. The median is the nearest-rank
   * 50th percentile: the ceil(n/2)-th smallest value, so always one of the values.
   *
   * @param min the smallest
   * @param p50 the nearest-rank median
   * @param max the largest
   */
  record Spread(double min, double p50, double max) {
    /**
     * @throws IllegalArgumentException if there are no values
     */
    static Spread of(double[] values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("no values to summarize");
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int rank = (sorted.length + 1) / 2;
      return new Spread(sorted[0], sorted[rank - 1], sorted[sorted.length - 1]);
    }
  }

  /** The column's spread over every result. */
  static Spread spread(List<KillResult> results, Column column) {
    return Spread.of(results.stream().mapToDouble(column.value()).toArray());
  }

  /**
   * A table with one line per kill and min / p50 / max lines under it, columns aligned.
   */
  static String table(List<KillResult> results) {
    List<String> head = new ArrayList<>(List.of("kill", "killed leader", "writer on",
        "new leader"));
    COLUMNS.forEach(c -> head.add(c.title() + (c.isCount() ? "" : " (ms)")));
    List<List<String>> rows = new ArrayList<>();
    for (KillResult r : results) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(r.kill()),
          Integer.toString(r.killedLeader()),
          r.writerServer() == 0 ? "-" : Integer.toString(r.writerServer()),
          Integer.toString(r.newLeader())));
      COLUMNS.forEach(c -> row.add(number(c.value().applyAsDouble(r))));
      rows.add(row);
    }
    if (!results.isEmpty()) {
      String[] names = {"min", "p50", "max"};
      for (int k = 0; k < 3; k++) {
        List<String> row = new ArrayList<>(List.of(names[k], "", "", ""));
        for (Column c : COLUMNS) {
          Spread s = spread(results, c);
          row.add(number(k == 0 ? s.min() : k == 1 ? s.p50() : s.max()));
        }
        rows.add(row);
      }
    }
    int[] width = new int[head.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = head.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendRow(out, head, width);
    for (int i = 0; i < rows.size(); i++) {
      if (i == results.size()) {
        appendRow(out, head.stream().map(h -> "-".repeat(h.length())).toList(), width);
      }
      appendRow(out, rows.get(i), width);
    }
    return out.toString();
  }

  private static void appendRow(StringBuilder out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(i == 0 ? "" : "  ")
          .append(" ".repeat(width[i] - cells.get(i).length())).append(cells.get(i));
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) value)
        : String.format(Locale.ROOT, "%,.0f", value);
  }
}
