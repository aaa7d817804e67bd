package io.roost.bench.stats;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every completed request of a load: when it completed and how long it took, kept raw so that
 * phases (before, during and after an event) can be cut out afterwards by time, each with its
 * latencies and its longest stretch without a completion. Recording is lock-free
 * and safe from any number of threads; capacity is fixed, and completions past it are counted as
 * dropped rather than stored.
 */
public final class CompletionLog {
  private final long[] completedAt;
  private final long[] latency;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param capacity how many completions to keep (16 bytes each)
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public CompletionLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be 1 or more, not " + capacity);
    }
    completedAt = new long[capacity];
    latency = new long[capacity];
  }

  /**
   * Records one completion. Safe from any thread.
   *
   * @param completedAtNanos {@link System#nanoTime()} when the reply arrived
   * @param latencyNanos time from sending the request to its reply
   */
  public void record(long completedAtNanos, long latencyNanos) {
    int i = next.getAndIncrement();
    if (i >= completedAt.length) {
      dropped.incrementAndGet();
      return;
    }
    completedAt[i] = completedAtNanos;
    latency[i] = latencyNanos;
  }

  /** Completions recorded (not counting dropped ones). */
  public int size() {
    return Math.min(next.get(), completedAt.length);
  }

  /** Completions that arrived after the log was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Which requests a phase's latencies describe. */
  public enum Basis {
    /** Requests that completed during the phase. */
    COMPLETED,
    /** Requests in flight at any moment of the phase: sent before its end, completed after its start. */
    IN_FLIGHT,
    /** Requests sent during the phase, whenever they completed. */
    SENT;

    boolean includes(long sent, long completed, long from, long to) {
      return switch (this) {
        case COMPLETED -> completed >= from && completed < to;
        case IN_FLIGHT -> sent < to && completed >= from;
        case SENT -> sent >= from && sent < to;
      };
    }
  }

  /**
   * One phase of the load, from {@code fromNanos} (inclusive) to {@code toNanos} (exclusive).
   * Call only once recording has stopped and the caller has waited for every request to complete
   * through something that orders memory (a lock, a semaphore, an atomic), so that it sees every
   * recorded value.
   *
   * @param name the phase's name, for reports
   * @param fromNanos phase start, on the {@link System#nanoTime()} clock
   * @param toNanos phase end
   * @param basis which requests the latencies describe; completions and gaps are always those
   *     inside the phase
   * @return the phase's completions, latencies and longest gap
   */
  public PhaseStats phase(String name, long fromNanos, long toNanos, Basis basis) {
    int n = size();
    long[] order = new long[n];
    LatencyHistogram histogram = new LatencyHistogram();
    long completions = 0;
    for (int i = 0; i < n; i++) {
      long done = completedAt[i];
      order[i] = done;
      if (done >= fromNanos && done < toNanos) {
        completions++;
      }
      if (basis.includes(done - latency[i], done, fromNanos, toNanos)) {
        histogram.record(latency[i]);
      }
    }
    Arrays.sort(order);
    // Longest stretch of the phase without a completion, the stretches from the phase start to
    // its first completion and from its last completion to the phase end included: a stall that
    // spans two phases counts in each only for the part inside it.
    long previous = fromNanos;
    long longestGap = 0;
    for (long t : order) {
      if (t < fromNanos) {
        continue;
      }
      if (t >= toNanos) {
        break;
      }
      longestGap = Math.max(longestGap, t - previous);
      previous = t;
    }
    longestGap = Math.max(longestGap, toNanos - previous);
    return new PhaseStats(name, toNanos - fromNanos, completions, basis, histogram, longestGap);
  }
}
