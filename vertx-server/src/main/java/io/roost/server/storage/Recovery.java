package io.roost.server.storage;

import io.roost.core.state.StateMachine;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.tree.ChangeSink;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Start-up from disk: the newest valid snapshot, then every logged transaction after it. Blocking:
 * runs on a worker before the server listens. A torn log tail is cut (and reported); damage before
 * the tail, or a gap between snapshot and log, stops start-up with a message naming the file.
 */
public final class Recovery {
  private static final Logger LOG = System.getLogger(Recovery.class.getName());

  /**
   * What recovery produced.
   *
   * @param state the recovered state
   * @param log the open log, positioned after its last record
   * @param snapshots the snapshot store
   * @param lastAliveMs when the server was last known to run (now, for a fresh data dir)
   * @param replayed transactions replayed from the log
   * @param millis how long recovery took
   */
  public record Recovered(StateMachine state, TxnLog log, SnapshotStore snapshots,
      long lastAliveMs, long replayed, long millis) {}

  private Recovery() {}

  /** Recovers the state kept under the configured data directories. */
  public static Recovered run(ServerConfig config, long nowMs) throws IOException {
    long started = System.nanoTime();
    DataFiles files = DataFiles.open(config);
    TxnLog log = files.log();
    try {
      StateMachine state = files.state();
      long from = state.lastZxid();
      if (log.lastZxid() > from && log.firstZxid() > from + 1) {
        throw new IllegalStateException("the log in "
            + config.dataLogDir().resolve(DataFiles.LOG_DIR) + " starts at zxid 0x"
            + Long.toHexString(log.firstZxid()) + " but the newest snapshot"
            + files.snapshotFile().map(f -> " " + f).orElse("") + " ends at 0x"
            + Long.toHexString(from) + ": transactions in between are missing; restore them"
            + " or the snapshot that covers them");
      }
      long[] replayed = {0};
      log.read(from, txn -> {
        state.apply(txn, ChangeSink.NONE);
        replayed[0]++;
      });
      long lastAlive = new AliveMarker(config.dataDir()).lastAlive(nowMs);
      long millis = (System.nanoTime() - started) / 1_000_000;
      LOG.log(Level.INFO, "recovered zxid 0x{0} ({1} nodes, {2} sessions) from {3} and {4}"
          + " logged transactions in {5} ms", Long.toHexString(state.lastZxid()),
          state.tree().nodeCount(), state.sessions().size(), files.snapshotName(),
          replayed[0], millis);
      return new Recovered(state, log, files.snapshots(), lastAlive, replayed[0], millis);
    } catch (RuntimeException | IOException e) {
      log.close();
      throw e;
    }
  }
}
