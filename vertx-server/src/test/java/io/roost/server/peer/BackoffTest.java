package io.roost.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsDoubleUpToTheMaximumAndResetAfterASuccess() {
    Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waits.add(b.next());
    }
    assertEquals(List.of(50L, 100L, 200L, 300L, 300L, 300L), waits);
    b.reset();
    assertEquals(50L, b.next());
  }

  @Test
  void subMillisecondMinimumRoundsUpToOneMillisecond() {
    Backoff b = new Backoff(Duration.ofNanos(10), Duration.ofNanos(10));
    assertEquals(1L, b.next());
    assertEquals(1L, b.next());
  }
}
