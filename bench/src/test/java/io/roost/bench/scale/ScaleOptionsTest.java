package io.roost.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScaleOptionsTest {
  @Test
  void theDefaultsAreAMillionNodesOfAHundredBytes() {
    ScaleOptions o = ScaleOptions.parse(new String[0]);
    assertEquals(1_000_000, o.nodes());
    assertEquals(100, o.dataBytes());
    assertEquals("4g", o.serverHeap());
    assertEquals(4, o.watchSessions());
    assertEquals(Path.of("bench", "results"), o.out());
    assertFalse(o.keep());
    assertFalse(o.help());
  }

  @Test
  void laterOptionsOverrideEarlierOnes() {
    ScaleOptions o = ScaleOptions.parse(new String[] {"--out", "/a", "--nodes", "5", "--quick",
        "--server-heap", "512m", "--watch-sessions", "2", "--out", "/b", "--keep"});
    assertEquals(ScaleOptions.QUICK_NODES, o.nodes());
    assertEquals("512m", o.serverHeap());
    assertEquals(2, o.watchSessions());
    assertEquals(Path.of("/b"), o.out());
    assertTrue(o.keep());
    assertEquals(2_000, ScaleOptions.parse(new String[] {"--quick", "--nodes", "2_000"}).nodes());
    assertTrue(ScaleOptions.parse(new String[] {"--help"}).help());
  }

  @Test
  void badOptionsAreNamedInTheError() {
    assertMessage("unknown option --node", "--node", "5");
    assertMessage("--nodes needs a value", "--nodes");
    assertMessage("--nodes x is not a whole number", "--nodes", "x");
    assertMessage("--nodes 0 is out of range (1-10000000)", "--nodes", "0");
    assertMessage("--server-heap 4 is not a heap size such as 512m or 4g", "--server-heap", "4");
  }

  private static void assertMessage(String message, String... args) {
    assertEquals(message,
        assertThrows(IllegalArgumentException.class, () -> ScaleOptions.parse(args))
            .getMessage());
  }
}
