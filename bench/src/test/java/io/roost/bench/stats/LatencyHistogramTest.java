package io.roost.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void anEmptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.min());
    assertEquals(0, h.max());
    assertEquals(0, h.mean());
    assertEquals(0, h.percentile(99));
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.percentile(50));
    assertEquals(99, h.percentile(99));
    assertEquals(100, h.percentile(100));
    assertEquals(1, h.percentile(0));
    assertEquals(50.5, h.mean(), 1e-9);
  }

  @Test
  void percentilesOfMillisecondLatenciesAreWithinTwoPercent() {
    LatencyHistogram h = new LatencyHistogram();
    // 1 µs .. 100 ms in 1 µs steps: the true p-th percentile is p% of 100 ms.
    for (long us = 1; us <= 100_000; us++) {
      h.record(us * 1_000);
    }
    for (double p : new double[] {50, 90, 99, 99.9}) {
      double expected = p / 100 * 100_000_000L;
      long actual = h.percentile(p);
      assertTrue(actual >= expected * 0.98 && actual <= expected * 1.02,
          "p" + p + " = " + actual + ", expected about " + expected);
    }
    assertEquals(100_000_000L, h.max());
    assertEquals(100_000_000L, h.percentile(100));
    assertEquals(1_000, h.min());
  }

  @Test
  void aPercentileNeverExceedsTheLargestValue() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1_000_001);
    assertEquals(1_000_001, h.percentile(50));
    assertEquals(1_000_001, h.percentile(99.9));
  }

  @Test
  void everyValueFallsInABucketThatCoversIt() {
    long[] samples = {0, 1, 127, 128, 129, 255, 256, 1_000, 65_535, 1L << 40, Long.MAX_VALUE};
    for (long v : samples) {
      int b = LatencyHistogram.bucket(v);
      assertTrue(v <= LatencyHistogram.highestInBucket(b), "value " + v + " above its bucket");
      if (b > 0) {
        assertTrue(v > LatencyHistogram.highestInBucket(b - 1), "value " + v + " below its bucket");
      }
      if (v >= 128) {
        long width = LatencyHistogram.highestInBucket(b) - LatencyHistogram.highestInBucket(b - 1);
        assertTrue(width <= v / 64 + 1, "bucket of " + v + " is " + width + " wide");
      }
    }
  }

  @Test
  void addingHistogramsCombinesTheirValues() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(10);
    a.record(20);
    b.record(5);
    b.record(1_000);
    a.add(b);
    assertEquals(4, a.count());
    assertEquals(5, a.min());
    assertEquals(1_000, a.max());
    assertEquals(10, a.percentile(50));
    assertEquals(258.75, a.mean(), 1e-9);
  }

  @Test
  void badInputIsRefused() {
    LatencyHistogram h = new LatencyHistogram();
    assertThrows(IllegalArgumentException.class, () -> h.record(-1));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(100.1));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
  }
}
