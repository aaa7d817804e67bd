package io.roost.server.storage;

import io.roost.core.server.Replicator;
import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Standalone durability: a transaction commits once it is in the log and the log is fsync'd.
 * Every proposal goes straight to the {@link ServerDisk}'s log thread, which writes whatever is
 * queued and fsyncs once (group commit: one client sees a single fsync of latency, many clients
 * share each fsync). Every {@code snapCount} transactions it takes an image of the state on the
 * event loop and writes a snapshot on the disk's worker while writes go on. Runs on the node's
 * context.
 */
public final class DurableReplicator implements Replicator {
  private record Waiting(long seq, Transaction txn, Consumer<Transaction> commit) {}

  private final ServerDisk disk;
  private final int snapCount;
  /** Proposals handed to the log, oldest first, until their fsync is done. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private Supplier<StateImage> images;
  private long lastSeq;
  private long sinceSnapshot;
  private boolean snapshotting;

  /**
   * @param disk the server's disk (its log is the recovered one)
   * @param snapCount transactions between snapshots
   */
  public DurableReplicator(ServerDisk disk, int snapCount) {
    this.disk = disk;
    this.snapCount = snapCount;
  }

  /** Where snapshot images come from (the core's state, read on the event loop). */
  public void imagesFrom(Supplier<StateImage> images) {
    this.images = images;
  }

  @Override
  public void propose(Transaction txn, Consumer<Transaction> commit) {
    if (disk.failed()) {
      return; // the disk failed: never acknowledge
    }
    long seq = ++lastSeq;
    waiting.add(new Waiting(seq, txn, commit));
    disk.append(List.of(txn), seq, this::persisted);
  }

  /** Everything up to {@code seq} is durable: commit it, in proposal order. */
  private void persisted(long seq) {
    while (!waiting.isEmpty() && waiting.peek().seq() <= seq) {
      Waiting w = waiting.poll();
      w.commit().accept(w.txn());
      sinceSnapshot++;
    }
    if (sinceSnapshot >= snapCount) {
      snapshot();
    }
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
    return disk.snapshot(image, System.nanoTime() - t0).eventually(() -> {
      snapshotting = false;
      return Future.succeededFuture();
    });
  }

  /** Keeps the newest {@code retain} snapshots and deletes the log segments none of them needs. */
  public Future<Void> purge(int retain) {
    return disk.purge(retain);
  }

  /** Closes the log after what is queued for it. */
  public Future<Void> close() {
    return disk.close();
  }
}
