package io.roost.bench.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FailoverOptionsTest {
  @Test
  void theDefaultsAreTenKillsAtZooKeepersTickTime() {
    FailoverOptions o = FailoverOptions.parse();
    assertEquals(10, o.kills());
    assertEquals(2_000, o.tickTimeMs());
    assertEquals(Path.of("bench", "results"), o.out());
    assertFalse(o.keep());
    assertFalse(o.help());
  }

  @Test
  void laterOptionsOverrideEarlierOnes() {
    FailoverOptions o = FailoverOptions.parse("--out", "/a", "--kills", "5", "--quick",
        "--tick-time", "500", "--out", "/b", "--keep");
    assertEquals(FailoverOptions.QUICK_KILLS, o.kills());
    assertEquals(500, o.tickTimeMs());
    assertEquals(Path.of("/b"), o.out());
    assertTrue(o.keep());
    assertEquals(20, FailoverOptions.parse("--quick", "--kills", "20").kills());
    assertTrue(FailoverOptions.parse("--help").help());
  }

  @Test
  void badOptionsAreNamedInTheError() {
    assertMessage("unknown option '--kill'", "--kill", "5");
    assertMessage("--kills needs a value", "--kills");
    assertMessage("--kills x is not a whole number", "--kills", "x");
    assertMessage("--kills 0 is out of range (1 to 1000)", "--kills", "0");
    assertMessage("--tick-time 0 is not a positive number of milliseconds", "--tick-time", "0");
    assertMessage("--out needs a value", "--out", "--quick");
  }

  private static void assertMessage(String message, String... args) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FailoverOptions.parse(args));
    assertEquals(message, e.getMessage());
  }
}
