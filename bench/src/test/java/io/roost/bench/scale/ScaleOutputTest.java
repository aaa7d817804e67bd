package io.roost.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleOutputTest {
  @Test
  void theG1LineOfHeapInfoGivesTheUsedBytes() {
    String heapInfo = "12345:\n"
        + " garbage-first heap   total 262144K, used 10240K [0x0000000700000000,"
        + " 0x0000000800000000)\n"
        + "  region size 2048K, 1 young (2048K), 0 survivors (0K)\n"
        + " Metaspace       used 7000K, committed 7200K, reserved 1114112K\n";
    assertEquals(10240L * 1024, HeapUsage.usedBytes(heapInfo));
  }

  @Test
  void heapInfoWithoutAG1LineIsRefused() {
    String serial = " def new generation   total 9216K, used 1024K [0x0, 0x1, 0x2)\n";
    assertTrue(assertThrows(IllegalStateException.class, () -> HeapUsage.usedBytes(serial))
        .getMessage().contains("-XX:+UseG1GC"));
  }

  @Test
  void zooKeeperSnapshotTimesAreReadFromItsLog(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("server.log");
    Files.writeString(log, "[main] INFO org.apache.zookeeper.server.ZooKeeperServer -"
        + " Snapshot taken in 3 ms\nother\n[Snapshot Thread] INFO"
        + " org.apache.zookeeper.server.ZooKeeperServer - Snapshot taken in 2309 ms\n");
    assertEquals(List.of(3.0, 2309.0), ScaleBench.zooKeeperSnapshots(log));
  }

  @Test
  void rowsGiveRatiosAndTheHeapTarget() {
    List<ScaleRow> met = List.of(
        new ScaleRow(ScaleRow.HEAP_PER_NODE, "heap per node", "bytes", 400, 180),
        new ScaleRow("restart", "restart to first read", "ms", 4000, Double.NaN));
    assertEquals(0.45, met.get(0).ratio(), 1e-9);
    assertTrue(Double.isNaN(met.get(1).ratio()));
    assertEquals("met (0.45x)", ScaleRow.heapTarget(met));
    assertEquals("NOT MET (2.00x)", ScaleRow.heapTarget(List.of(
        new ScaleRow(ScaleRow.HEAP_PER_NODE, "heap per node", "bytes", 400, 800))));
    assertEquals("not measured", ScaleRow.heapTarget(met.subList(1, 2)));
    assertEquals("| figure | Apache ZooKeeper | Roost | Roost/ZooKeeper |\n"
        + "|---|---:|---:|---:|\n"
        + "| heap per node | 400 bytes | 180 bytes | 0.45x |\n"
        + "| restart to first read | 4,000 ms | - | - |\n", ScaleRow.markdown(met));
  }
}
