package io.roost.server.storage;

import io.roost.core.state.StateMachine;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.storage.TxnLogOptions;
import io.roost.core.tree.ChangeSink;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Start-up from disk: the newest valid snapshot, then every logged transaction after it. Blocking:
 * runs on a worker before the server listens. A torn log tail is cut (and reported); damage before
 * the tail, or a gap between snapshot and log, stops start-up with a message naming the file.
 */
public final class Recovery {
  private static final Logger LOG = System.getLogger(Recovery.class.getName());

  /** Where the log lives below dataLogDir. */
  public static final String LOG_DIR = "txnlog";
  /** Where snapshots live below dataDir. */
  public static final String SNAPSHOT_DIR = "snapshots";

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
    Path logDir = config.dataLogDir().resolve(LOG_DIR);
    Path snapDir = config.dataDir().resolve(SNAPSHOT_DIR);
    Files.createDirectories(logDir);
    Files.createDirectories(snapDir);
    SnapshotStore snapshots = SnapshotStore.open(snapDir);
    long prealloc = config.preAllocSizeKb() * 1024L;
    TxnLog log = TxnLog.open(logDir, TxnLogOptions.defaults()
        .withForceSync(config.forceSync())
        .withPreallocBytes(prealloc)
        .withSegmentBytes(prealloc));
    try {
      if (!log.recoveryReport().isBlank()) {
        LOG.log(Level.INFO, "log recovery: {0}", log.recoveryReport());
      }
      Optional<SnapshotStore.LoadedSnapshot> snap = snapshots.loadNewestValid();
      StateMachine state = snap.map(s -> StateMachine.fromImage(s.image()))
          .orElseGet(StateMachine::new);
      long from = state.lastZxid();
      if (log.lastZxid() > from && log.firstZxid() > from + 1) {
        throw new IllegalStateException("the log in " + logDir + " starts at zxid 0x"
            + Long.toHexString(log.firstZxid()) + " but the newest snapshot"
            + snap.map(s -> " " + s.file()).orElse("") + " ends at 0x" + Long.toHexString(from)
            + ": transactions in between are missing; restore them or the snapshot that"
            + " covers them");
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
          state.tree().nodeCount(), state.sessions().size(),
          snap.map(s -> s.file().getFileName().toString()).orElse("no snapshot"),
          replayed[0], millis);
      return new Recovered(state, log, snapshots, lastAlive, replayed[0], millis);
    } catch (RuntimeException | IOException e) {
      log.close();
      throw e;
    }
  }
}
