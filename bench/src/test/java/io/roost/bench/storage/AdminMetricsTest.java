package io.roost.bench.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminMetricsTest {
  @Test
  void samplesAreReadByTheirSeriesName() {
    Map<String, Double> m = AdminMetrics.parse("""
        # HELP roost_log_fsyncs Transaction log flushes (fsyncs)
        # TYPE roost_log_fsyncs gauge
        roost_log_fsyncs 1234.0
        roost_log_transactions_per_fsync 3.5E2

        roost_requests_seconds_count{op="create",outcome="ok"} 17 1700000000000
        roost_snapshot_stall_ms NaN
        roost_requests_seconds_bucket{le="+Inf"} +Inf
        """);
    assertEquals(1234.0, AdminMetrics.value(m, "roost_log_fsyncs"));
    assertEquals(350.0, AdminMetrics.value(m, "roost_log_transactions_per_fsync"));
    assertEquals(17.0,
        AdminMetrics.value(m, "roost_requests_seconds_count{op=\"create\",outcome=\"ok\"}"));
    assertTrue(Double.isNaN(m.get("roost_snapshot_stall_ms")));
    assertEquals(Double.POSITIVE_INFINITY, m.get("roost_requests_seconds_bucket{le=\"+Inf\"}"));
    assertEquals(5, m.size());
  }

  @Test
  void aMissingSeriesIsNamedInTheError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AdminMetrics.value(Map.of(), "roost_log_fsyncs"));
    assertEquals("the server's /metrics has no roost_log_fsyncs", e.getMessage());
  }
}
