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
 * blocking work on workers. Log operations run on one log worker in the order they were handed
 * over, so a truncation is on disk before anything appended after it. Appends are group
 * committed: each append task writes its entries, and only the newest queued one fsyncs and
 * reports durability (which covers everything before it).
 */
public final class EnsembleStorage {
  private static final Logger LOG = System.getLogger(EnsembleStorage.class.getName());

  private final TxnLog log;
  private final SnapshotStore snapshots;
  private final HardStateFile hardFile;
  private final StorageStats stats;
  private final WorkerExecutor logWorker;
  private final WorkerExecutor snapWorker;
  private final Runnable onFatal;
  /** Append tasks handed to the log worker and not yet run (read on the worker). */
  private final java.util.concurrent.atomic.AtomicInteger queuedAppends =
      new java.util.concurrent.atomic.AtomicInteger();
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
    this.logWorker = vertx.createSharedWorkerExecutor("roost-ensemble-log-" + id, 1);
    this.snapWorker = vertx.createSharedWorkerExecutor("roost-ensemble-snapshot-" + id, 1);
  }

  /**
   * Makes the hard state (if not null) and the truncations and snapshot installs among
   * {@code ops} durable, in order, after everything handed over before. Appends among
   * {@code ops} are not handled here.
   */
  Future<Void> durable(HardState hard, List<LogOp> ops) {
    return logWorker.<Void>executeBlocking(() -> {
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
    }, false).onFailure(this::fatal);
  }

  /** Appends entries after everything handed over before; {@code persisted} runs when durable. */
  void append(List<Transaction> txns, long lastSeq, LongConsumer persisted) {
    queuedAppends.incrementAndGet();
    long started = System.nanoTime();
    logWorker.executeBlocking(() -> {
      for (Transaction t : txns) {
        log.append(t);
      }
      // Group commit: if more appends wait behind this one, the last of them fsyncs for all.
      if (queuedAppends.decrementAndGet() > 0) {
        return -1L;
      }
      log.flush();
      return lastSeq;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        fatal(ar.cause());
      } else if (ar.result() >= 0) {
        stats.flushed(txns.size(), System.nanoTime() - started);
        persisted.accept(ar.result());
      }
    });
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
        : logWorker.<Void>executeBlocking(() -> {
          log.purgeBefore(oldest);
          return null;
        }, false));
  }

  /** Closes the log after everything queued. */
  Future<Void> close() {
    return logWorker.<Void>executeBlocking(() -> {
      log.close();
      return null;
    }, false).eventually(() -> Future.all(logWorker.close(), snapWorker.close()).mapEmpty());
  }

  private void fatal(Throwable e) {
    if (!failed) {
      failed = true;
      LOG.log(Level.ERROR, "writing the log or hard state failed; this server stops voting", e);
      onFatal.run();
    }
  }
}
