package io.roost.server.storage;

import io.roost.core.state.StateImage;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.txn.Transaction;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/**
 * One server's disk work, off its event loop: the log on a {@link LogThread} (appends group
 * committed, other log work in the order it was handed over) and snapshot files on a worker.
 * A standalone server and an ensemble member both write through one. The first failed log write
 * is reported once, and from then on nothing more is acknowledged as durable: a write that did
 * not reach the disk must never look committed. Use it on its owner's event-loop context.
 */
public final class ServerDisk {
  private static final Logger LOG = System.getLogger(ServerDisk.class.getName());

  private final TxnLog log;
  private final SnapshotStore snapshots;
  private final StorageStats stats;
  private final LogThread logThread;
  private final WorkerExecutor snapWorker;
  private final Runnable onFatal;
  private boolean failed;

  /**
   * Starts the log thread and opens the snapshot worker.
   *
   * @param vertx the server's Vert.x (for the snapshot worker)
   * @param name names the threads ("roost-NAME-log-…", "roost-NAME-snapshot-…")
   * @param log the recovered log, written only by the log thread from now on
   * @param snapshots where snapshots go
   * @param stats counters for fsyncs, batch sizes and snapshot figures
   * @param onFatal runs once, on the owner's context, if writing the log fails
   */
  public ServerDisk(Vertx vertx, String name, TxnLog log, SnapshotStore snapshots,
      StorageStats stats, Runnable onFatal) {
    this.log = log;
    this.snapshots = snapshots;
    this.stats = stats;
    this.onFatal = onFatal;
    String id = Integer.toHexString(System.identityHashCode(this));
    this.logThread = new LogThread("roost-" + name + "-log-" + id, log, stats::flushed);
    this.snapWorker = vertx.createSharedWorkerExecutor("roost-" + name + "-snapshot-" + id, 1);
  }

  /** The log the log thread writes (touch it only in {@link #onLogThread} work). */
  public TxnLog log() {
    return log;
  }

  /** The snapshot store (touch it only in {@link #onLogThread} work or before starting). */
  public SnapshotStore snapshots() {
    return snapshots;
  }

  /**
   * Appends entries after everything handed over before; {@code persisted} runs on the calling
   * context once they are durable, possibly with a later append's {@code lastSeq}, which
   * covers them. After a failed write it never runs again.
   */
  public void append(List<Transaction> txns, long lastSeq, LongConsumer persisted) {
    logThread.append(txns, lastSeq, seq -> {
      if (!failed) {
        persisted.accept(seq);
      }
    }, this::fail);
  }

  /**
   * Runs {@code work} on the log thread after everything handed over before (so after earlier
   * appends are written); completes on the calling context. A failure only fails the future:
   * call {@link #fail} if it means the disk can no longer be trusted.
   */
  public <T> Future<T> onLogThread(Callable<T> work) {
    return logThread.submit(work);
  }

  /** Writes a snapshot of an applied state on the snapshot worker, logging the outcome. */
  public Future<Void> snapshot(StateImage image, long stallNanos) {
    return snapWorker.executeBlocking(() -> {
      long t0 = System.nanoTime();
      snapshots.write(image);
      return System.nanoTime() - t0;
    }, false).onSuccess(nanos -> {
      stats.snapshotTaken(image.nodes().size(), stallNanos, nanos);
      LOG.log(Level.INFO, "snapshot at zxid 0x{0}: {1} nodes, event loop paused {2} ms,"
          + " written in {3} ms", Long.toHexString(image.lastZxid()), image.nodes().size(),
          stallNanos / 1_000_000, nanos / 1_000_000);
    }).onFailure(e -> LOG.log(Level.WARNING, "snapshot at zxid 0x"
        + Long.toHexString(image.lastZxid()) + " failed; the log still holds everything", e))
        .mapEmpty();
  }

  /** Keeps the newest {@code retain} snapshots and deletes the log segments none of them needs. */
  public Future<Void> purge(int retain) {
    return snapWorker.executeBlocking(() -> {
      snapshots.retain(retain);
      return snapshots.oldestRetainedZxid();
    }, false).compose(oldest -> oldest == 0 ? Future.succeededFuture()
        : logThread.<Void>submit(() -> {
          log.purgeBefore(oldest);
          return null;
        }));
  }

  /** Whether a log write has failed (nothing is acknowledged after that). */
  public boolean failed() {
    return failed;
  }

  /** Reports the disk as failed: once, and nothing is acknowledged as durable after it. */
  public void fail(Throwable cause) {
    if (!failed) {
      failed = true;
      LOG.log(Level.ERROR, "writing the log failed; nothing more can be acknowledged as"
          + " durable", cause);
      onFatal.run();
    }
  }

  /** Closes the log after everything handed over, then ends the log thread and the worker. */
  public Future<Void> close() {
    return logThread.<Void>submit(() -> {
      log.close();
      return null;
    }).eventually(() -> Future.all(logThread.stop(), snapWorker.close()).mapEmpty());
  }
}
