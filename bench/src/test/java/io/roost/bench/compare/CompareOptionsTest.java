package io.roost.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {
  @Test
  void theDefaultsAreThreeRoundsOfTenSecondsWithEightContenders() {
    CompareOptions o = CompareOptions.parse();
    assertEquals(3, o.rounds());
    assertEquals(Duration.ofSeconds(10), o.measure());
    assertEquals(Duration.ofSeconds(5), o.warmup());
    assertEquals(8, o.lockContenders());
    assertEquals(1, o.kills());
    assertEquals(2_000, o.tickTimeMs());
    assertEquals("1g", o.serverHeap());
    assertEquals(Path.of("bench", "results"), o.out());
    assertFalse(o.keep());
    assertFalse(o.help());
    for (String g : CompareOptions.GROUPS) {
      assertTrue(o.runs(g), g);
    }
    assertEquals(java.util.List.of(), o.serverJvmOptions());
  }

  @Test
  void onlyRunsTheNamedGroupsAndServerJvmOptionsAreSplitOnSpaces() {
    CompareOptions o = CompareOptions.parse("--only", "setData, lock", "--server-jvm-opts",
        " -XX:StartFlightRecording=duration=5s,filename=s.jfr  -Dx=1 ");
    assertTrue(o.runs("setData"));
    assertTrue(o.runs("lock"));
    assertFalse(o.runs("getData"));
    assertFalse(o.runs("failover"));
    assertEquals(java.util.List.of("-XX:StartFlightRecording=duration=5s,filename=s.jfr",
        "-Dx=1"), o.serverJvmOptions());
    assertMessage("--only set is not a workload group (one of setData, create, getData, mix,"
        + " single, queue, lock, failover)", "--only", "set");
    assertMessage("--only needs at least one of [setData, create, getData, mix, single, queue,"
        + " lock, failover]", "--only", ",");
  }

  @Test
  void quickIsOneShortRoundAndLaterOptionsOverrideIt() {
    CompareOptions quick = CompareOptions.parse("--rounds", "5", "--quick");
    assertEquals(1, quick.rounds());
    assertEquals(Duration.ofSeconds(CompareOptions.QUICK_MEASURE_S), quick.measure());
    assertEquals(Duration.ofSeconds(CompareOptions.QUICK_WARMUP_S), quick.warmup());
    CompareOptions o = CompareOptions.parse("--quick", "--rounds", "2", "--seconds", "7",
        "--warmup", "0", "--kills", "0", "--server-heap", "512m", "--out", "/x", "--keep",
        "--contenders", "4", "--tick-time", "500");
    assertEquals(2, o.rounds());
    assertEquals(Duration.ofSeconds(7), o.measure());
    assertEquals(Duration.ZERO, o.warmup());
    assertEquals(0, o.kills());
    assertEquals("512m", o.serverHeap());
    assertEquals(Path.of("/x"), o.out());
    assertTrue(o.keep());
    assertEquals(4, o.lockContenders());
    assertEquals(500, o.tickTimeMs());
    assertTrue(CompareOptions.parse("-h").help());
  }

  @Test
  void badOptionsAreNamedInTheMessage() {
    assertMessage("unknown option '--fast'", "--fast");
    assertMessage("--rounds needs a value", "--rounds");
    assertMessage("--rounds needs a value", "--rounds", "--quick");
    assertMessage("--seconds x is not a whole number", "--seconds", "x");
    assertMessage("--rounds 0 is out of range (1 to 100)", "--rounds", "0");
    assertMessage("--seconds 0 is out of range (1 to 3600)", "--seconds", "0");
    assertMessage("--kills -1 is out of range (0 to 100)", "--kills", "-1");
    assertMessage("--server-heap lots is not a heap size such as 512m or 1g", "--server-heap",
        "lots");
  }

  private static void assertMessage(String message, String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompareOptions.parse(args));
    assertEquals(message, e.getMessage());
  }
}
