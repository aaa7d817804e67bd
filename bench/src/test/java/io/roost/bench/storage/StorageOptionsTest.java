package io.roost.bench.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageOptionsTest {
  @Test
  void theDefaultsAreAMillionNodesOfAHundredBytes() {
    StorageOptions o = StorageOptions.parse();
    assertEquals(1_000_000, o.nodes());
    assertEquals(100, o.dataBytes());
    assertEquals(Path.of("bench", "results"), o.out());
    assertFalse(o.help());
  }

  @Test
  void laterOptionsOverrideEarlierOnes() {
    StorageOptions o = StorageOptions.parse("--out", "/a", "--nodes", "5", "--quick",
        "--data-bytes", "0", "--out", "/b");
    assertEquals(StorageOptions.QUICK_NODES, o.nodes());
    assertEquals(0, o.dataBytes());
    assertEquals(Path.of("/b"), o.out());
    assertEquals(2_000, StorageOptions.parse("--quick", "--nodes", "2_000").nodes());
    assertTrue(StorageOptions.parse("--help").help());
  }

  @Test
  void badOptionsAreNamedInTheError() {
    assertMessage("unknown option '--node'", "--node", "5");
    assertMessage("--nodes needs a value", "--nodes");
    assertMessage("--nodes x is not a whole number", "--nodes", "x");
    assertMessage("--nodes 0 is not a positive count", "--nodes", "0");
    assertMessage("--data-bytes 2000000 is out of range (0 to 1000000)", "--data-bytes",
        "2000000");
    assertMessage("--out needs a value", "--out", "--quick");
  }

  private static void assertMessage(String message, String... args) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StorageOptions.parse(args));
    assertEquals(message, e.getMessage());
  }
}
