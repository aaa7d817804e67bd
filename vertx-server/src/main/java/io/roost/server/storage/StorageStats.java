package io.roost.server.storage;

/**
 * Figures about the disk: fsyncs, transactions per fsync and their latency, and the last
 * snapshot's size, event-loop stall and write time. Updated and read on the node's event loop.
 */
public final class StorageStats {
  private long fsyncs;
  private long txns;
  private long fsyncNanos;
  private long maxBatch;
  private long snapshots;
  private long lastSnapshotNodes;
  private long lastSnapshotStallNanos;
  private long lastSnapshotWriteNanos;

  public void flushed(int batchSize, long nanos) {
    fsyncs++;
    txns += batchSize;
    fsyncNanos += nanos;
    maxBatch = Math.max(maxBatch, batchSize);
  }

  public void snapshotTaken(int nodes, long stallNanos, long writeNanos) {
    snapshots++;
    lastSnapshotNodes = nodes;
    lastSnapshotStallNanos = stallNanos;
    lastSnapshotWriteNanos = writeNanos;
  }

  /** Log flushes (fsyncs when forceSync is on). */
  public long fsyncs() {
    return fsyncs;
  }

  /** Transactions written. */
  public long transactions() {
    return txns;
  }

  /** Mean transactions per fsync. */
  public double transactionsPerFsync() {
    return fsyncs == 0 ? 0 : (double) txns / fsyncs;
  }

  /** Largest batch so far. */
  public long maxBatch() {
    return maxBatch;
  }

  /** Mean time from batch start to durable, in milliseconds. */
  public double meanFlushMs() {
    return fsyncs == 0 ? 0 : fsyncNanos / 1e6 / fsyncs;
  }

  /** Snapshots written. */
  public long snapshots() {
    return snapshots;
  }

  /** Event-loop pause of the last snapshot (the image copy), in milliseconds. */
  public double lastSnapshotStallMs() {
    return lastSnapshotStallNanos / 1e6;
  }

  /** Time the last snapshot took to write on its worker, in milliseconds. */
  public double lastSnapshotWriteMs() {
    return lastSnapshotWriteNanos / 1e6;
  }

  /** Nodes in the last snapshot. */
  public long lastSnapshotNodes() {
    return lastSnapshotNodes;
  }
}
