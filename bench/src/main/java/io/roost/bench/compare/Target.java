package io.roost.bench.compare;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A goal from issue 6, checked against a finished comparison and reported as met or not met
 * (never asserted).
 *
 * @param title the goal as the report states it
 * @param rowKey the row it reads
 * @param column the column whose Roost/ZooKeeper ratio it reads
 * @param limit the ratio's bound
 * @param atLeast true if the ratio must be at least {@code limit}, false if at most
 */
public record Target(String title, String rowKey, Sample.Column column, double limit,
    boolean atLeast) {

  /** The issue's targets that the comparison measures. */
  public static final List<Target> ISSUE_6 = List.of(
      new Target("setData throughput >= 2.5x ZooKeeper's", Workloads.SET_DATA,
          Sample.Column.OPS, 2.5, true),
      new Target("getData throughput >= 2x ZooKeeper's", Workloads.GET_DATA, Sample.Column.OPS,
          2.0, true),
      new Target("single-client write p50 <= 0.5x ZooKeeper's", Workloads.SINGLE_WRITE,
          Sample.Column.P50, 0.5, false),
      new Target("lock hand-offs >= 2x Curator on ZooKeeper", Workloads.LOCK, Sample.Column.OPS,
          2.0, true),
      new Target("leader kill to first write <= ZooKeeper's", Workloads.FAILOVER_WRITE,
          Sample.Column.P50, 1.0, false));

  /** How a target came out. */
  public enum Verdict {
    /** The ratio is within the bound. */
    MET,
    /** The ratio is outside the bound. */
    NOT_MET,
    /** The run did not measure the row. */
    NOT_MEASURED
  }

  /**
   * A target's outcome.
   *
   * @param target the target
   * @param verdict met, not met or not measured
   * @param ratio the measured ratio, NaN when not measured
   */
  public record Outcome(Target target, Verdict verdict, double ratio) {
    /** E.g. {@code met (2.61x)} or {@code NOT MET (1.20x)}. */
    public String text() {
      return switch (verdict) {
        case MET -> "met (" + Row.ratioText(ratio) + ")";
        case NOT_MET -> "NOT MET (" + Row.ratioText(ratio) + ")";
        case NOT_MEASURED -> "not measured";
      };
    }
  }

  /** Checks this target against {@code rows}. */
  public Outcome check(List<Row> rows) {
    Optional<Row> row = rows.stream().filter(r -> r.key().equals(rowKey)).findFirst();
    double ratio = row.map(r -> r.ratio(column)).orElse(Double.NaN);
    if (Double.isNaN(ratio)) {
      return new Outcome(this, Verdict.NOT_MEASURED, Double.NaN);
    }
    boolean met = atLeast ? ratio >= limit : ratio <= limit;
    return new Outcome(this, met ? Verdict.MET : Verdict.NOT_MET, ratio);
  }

  /** The bound as text, e.g. {@code >= 2.5x}. */
  public String bound() {
    return String.format(Locale.ROOT, "%s %.1fx", atLeast ? ">=" : "<=", limit);
  }
}
