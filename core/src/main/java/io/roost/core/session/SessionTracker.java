package io.roost.core.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides when sessions expire. Deadlines are rounded up to the next multiple of the tick so
 * sessions expire in buckets, one check per tick. Time is passed in (milliseconds from any fixed
 * origin): this class reads no clock. Single-threaded.
 */
public final class SessionTracker {
  private final long tickMs;
  private final Map<Long, Long> deadlines = new HashMap<>();
  private final Map<Long, Integer> timeouts = new HashMap<>();
  private final TreeMap<Long, Set<Long>> buckets = new TreeMap<>();

  /**
   * @param tickMs bucket width in milliseconds (tickTime)
   * @throws IllegalArgumentException if tickMs is not positive
   */
  public SessionTracker(long tickMs) {
    if (tickMs <= 0) {
      throw new IllegalArgumentException("tickMs=" + tickMs + " must be positive");
    }
    this.tickMs = tickMs;
  }

  /** Starts tracking a session, alive as of {@code nowMs}. */
  public void add(long sessionId, int timeoutMs, long nowMs) {
    timeouts.put(sessionId, timeoutMs);
    touch(sessionId, nowMs);
  }

  /** True while the session is tracked (open and not yet expired or closing). */
  public boolean contains(long sessionId) {
    return timeouts.containsKey(sessionId);
  }

  /**
   * Records activity: the session's deadline moves to now + timeout.
   *
   * @return false if the session is not tracked
   */
  public boolean touch(long sessionId, long nowMs) {
    Integer timeout = timeouts.get(sessionId);
    if (timeout == null) {
      return false;
    }
    long deadline = roundUp(nowMs + timeout);
    Long old = deadlines.put(sessionId, deadline);
    if (old != null) {
      if (old == deadline) {
        return true;
      }
      Set<Long> bucket = buckets.get(old);
      if (bucket != null) {
        bucket.remove(sessionId);
        if (bucket.isEmpty()) {
          buckets.remove(old);
        }
      }
    }
    buckets.computeIfAbsent(deadline, d -> new HashSet<>()).add(sessionId);
    return true;
  }

  /** Stops tracking a session (it closed). */
  public void remove(long sessionId) {
    timeouts.remove(sessionId);
    Long deadline = deadlines.remove(sessionId);
    if (deadline != null) {
      Set<Long> bucket = buckets.get(deadline);
      if (bucket != null) {
        bucket.remove(sessionId);
        if (bucket.isEmpty()) {
          buckets.remove(deadline);
        }
      }
    }
  }

  /**
   * Removes and returns every session whose deadline is at or before {@code nowMs}, oldest
   * deadline first (and by id within a bucket, so the order is deterministic).
   */
  public List<Long> expire(long nowMs) {
    List<Long> out = new ArrayList<>();
    while (!buckets.isEmpty() && buckets.firstKey() <= nowMs) {
      Set<Long> bucket = buckets.pollFirstEntry().getValue();
      List<Long> ids = new ArrayList<>(bucket);
      ids.sort(null);
      for (long id : ids) {
        deadlines.remove(id);
        timeouts.remove(id);
        out.add(id);
      }
    }
    return out;
  }

  /** Number of tracked sessions. */
  public int size() {
    return timeouts.size();
  }

  /** The session's negotiated timeout, or -1 if it is not tracked. */
  public int timeoutOf(long sessionId) {
    Integer t = timeouts.get(sessionId);
    return t == null ? -1 : t;
  }

  private long roundUp(long t) {
    return (t / tickMs + 1) * tickMs;
  }
}
