package io.roost.bench.stats;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Readings of this JVM's heap and garbage collector, for benchmarks that run in-process. */
public final class JvmStats {
  private static final int GC_ROUNDS = 3;

  private JvmStats() {}

  /**
   * Collections and the time they took, summed over every collector, since the JVM started.
   *
   * @param collections how many collections ran
   * @param millis their total time (for G1: pauses plus concurrent cycles, as the JVM counts it)
   */
  public record Gc(long collections, long millis) {
    /** The collections between {@code earlier} and this reading. */
    public Gc minus(Gc earlier) {
      return new Gc(collections - earlier.collections, millis - earlier.millis);
    }
  }

  /** The collector's counters now. */
  public static Gc gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, bean.getCollectionCount());
      millis += Math.max(0, bean.getCollectionTime());
    }
    return new Gc(count, millis);
  }

  /**
   * Heap in use after asking for full collections: an approximation of the live data (the JVM
   * may ignore the request, and some garbage may survive), in bytes.
   */
  public static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * The machine's load average over the last minute (runnable processes, this one included), or
   * a negative value where the platform does not report it. Worth recording: on a small machine a
   * busy neighbour moves every figure.
   */
  public static double systemLoadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The largest heap this JVM may use, in bytes. */
  public static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }
}
