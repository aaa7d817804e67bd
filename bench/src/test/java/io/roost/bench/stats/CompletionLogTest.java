package io.roost.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompletionLogTest {
  private static final long MS = 1_000_000;

  @Test
  void aPhaseHoldsOnlyTheCompletionsInsideIt() {
    CompletionLog log = new CompletionLog(100);
    log.record(5 * MS, 1 * MS);
    log.record(15 * MS, 2 * MS);
    log.record(12 * MS, 3 * MS);
    log.record(25 * MS, 4 * MS);
    PhaseStats phase = log.phase("middle", 10 * MS, 20 * MS);
    assertEquals(2, phase.latencies().count());
    assertEquals(3 * MS, phase.latencies().max());
    assertEquals(2 * MS, phase.latencies().min());
    assertEquals(200.0, phase.throughput(), 1e-9);
  }

  @Test
  void theLongestGapIsTheLongestStretchWithoutACompletion() {
    CompletionLog log = new CompletionLog(100);
    log.record(11 * MS, MS);
    log.record(13 * MS, MS);
    log.record(20 * MS, MS);
    log.record(21 * MS, MS);
    // Recorded out of order, as replies on several client threads are.
    log.record(12 * MS, MS);
    assertEquals(7 * MS, log.phase("p", 10 * MS, 22 * MS).longestGapNanos());
  }

  @Test
  void aStallSpanningTwoPhasesCountsInEachOnlyForItsPart() {
    CompletionLog log = new CompletionLog(100);
    log.record(8 * MS, MS);
    // Nothing completes from 8 ms to 30 ms; the phases meet at 10 ms.
    log.record(30 * MS, MS);
    log.record(31 * MS, MS);
    assertEquals(8 * MS, log.phase("before", 0, 10 * MS).longestGapNanos(), "0..8 ms");
    assertEquals(20 * MS, log.phase("during", 10 * MS, 40 * MS).longestGapNanos(), "10..30 ms");
  }

  @Test
  void aStallAtTheEndOfAPhaseCountsUpToItsEnd() {
    CompletionLog log = new CompletionLog(100);
    log.record(11 * MS, MS);
    log.record(12 * MS, MS);
    PhaseStats phase = log.phase("tail", 10 * MS, 50 * MS);
    assertEquals(38 * MS, phase.longestGapNanos());
  }

  @Test
  void completionsPastTheCapacityAreCountedAsDropped() {
    CompletionLog log = new CompletionLog(2);
    log.record(1, 1);
    log.record(2, 1);
    log.record(3, 1);
    assertEquals(2, log.size());
    assertEquals(1, log.dropped());
    assertEquals(2, log.phase("all", 0, 10).latencies().count());
  }
}
