package io.roost.core.consensus;

import io.roost.core.state.StateImage;
import io.roost.core.state.StateMachine;
import io.roost.core.tree.ChangeSink;
import io.roost.core.txn.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated server: a {@link ConsensusNode}, the state machine it drives, and a disk that
 * loses whatever was appended but not yet fsync'd when the server crashes. Hard state, truncations
 * and snapshot installs are durable at once (the real driver fsyncs them before going on).
 */
final class SimNode {
  private record Pending(List<Transaction> txns, long lastSeq) {}

  final int id;
  private final Ensemble ensemble;
  private final ConsensusOptions options;

  // The disk.
  private HardState hard = HardState.INITIAL;
  private StateImage snapshot;
  private final List<Transaction> durableLog = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();

  // The running server (null core while down).
  ConsensusNode core;
  StateMachine state;
  int incarnation;
  long lastApplied;
  boolean flushScheduled;
  /** Simulated time until which this server's clock stands still (no ticks). */
  long pausedUntil;

  SimNode(int id, Ensemble ensemble, ConsensusOptions options) {
    this.id = id;
    this.ensemble = ensemble;
    this.options = options;
  }

  /** Before the first start: pretend the disk already holds this hard state and log. */
  void preload(HardState h, List<Transaction> log) {
    hard = h;
    durableLog.addAll(log);
  }

  /** The durable log (for assertions). */
  List<Transaction> durableLog() {
    return List.copyOf(durableLog);
  }

  boolean isUp() {
    return core != null;
  }

  /** Starts (or restarts) from the disk: the snapshot, then the durable log after it. */
  void start() {
    state = snapshot == null ? new StateMachine() : StateMachine.fromImage(snapshot);
    long base = state.lastZxid();
    lastApplied = base;
    incarnation++;
    flushScheduled = false;
    List<Transaction> after = new ArrayList<>();
    for (Transaction t : durableLog) {
      if (t.zxid() > base) {
        after.add(t);
      }
    }
    core = new ConsensusNode(id, ensemble, options, hard, base, after, () -> state.image());
  }

  /** Crash: the process is gone and unsynced appends with it. */
  void crash() {
    core = null;
    state = null;
    pending.clear();
    incarnation++;
  }

  void persistHard(HardState h) {
    hard = h;
  }

  /** Carries out one log op; returns true if an append now waits for an fsync. */
  boolean apply(LogOp op) {
    if (op instanceof LogOp.Append a) {
      pending.add(new Pending(new ArrayList<>(a.txns()), a.lastSeq()));
      return true;
    }
    if (op instanceof LogOp.Truncate t) {
      durableLog.removeIf(x -> x.zxid() > t.zxid());
      for (Pending p : pending) {
        p.txns().removeIf(x -> x.zxid() > t.zxid());
      }
      return false;
    }
    LogOp.InstallSnapshot s = (LogOp.InstallSnapshot) op;
    snapshot = s.image();
    durableLog.clear();
    pending.clear();
    state = StateMachine.fromImage(s.image());
    lastApplied = s.image().lastZxid();
    return false;
  }

  /** Makes every pending append durable; returns the last sequence number made durable, or 0. */
  long flush() {
    flushScheduled = false;
    long last = 0;
    for (Pending p : pending) {
      durableLog.addAll(p.txns());
      last = p.lastSeq();
    }
    pending.clear();
    return last;
  }

  /** Applies one committed transaction to the state. */
  void applyCommitted(Transaction txn) {
    state.apply(txn, ChangeSink.NONE);
    lastApplied = txn.zxid();
  }

  /** Takes a snapshot of the applied state and lets the core drop what it covers. */
  void snapshotAndCompact() {
    StateImage image = state.image();
    snapshot = image;
    durableLog.removeIf(x -> x.zxid() <= image.lastZxid());
    core.compact(image.lastZxid());
  }

  /**
   * Drops applied entries from the core's memory without a snapshot, as the server does every
   * thousand applied entries (they stay in the durable log).
   */
  void compactApplied() {
    core.compact(lastApplied);
  }

  HardState hard() {
    return hard;
  }
}
