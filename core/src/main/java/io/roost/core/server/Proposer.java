package io.roost.core.server;

import io.roost.core.state.OpOutcome;
import io.roost.core.state.StateMachine;
import io.roost.core.tree.DataNode;
import io.roost.core.tree.NodeKinds;
import io.roost.core.tree.PathNames;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The writing side of a server that prepares transactions (standalone, or the leader of an
 * ensemble): it stamps prepared ops with zxid, time and session, keeps the outstanding changes
 * every later prepare must see, hands transactions to the {@link Replicator}, and completes each
 * proposer's callback when its transaction is applied. Also finds empty containers and expired
 * TTL nodes to delete. Single-threaded, on the core's context.
 */
final class Proposer {
  private final StateMachine state;
  private final Replicator replicator;
  private final CoreClock clock;
  private final Prepare prepare;
  private final Consumer<Transaction> commit;
  /** Changes prepared but not yet applied, which every prepare must see. */
  private PrepView outstanding;
  private final Map<Long, Consumer<List<OpOutcome>>> inFlight = new HashMap<>();
  private long lastProposedZxid;

  /**
   * @param commit where committed transactions go to be applied (in zxid order, on the core's
   *     context); the replicator calls it
   */
  Proposer(StateMachine state, Replicator replicator, CoreClock clock, Prepare prepare,
      Consumer<Transaction> commit) {
    this.commit = commit;
    this.state = state;
    this.replicator = replicator;
    this.clock = clock;
    this.prepare = prepare;
    this.outstanding = PrepView.over(state.tree());
    this.lastProposedZxid = state.lastZxid();
  }

  /** A fresh scratch view over the applied tree and everything outstanding. */
  PrepView scratch() {
    return outstanding.scratch();
  }

  /** Zxid of the last transaction proposed. */
  long lastProposedZxid() {
    return lastProposedZxid;
  }

  /**
   * Forgets everything outstanding and continues numbering after {@code lastZxid} (a new epoch:
   * the leader's proposals start at {@code epoch << 32}). Callbacks of forgotten proposals never
   * run.
   */
  void restart(long lastZxid) {
    inFlight.clear();
    outstanding = PrepView.over(state.tree());
    lastProposedZxid = lastZxid;
  }

  /**
   * Stamps and proposes {@code op}; {@code done} runs with its outcomes once it is applied here.
   * {@code scratch} must be the view {@code op} was prepared in.
   */
  void propose(long sessionId, int cxid, TxnOp op, PrepView scratch,
      Consumer<List<OpOutcome>> done) {
    long zxid = ++lastProposedZxid;
    scratch.publish(zxid);
    Transaction txn = new Transaction(sessionId, cxid, zxid, clock.millis(), op);
    if (done != null) {
      inFlight.put(zxid, done);
    }
    replicator.propose(txn, commit);
  }

  /**
   * A transaction was applied: retire its outstanding changes and return the callback of whoever
   * proposed it here (or null).
   */
  Consumer<List<OpOutcome>> applied(long zxid) {
    outstanding.applied(zxid);
    return inFlight.remove(zxid);
  }

  /** A scratch view in which the session's ephemerals (applied or outstanding) are deleted. */
  PrepView closeScratch(long sessionId) {
    PrepView scratch = outstanding.scratch();
    for (String path : scratch.ephemeralsOf(sessionId)) {
      scratch.deleted(path, PathNames.parent(path));
    }
    return scratch;
  }

  /** Deletes empty containers (that once had a child) and TTL nodes idle past their TTL. */
  void sweep(long now) {
    List<String> candidates = new ArrayList<>();
    for (String path : state.tree().containers()) {
      DataNode n = state.tree().get(path);
      if (n.childCount() == 0 && n.cversion() > 0) {
        candidates.add(path);
      }
    }
    for (String path : state.tree().ttlNodes()) {
      DataNode n = state.tree().get(path);
      if (n.childCount() == 0 && now - n.mtime() > NodeKinds.ttlOf(n.ephemeralOwner())) {
        candidates.add(path);
      }
    }
    candidates.sort(null);
    for (String path : candidates) {
      try {
        PrepView scratch = outstanding.scratch();
        propose(0, 0, prepare.sweep(scratch, path), scratch, null);
      } catch (RequestError e) {
        // It changed since we looked; the next sweep reconsiders it.
      }
    }
  }
}
