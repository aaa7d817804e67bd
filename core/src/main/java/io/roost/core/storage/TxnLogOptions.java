package io.roost.core.storage;

/**
 * How a {@link TxnLog} lays out and syncs its segments.
 *
 * @param preallocBytes the size a new segment file starts at, and the step it grows by when a
 *     record does not fit; at least 1 KiB
 * @param segmentBytes the size after which the next record starts a new segment; at least 1 KiB
 * @param forceSync whether {@link TxnLog#flush()} fsyncs. {@code false} is UNSAFE: a crash of the
 *     machine (not just the process) can lose transactions that were already acknowledged. It
 *     exists for benchmarks only.
 */
public record TxnLogOptions(long preallocBytes, long segmentBytes, boolean forceSync) {

  /** The default preallocation size and growth step: 64 MiB. */
  public static final long DEFAULT_PREALLOC_BYTES = 64L * 1024 * 1024;
  /** The default segment size: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  private static final long MIN_BYTES = 1024;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a size is below 1 KiB
   */
  public TxnLogOptions {
    if (preallocBytes < MIN_BYTES) {
      throw new IllegalArgumentException("log preallocation size " + preallocBytes
          + " is too small; use at least " + MIN_BYTES + " bytes (default "
          + DEFAULT_PREALLOC_BYTES + ")");
    }
    if (segmentBytes < MIN_BYTES) {
      throw new IllegalArgumentException("log segment size " + segmentBytes
          + " is too small; use at least " + MIN_BYTES + " bytes (default "
          + DEFAULT_SEGMENT_BYTES + ")");
    }
  }

  /**
   * The production settings: 64 MiB segments, 64 MiB preallocation, fsync on every flush.
   *
   * @return the defaults
   */
  public static TxnLogOptions defaults() {
    return new TxnLogOptions(DEFAULT_PREALLOC_BYTES, DEFAULT_SEGMENT_BYTES, true);
  }

  /**
   * A copy with another preallocation size.
   *
   * @param bytes the new size
   * @return the copy
   */
  public TxnLogOptions withPreallocBytes(long bytes) {
    return new TxnLogOptions(bytes, segmentBytes, forceSync);
  }

  /**
   * A copy with another segment size.
   *
   * @param bytes the new size
   * @return the copy
   */
  public TxnLogOptions withSegmentBytes(long bytes) {
    return new TxnLogOptions(preallocBytes, bytes, forceSync);
  }

  /**
   * A copy with fsync on or off (off is unsafe; see the class description).
   *
   * @param force whether to fsync
   * @return the copy
   */
  public TxnLogOptions withForceSync(boolean force) {
    return new TxnLogOptions(preallocBytes, segmentBytes, force);
  }
}
