package io.roost.server.quorum;

import io.roost.core.consensus.HardState;
import io.roost.core.state.StateMachine;
import io.roost.core.storage.HardStateFile;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.txn.Transaction;
import io.roost.server.config.ServerConfig;
import io.roost.server.storage.DataFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up of an ensemble member. Unlike a standalone server it does not replay its log: the
 * state is the newest snapshot (which holds only committed transactions), and the log entries
 * after it go to the consensus core unapplied, because some may never have been committed; the
 * leader says which were.
 */
public final class EnsembleRecovery {
  private static final Logger LOG = System.getLogger(EnsembleRecovery.class.getName());

  /**
   * What start-up found.
   *
   * @param state the state of the newest snapshot (empty without one)
   * @param logAfterSnapshot the logged entries after it, in zxid order
   */
  public record Recovered(StateMachine state, List<Transaction> logAfterSnapshot, HardState hard,
      TxnLog log, SnapshotStore snapshots, HardStateFile hardFile, long millis) {}

  private EnsembleRecovery() {}

  /** Recovers what an ensemble member keeps in its data directories. */
  public static Recovered run(ServerConfig config) throws IOException {
    long started = System.nanoTime();
    HardStateFile hardFile = new HardStateFile(config.dataDir());
    HardState hard = hardFile.read();
    DataFiles files = DataFiles.open(config);
    TxnLog log = files.log();
    try {
      StateMachine state = files.state();
      List<Transaction> after = new ArrayList<>();
      long[] prev = {state.lastZxid()};
      log.read(state.lastZxid(), t -> {
        if (t.zxid() > prev[0]) { // the log is in zxid order; anything else would be damage
          after.add(t);
          prev[0] = t.zxid();
        }
      });
      long millis = (System.nanoTime() - started) / 1_000_000;
      LOG.log(Level.INFO, "ensemble member recovered: state at zxid 0x{0} from {1}, {2} logged"
          + " entries after it (applied once the leader confirms them), {3}, in {4} ms",
          Long.toHexString(state.lastZxid()), files.snapshotName(), after.size(), hard, millis);
      return new Recovered(state, after, hard, log, files.snapshots(), hardFile, millis);
    } catch (RuntimeException | IOException e) {
      log.close();
      throw e;
    }
  }
}
