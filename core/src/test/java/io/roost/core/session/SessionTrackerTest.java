package io.roost.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
  @Test
  void expiresOnlyAfterTheTimeoutRoundedUpToATick() {
    SessionTracker t = new SessionTracker(100);
    t.add(1, 1000, 0);
    assertEquals(List.of(), t.expire(1000));
    assertEquals(List.of(1L), t.expire(1100));
    assertFalse(t.contains(1));
  }

  @Test
  void activityPushesTheDeadline() {
    SessionTracker t = new SessionTracker(100);
    t.add(1, 1000, 0);
    assertTrue(t.touch(1, 900));
    assertEquals(List.of(), t.expire(1500));
    assertEquals(List.of(1L), t.expire(2000));
  }

  @Test
  void expiresInDeadlineThenIdOrder() {
    SessionTracker t = new SessionTracker(10);
    t.add(9, 100, 0);
    t.add(3, 100, 0);
    t.add(5, 50, 0);
    assertEquals(List.of(5L, 3L, 9L), t.expire(1000));
    assertEquals(0, t.size());
  }

  @Test
  void removedSessionsNeverExpireAndCannotBeTouched() {
    SessionTracker t = new SessionTracker(100);
    t.add(1, 1000, 0);
    t.remove(1);
    assertFalse(t.touch(1, 10));
    assertEquals(List.of(), t.expire(10_000));
  }
}
