package io.roost.bench.stats;

import static io.roost.bench.stats.CompletionLog.Basis.COMPLETED;
import static io.roost.bench.stats.CompletionLog.Basis.IN_FLIGHT;
import static io.roost.bench.stats.CompletionLog.Basis.SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompletionLogTest {
  private static final long MS = 1_000_000;

  @Test
  void aPhaseCountsOnlyTheCompletionsInsideIt() {
    CompletionLog log = new CompletionLog(100);
    log.record(5 * MS, 1 * MS);
    log.record(15 * MS, 2 * MS);
    log.record(12 * MS, 3 * MS);
    log.record(25 * MS, 4 * MS);
    PhaseStats phase = log.phase("middle", 10 * MS, 20 * MS, COMPLETED);
    assertEquals(2, phase.completions());
    assertEquals(2, phase.latencies().count());
    assertEquals(3 * MS, phase.latencies().max());
    assertEquals(2 * MS, phase.latencies().min());
    assertEquals(200.0, phase.throughput(), 1e-9);
  }

  @Test
  void theBasisChoosesWhichRequestsTheLatenciesDescribe() {
    CompletionLog log = new CompletionLog(100);
    log.record(9 * MS, 1 * MS); // sent 8, done 9: before the phase
    log.record(25 * MS, 16 * MS); // sent 9, done 25: stuck across the whole phase
    log.record(15 * MS, 2 * MS); // sent 13, done 15: inside
    log.record(22 * MS, 4 * MS); // sent 18, done 22: sent inside, done after
    long from = 10 * MS;
    long to = 20 * MS;
    assertEquals(2 * MS, log.phase("p", from, to, COMPLETED).latencies().max());
    assertEquals(1, log.phase("p", from, to, COMPLETED).latencies().count());
    assertEquals(3, log.phase("p", from, to, IN_FLIGHT).latencies().count());
    assertEquals(16 * MS, log.phase("p", from, to, IN_FLIGHT).latencies().max());
    assertEquals(2, log.phase("p", from, to, SENT).latencies().count());
    assertEquals(4 * MS, log.phase("p", from, to, SENT).latencies().max());
    assertEquals(1, log.phase("p", from, to, SENT).completions());
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
    assertEquals(7 * MS, log.phase("p", 10 * MS, 22 * MS, COMPLETED).longestGapNanos());
  }

  @Test
  void aStallSpanningTwoPhasesCountsInEachOnlyForItsPart() {
    CompletionLog log = new CompletionLog(100);
    log.record(8 * MS, MS);
    // Nothing completes from 8 ms to 30 ms; the phases meet at 10 ms.
    log.record(30 * MS, MS);
    log.record(31 * MS, MS);
    assertEquals(8 * MS, log.phase("before", 0, 10 * MS, COMPLETED).longestGapNanos(), "0..8 ms");
    assertEquals(20 * MS, log.phase("during", 10 * MS, 40 * MS, COMPLETED).longestGapNanos(),
        "10..30 ms");
  }

  @Test
  void aStallAtTheEndOfAPhaseCountsUpToItsEnd() {
    CompletionLog log = new CompletionLog(100);
    log.record(11 * MS, MS);
    log.record(12 * MS, MS);
    assertEquals(38 * MS, log.phase("tail", 10 * MS, 50 * MS, COMPLETED).longestGapNanos());
  }

  @Test
  void completionsPastTheCapacityAreCountedAsDropped() {
    CompletionLog log = new CompletionLog(2);
    log.record(1, 1);
    log.record(2, 1);
    log.record(3, 1);
    assertEquals(2, log.size());
    assertEquals(1, log.dropped());
    assertEquals(2, log.phase("all", 0, 10, COMPLETED).latencies().count());
  }
}
