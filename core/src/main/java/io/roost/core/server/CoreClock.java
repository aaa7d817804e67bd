package io.roost.core.server;

/**
 * Time as the core sees it, injected so tests control it. Wall-clock milliseconds stamp
 * transactions and drive session expiry; nanoseconds only measure latency.
 */
public interface CoreClock {
  /** The system clock. */
  CoreClock SYSTEM = new CoreClock() {
    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }
  };

  /** Milliseconds since the epoch. */
  long millis();

  /** A monotonic nanosecond counter for measuring intervals. */
  long nanos();
}
