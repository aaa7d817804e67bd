package io.roost.server.quorum;

import io.roost.core.consensus.HardState;
import io.roost.core.consensus.LogOp;
import io.roost.core.state.StateImage;
import io.roost.core.storage.HardStateFile;
import io.roost.core.txn.Transaction;
import io.roost.server.storage.ServerDisk;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * An ensemble member's disk: the consensus core's log operations, hard state and snapshots, all
 * through the server's {@link ServerDisk}, so a truncation is on disk before anything appended
 * after it, and appends queued together are written together and fsynced once. A failed write
 * of the log or the hard state stops this member from acknowledging anything.
 */
public final class EnsembleStorage {
  private final ServerDisk disk;
  private final HardStateFile hardFile;

  /** Writes through {@code disk}; the hard state goes to {@code hardFile}. */
  public EnsembleStorage(ServerDisk disk, HardStateFile hardFile) {
    this.disk = disk;
    this.hardFile = hardFile;
  }

  /**
   * Makes the hard state (if not null) and the truncations and snapshot installs among
   * {@code ops} durable, in order, after everything handed over before. Appends among
   * {@code ops} are not handled here.
   */
  Future<Void> durable(HardState hard, List<LogOp> ops) {
    return disk.<Void>onLogThread(() -> {
      if (hard != null) {
        hardFile.write(hard);
      }
      for (LogOp op : ops) {
        if (op instanceof LogOp.Truncate t) {
          disk.log().truncateAfter(t.zxid());
        } else if (op instanceof LogOp.InstallSnapshot s) {
          disk.snapshots().write(s.image());
          // Whatever the log holds after the snapshot is not the leader's; entries at or below
          // it are never read again (recovery starts from the newest snapshot).
          disk.log().truncateAfter(Math.min(s.image().lastZxid(),
              Math.max(disk.log().lastZxid(), 0)));
        }
      }
      return null;
    }).onFailure(disk::fail);
  }

  /**
   * Appends entries after everything handed over before; {@code persisted} runs on the calling
   * context when they are durable (possibly with a later append's sequence number, which covers
   * them).
   */
  void append(List<Transaction> txns, long lastSeq, LongConsumer persisted) {
    disk.append(txns, lastSeq, persisted);
  }

  /** Writes a snapshot of an applied state on the snapshot worker. */
  Future<Void> snapshot(StateImage image, long stallNanos) {
    return disk.snapshot(image, stallNanos);
  }

  /** Keeps the newest {@code retain} snapshots and the log segments they need. */
  Future<Void> purge(int retain) {
    return disk.purge(retain);
  }

  /** Closes the log after everything queued. */
  Future<Void> close() {
    return disk.close();
  }
}
