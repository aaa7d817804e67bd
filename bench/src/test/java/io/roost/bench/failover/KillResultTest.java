package io.roost.bench.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KillResultTest {
  @Test
  void theMedianIsTheNearestRankValue() {
    assertEquals(new KillResult.Spread(1, 5, 10),
        KillResult.Spread.of(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
    assertEquals(new KillResult.Spread(1, 2, 3), KillResult.Spread.of(new double[] {3, 1, 2}));
    assertEquals(new KillResult.Spread(4, 4, 4), KillResult.Spread.of(new double[] {4}));
    assertThrows(IllegalArgumentException.class, () -> KillResult.Spread.of(new double[0]));
  }

  @Test
  void theTableHasALinePerKillThenMinP50Max() {
    List<KillResult> results = List.of(
        new KillResult(1, 3, 2, 1, 1000.4, 2000, 2001, 12, 3500),
        new KillResult(2, 1, 0, 2, 1200, 2600, 2602, 7, 3100));
    String[] lines = KillResult.table(results).split("\n");
    assertEquals(7, lines.length, String.join("\n", lines));
    assertTrue(lines[0].startsWith("kill  killed leader  writer on  new leader"), lines[0]);
    assertTrue(lines[1].matches(" +1 +3 +2 +1 +1,000 +2,000 +2,001 +12 +3,500"), lines[1]);
    assertTrue(lines[2].matches(" +2 +1 +- +2 +1,200 +2,600 +2,602 +7 +3,100"), lines[2]);
    assertTrue(lines[3].startsWith("----  "), lines[3]);
    assertTrue(lines[4].matches(" min +1,000 +2,000 +2,001 +7 +3,100"), lines[4]);
    assertTrue(lines[5].matches(" p50 +1,000 +2,000 +2,001 +7 +3,100"), lines[5]);
    assertTrue(lines[6].matches(" max +1,200 +2,600 +2,602 +12 +3,500"), lines[6]);
  }
}
