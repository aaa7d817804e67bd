package io.roost.server.storage;

import io.roost.core.state.StateMachine;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.storage.TxnLogOptions;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A server's files as start-up finds them, for standalone and ensemble recovery alike: the log
 * (opened, a torn tail cut and reported) and the newest valid snapshot loaded into a state.
 * Blocking: runs on a worker before the server listens.
 *
 * @param log the open log, positioned after its last record
 * @param snapshots the snapshot store
 * @param snapshotFile the newest valid snapshot's file, if there is one
 * @param state the state that snapshot holds (empty without one)
 */
public record DataFiles(TxnLog log, SnapshotStore snapshots, Optional<Path> snapshotFile,
    StateMachine state) {
  private static final Logger LOG = System.getLogger(DataFiles.class.getName());

  /** Where the log lives below dataLogDir. */
  public static final String LOG_DIR = "txnlog";
  /** Where snapshots live below dataDir. */
  public static final String SNAPSHOT_DIR = "snapshots";

  /**
   * Opens the configured directories (creating them if missing), the log and the newest valid
   * snapshot. If anything fails after the log is open, the log is closed again.
   */
  public static DataFiles open(ServerConfig config) throws IOException {
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
      return new DataFiles(log, snapshots, snap.map(SnapshotStore.LoadedSnapshot::file), state);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** The snapshot's file name, or "no snapshot", for log lines. */
  public String snapshotName() {
    return snapshotFile.map(f -> f.getFileName().toString()).orElse("no snapshot");
  }
}
