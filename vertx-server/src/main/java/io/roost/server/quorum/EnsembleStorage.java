package io.roost.server.quorum;

import io.roost.core.consensus.HardState;
import io.roost.core.consensus.LogOp;
import io.roost.core.state.StateImage;
import io.roost.core.storage.HardStateFile;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.txn.Transaction;
import io.roost.server.storage.StorageStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * An ensemble member's disk: the consensus core's log operations, hard state and snapshots, all
 * blocking work off the event loop. Log operations run on one {@link LogThread} in the order they
 * were handed over, so a truncation is on disk before anything appended after it; appends queued
 * together are written together and fsynced once. Snapshots are written on a worker.
 */
public final class EnsembleStorage {
  private static final Logger LOG = System.getLogger(EnsembleStorage.class.getName());

  private final TxnLog log;
  private final SnapshotStore snapshots;
  private final HardStateFile hardFile;
  private final StorageStats stats;
  private final LogThread logThread;
  private final WorkerExecutor snapWorker;
  private final Runnable onFatal;
  private boolean failed;

  /** Opens the workers; {@code onFatal} runs once if a disk write fails. */
  public EnsembleStorage(Vertx vertx, TxnLog log, SnapshotStore snapshots, HardStateFile hardFile,
      StorageStats stats, Runnable onFatal) {
    this.log = log;
    this.snapshots = snapshots;
    this.hardFile = hardFile;
    this.stats = stats;
    this.onFatal = onFatal;
    String id = Integer.toHexString(System.identityHashCode(this));
    this.logThread = new LogThread("roost-ensemble-log-" + id, log, stats::flushed);
    this.snapWorker = vertx.createSharedWorkerExecutor("roost-ensemble-snapshot-" + id, 1);
  }

  /**
   * Makes the hard state (if not null) and the truncations and snapshot installs among
   * {@code ops} durable, in order, after everything handed over before. Appends among
   * {@code ops} are not handled here.
   */
  Future<Void> durable(HardState hard, List<LogOp> ops) {
    return logThread.<Void>submit(() -> {
      if (hard != null) {
        hardFile.write(hard);
      }
      for (LogOp op : ops) {
        if (op instanceof LogOp.Truncate t) {
          log.truncateAfter(t.zxid());
        } else if (op instanceof LogOp.InstallSnapshot s) {
          snapshots.write(s.image());
          // Whatever the log holds after the snapshot is not the leader's; entries at or below
          // it are never read again (recovery starts from the newest snapshot).
          log.truncateAfter(Math.min(s.image().lastZxid(), Math.max(log.lastZxid(), 0)));
        }
      }
      return null;
    }).onFailure(this::fatal);
  }

  /**
   * Appends entries after everything handed over before; {@code persisted} runs on the calling
   * context when they are durable (possibly with a later append's sequence number, which covers
   * them).
   */
  void append(List<Transaction> txns, long lastSeq, LongConsumer persisted) {
    logThread.append(txns, lastSeq, persisted, this::fatal);
  }

  /** Writes a snapshot of an applied state on the snapshot worker. */
  Future<Void> snapshot(StateImage image, long stallNanos) {
    return snapWorker.executeBlocking(() -> {
      long t0 = System.nanoTime();
      snapshots.write(image);
      return System.nanoTime() - t0;
    }, false).onSuccess(nanos -> stats.snapshotTaken(image.nodes().size(), stallNanos, nanos))
        .onFailure(e -> LOG.log(Level.WARNING, "snapshot at 0x"
            + Long.toHexString(image.lastZxid()) + " failed; the log still holds everything", e))
        .mapEmpty();
  }

  /** Keeps the newest {@code retain} snapshots and the log segments they need. */
  Future<Void> purge(int retain) {
    return snapWorker.executeBlocking(() -> {
      snapshots.retain(retain);
      return snapshots.oldestRetainedZxid();
    }, false).compose(oldest -> oldest == 0 ? Future.succeededFuture()
        : logThread.<Void>submit(() -> {
          log.purgeBefore(oldest);
          return null;
        }));
  }

  /** Closes the log after everything queued. */
  Future<Void> close() {
    return logThread.<Void>submit(() -> {
      log.close();
      return null;
    }).eventually(() -> Future.all(logThread.stop(), snapWorker.close()).mapEmpty());
  }

  private void fatal(Throwable e) {
    if (!failed) {
      failed = true;
      LOG.log(Level.ERROR, "writing the log or hard state failed; this server stops voting", e);
      onFatal.run();
    }
  }
}
