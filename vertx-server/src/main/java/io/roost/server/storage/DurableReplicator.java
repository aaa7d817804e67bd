package io.roost.server.storage;

import io.roost.core.server.Replicator;
import io.roost.core.state.StateImage;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.txn.Transaction;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Standalone durability: a transaction commits once it is in the log and the log is fsync'd.
 * Group commit: while one fsync runs on the log worker, new proposals gather into the next batch,
 * so one client sees a single fsync of latency and many clients share each fsync. Every
 * {@code snapCount} transactions it takes an image of the state on the event loop and writes a
 * snapshot on another worker while writes go on. Runs on the node's context; the log itself is
 * touched only by its single worker thread.
 */
public final class DurableReplicator implements Replicator {
  private static final Logger LOG = System.getLogger(DurableReplicator.class.getName());

  private final TxnLog log;
  private final SnapshotStore snapshots;
  private final WorkerExecutor logWorker;
  private final WorkerExecutor snapWorker;
  private final int snapCount;
  private final Runnable onFatal;
  private final StorageStats stats;
  private Supplier<StateImage> images;
  private List<Transaction> pending = new ArrayList<>();
  private List<Consumer<Transaction>> pendingCommits = new ArrayList<>();
  private boolean flushing;
  private boolean failed;
  private long sinceSnapshot;
  private boolean snapshotting;

  /**
   * @param vertx the server's Vert.x (for the worker pools)
   * @param log the recovered log (from now on used only on the log worker)
   * @param snapshots where snapshots go
   * @param snapCount transactions between snapshots
   * @param stats counters for fsyncs, batch sizes and snapshot figures
   * @param onFatal called on the event loop when the disk fails: nothing can be acknowledged
   */
  public DurableReplicator(Vertx vertx, TxnLog log, SnapshotStore snapshots, int snapCount,
      StorageStats stats, Runnable onFatal) {
    this.log = log;
    this.snapshots = snapshots;
    this.snapCount = snapCount;
    this.stats = stats;
    this.onFatal = onFatal;
    this.logWorker = vertx.createSharedWorkerExecutor("roost-log-" + System.identityHashCode(this), 1);
    this.snapWorker =
        vertx.createSharedWorkerExecutor("roost-snapshot-" + System.identityHashCode(this), 1);
  }

  /** Where snapshot images come from (the core's state, read on the event loop). */
  public void imagesFrom(Supplier<StateImage> images) {
    this.images = images;
  }

  @Override
  public void propose(Transaction txn, Consumer<Transaction> commit) {
    if (failed) {
      return; // the disk failed: never acknowledge
    }
    pending.add(txn);
    pendingCommits.add(commit);
    if (!flushing) {
      flush();
    }
  }

  private void flush() {
    flushing = true;
    List<Transaction> batch = pending;
    List<Consumer<Transaction>> commits = pendingCommits;
    pending = new ArrayList<>();
    pendingCommits = new ArrayList<>();
    long started = System.nanoTime();
    // Not "ordered": an ordered task goes on the event-loop context's own queue, which the
    // snapshot worker's tasks share, so a flush would wait behind a whole snapshot write. Each
    // worker has one thread, which keeps its own tasks in order.
    logWorker.executeBlocking(() -> {
      for (Transaction t : batch) {
        log.append(t);
      }
      return log.flush();
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        failed = true;
        LOG.log(Level.ERROR, "writing the transaction log failed; no further write can be"
            + " acknowledged, stopping", ar.cause());
        onFatal.run();
        return;
      }
      stats.flushed(batch.size(), System.nanoTime() - started);
      for (int i = 0; i < batch.size(); i++) {
        commits.get(i).accept(batch.get(i));
      }
      sinceSnapshot += batch.size();
      flushing = false;
      if (sinceSnapshot >= snapCount && !snapshotting && images != null) {
        snapshot();
      }
      if (!pending.isEmpty()) {
        flush();
      }
    });
  }

  /** Takes a snapshot now (image on the event loop, file on the snapshot worker). */
  public Future<Void> snapshot() {
    if (snapshotting || images == null) {
      return Future.succeededFuture();
    }
    snapshotting = true;
    sinceSnapshot = 0;
    long t0 = System.nanoTime();
    StateImage image = images.get();
    long stallNanos = System.nanoTime() - t0;
    return snapWorker.executeBlocking(() -> {
      long w0 = System.nanoTime();
      snapshots.write(image);
      return System.nanoTime() - w0;
    }, false).onComplete(ar -> {
      snapshotting = false;
      if (ar.succeeded()) {
        stats.snapshotTaken(image.nodes().size(), stallNanos, ar.result());
      }
      if (ar.failed()) {
        LOG.log(Level.WARNING, "snapshot at zxid 0x" + Long.toHexString(image.lastZxid())
            + " failed; the log still holds everything", ar.cause());
      } else {
        LOG.log(Level.INFO, "snapshot at zxid 0x{0}: {1} nodes, event loop paused {2} ms",
            Long.toHexString(image.lastZxid()), image.nodes().size(), stallNanos / 1_000_000);
      }
    }).mapEmpty();
  }

  /**
   * Keeps the newest {@code retain} snapshots and deletes the log segments none of them needs.
   */
  public Future<Void> purge(int retain) {
    return snapWorker.executeBlocking(() -> {
      snapshots.retain(retain);
      return snapshots.oldestRetainedZxid();
    }, false).compose(oldest -> oldest == 0 ? Future.succeededFuture()
        : logWorker.<Void>executeBlocking(() -> {
          log.purgeBefore(oldest);
          return null;
        }, false));
  }

  /** Closes the log after what is queued on its worker. */
  public Future<Void> close() {
    return logWorker.<Void>executeBlocking(() -> {
      log.close();
      return null;
    }, false).eventually(() -> Future.all(logWorker.close(), snapWorker.close()).mapEmpty());
  }
}
