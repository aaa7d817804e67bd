package io.roost.bench.stats;

/**
 * A histogram of durations in nanoseconds, log-linear like HdrHistogram: values below 128 ns are
 * kept exactly, larger ones in buckets 1/64 of their power of two wide, so every percentile is
 * within about 1.6% of the true value (and never above the largest value recorded). Count, min,
 * max and sum are exact. Fixed size (a few thousand counters) whatever is recorded.
 *
 * <p>Not thread-safe: record from one thread, or combine per-thread histograms with {@link #add}.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  /** Values below this are their own bucket. */
  private static final int LINEAR = 2 * SUB;
  /** Enough buckets for any non-negative long (its top bit is bit 62). */
  private static final int BUCKETS = LINEAR + (62 - SUB_BITS) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  /**
   * Adds one value.
   *
   * @param nanos the duration, 0 or more
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  public void record(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a duration cannot be negative: " + nanos + " ns");
    }
    counts[bucket(nanos)]++;
    count++;
    sum += nanos;
    min = Math.min(min, nanos);
    max = Math.max(max, nanos);
  }

  /** Adds every value recorded in {@code other} to this histogram. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** Values recorded. */
  public long count() {
    return count;
  }

  /** The smallest value recorded, or 0 when empty. */
  public long min() {
    return count == 0 ? 0 : min;
  }

  /** The largest value recorded, or 0 when empty. */
  public long max() {
    return max;
  }

  /** The mean, or 0 when empty. */
  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * The value at or below which {@code percent} of the recorded values lie: the upper edge of the
   * bucket holding that rank, capped at the largest value recorded.
   *
   * @param percent from 0 to 100; 100 gives {@link #max()}
   * @return the percentile in nanoseconds, or 0 when empty
   * @throws IllegalArgumentException if {@code percent} is outside 0..100
   */
  public long percentile(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("a percentile is between 0 and 100, not " + percent);
    }
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestInBucket(i), max);
      }
    }
    return max;
  }

  static int bucket(long value) {
    if (value < LINEAR) {
      return (int) value;
    }
    int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
    return LINEAR + (shift - 1) * SUB + (int) ((value >>> shift) - SUB);
  }

  static long highestInBucket(int bucket) {
    if (bucket < LINEAR) {
      return bucket;
    }
    int shift = (bucket - LINEAR) / SUB + 1;
    long sub = (bucket - LINEAR) % SUB + SUB;
    return ((sub + 1) << shift) - 1;
  }
}
