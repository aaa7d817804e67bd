package io.roost.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.bench.stats.LatencyHistogram;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ComparisonOutputTest {
  private static final Row SET = new Row(Workloads.SET_DATA, "setData", Sample.Column.OPS,
      new Sample(10_000, 4, 8, 16, 0), new Sample(30_000, 2, 4, 32, 0));
  private static final Row SINGLE = new Row(Workloads.SINGLE_WRITE, "single <write> & co",
      Sample.Column.P50, new Sample(1_000, 1, 2, 4, 0), new Sample(1_250, 0.8, 1, 2, 3));
  private static final Row FAILOVER = new Row(Workloads.FAILOVER_WRITE, "kill -> write",
      Sample.Column.P50, Sample.ofTimes(new double[] {3_000}),
      Sample.ofTimes(new double[] {30_000, 20_000, 10_000}));

  @Test
  void ratiosAreRoostOverZooKeeperPerColumnAndMissingFiguresHaveNone() {
    assertEquals(3.0, SET.ratio(Sample.Column.OPS), 1e-9);
    assertEquals(0.5, SET.ratio(Sample.Column.P50), 1e-9);
    assertEquals(2.0, SET.ratio(Sample.Column.P999), 1e-9);
    assertTrue(SET.roostBetter(Sample.Column.OPS));
    assertTrue(SET.roostBetter(Sample.Column.P50));
    assertFalse(SET.roostBetter(Sample.Column.P999));
    assertTrue(Double.isNaN(FAILOVER.ratio(Sample.Column.OPS)));
    // The median of three kills is the second smallest.
    assertEquals(20_000 / 3_000.0, FAILOVER.ratio(Sample.Column.P50), 1e-9);
  }

  @Test
  void roundsGiveTheMedianRateAndPercentilesOverEveryLatency() {
    LatencyHistogram a = new LatencyHistogram();
    a.record(1_000_000);
    LatencyHistogram b = new LatencyHistogram();
    b.record(3_000_000);
    LatencyHistogram c = new LatencyHistogram();
    c.record(2_000_000);
    Sample s = Sample.of(List.of(new Measurement(100, 1, 1, a), new Measurement(300, 0, 1, b),
        new Measurement(200, 2, 1, c)));
    assertEquals(200, s.opsPerSecond(), 1e-9);
    assertEquals(3, s.errors());
    assertEquals(3.0, s.p999Ms(), 0.05);
    assertEquals(2.0, s.p50Ms(), 0.05);
  }

  @Test
  void theTextTableHasThreeAlignedLinesPerRow() {
    String text = ComparisonTable.text(List.of(SET, FAILOVER));
    List<String> lines = text.lines().toList();
    assertEquals(7, lines.size());
    assertTrue(lines.get(0).startsWith("workload"));
    assertTrue(lines.get(1).contains("ZooKeeper") && lines.get(1).contains("10,000"));
    assertTrue(lines.get(2).contains("Roost") && lines.get(2).contains("30,000"));
    assertTrue(lines.get(3).contains("Roost/ZK") && lines.get(3).contains("3.00x")
        && lines.get(3).contains("0.50x"));
    assertTrue(lines.get(4).contains("3,000") && lines.get(4).contains(" - "));
    assertEquals(lines.get(1).indexOf("ZooKeeper"), lines.get(2).indexOf("Roost"));
  }

  @Test
  void theMarkdownTableHasOneLinePerSystemAndBoldRatios() {
    String md = ComparisonTable.markdown(List.of(SET, SINGLE));
    List<String> lines = md.lines().toList();
    assertEquals(2 + 6, lines.size());
    assertEquals("| setData | ZooKeeper | 10,000 | 4.00 | 8.00 | 16.0 |", lines.get(2));
    assertEquals("|  | **Roost/ZK** | **3.00x** | **0.50x** | **0.50x** | **2.00x** |",
        lines.get(4));
    assertTrue(lines.get(6).contains("Roost (3 errors)"));
  }

  @Test
  void targetsAreMetNotMetOrNotMeasured() {
    List<Row> rows = List.of(SET, SINGLE, FAILOVER);
    List<Target.Outcome> out = Target.ISSUE_6.stream().map(t -> t.check(rows)).toList();
    assertEquals(Target.Verdict.MET, out.get(0).verdict());
    assertEquals("met (3.00x)", out.get(0).text());
    assertEquals(Target.Verdict.NOT_MEASURED, out.get(1).verdict());
    assertEquals(Target.Verdict.NOT_MET, out.get(2).verdict());
    assertEquals("NOT MET (0.80x)", out.get(2).text());
    assertEquals(Target.Verdict.NOT_MET, out.get(4).verdict());
    assertTrue(ComparisonTable.targets(out).contains("not measured"));
  }

  @Test
  void theChartIsWellFormedSvgWithOneBarPerMeasuredRow() throws Exception {
    Row missing = new Row(Workloads.LOCK, "lock", Sample.Column.OPS,
        new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0),
        new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0));
    String svg = RatioChart.svg("run & title", List.of(SET, SINGLE, FAILOVER, missing),
        Target.ISSUE_6);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    // The background plus one bar per measured row.
    assertEquals(1 + 3, doc.getElementsByTagName("rect").getLength());
    assertTrue(svg.contains("single &lt;write&gt; &amp; co"));
    assertTrue(svg.contains("3.00x"));
    assertTrue(svg.contains("not measured"));
    assertTrue(svg.contains("6.67x"));
  }

  @Test
  void theChartAxisIsLogarithmicAroundOne() {
    double one = RatioChart.x(1);
    assertEquals(RatioChart.x(2) - one, one - RatioChart.x(0.5), 1e-9);
    assertEquals(RatioChart.x(8), RatioChart.x(100), 1e-9);
  }
}
