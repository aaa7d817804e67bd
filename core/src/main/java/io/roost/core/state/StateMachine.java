package io.roost.core.state;

import io.roost.core.tree.ChangeSink;
import io.roost.core.tree.DataTree;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The replicated state: the data tree plus the session table, changed only by applying committed
 * transactions in zxid order. Apply is pure and deterministic: the same transactions give the same
 * state and digest on every replica. This is the seam that storage (snapshot, replay) and consensus
 * (apply on commit) plug into.
 */
public final class StateMachine {
  private final DataTree tree;
  private final Map<Long, SessionInfo> sessions = new HashMap<>();
  private long lastZxid;

  /** An empty state: the root and the system nodes, no sessions, zxid 0. */
  public StateMachine() {
    this.tree = new DataTree();
  }

  private StateMachine(DataTree tree, long lastZxid) {
    this.tree = tree;
    this.lastZxid = lastZxid;
  }

  /**
   * Rebuilds the state an image describes.
   *
   * @throws IllegalStateException if the image is inconsistent or its digest does not match
   */
  public static StateMachine fromImage(StateImage image) {
    StateMachine sm = new StateMachine(DataTree.fromImage(image.nodes()), image.lastZxid());
    if (sm.digest() != image.digest()) {
      throw new IllegalStateException("image at zxid 0x" + Long.toHexString(image.lastZxid())
          + " has digest 0x" + Long.toHexString(image.digest()) + " but its nodes give 0x"
          + Long.toHexString(sm.digest()));
    }
    for (SessionInfo s : image.sessions()) {
      sm.sessions.put(s.id(), s);
    }
    return sm;
  }

  /**
   * Replaces the whole state with the image's, in place (SNAP sync: a follower takes the leader's
   * state). Watches and readers holding this state see the new tree.
   *
   * @throws IllegalStateException if the image is inconsistent or its digest does not match; the
   *     state is then unchanged
   */
  public void install(StateImage image) {
    StateMachine loaded = fromImage(image);
    tree.replaceWith(loaded.tree);
    sessions.clear();
    sessions.putAll(loaded.sessions);
    lastZxid = image.lastZxid();
  }

  /**
   * A consistent copy of the whole state, taken on the applying thread (cost: one small record
   * per node; data arrays are shared). Hand it to another thread to serialise.
   */
  public StateImage image() {
    List<SessionInfo> list = new ArrayList<>(sessions.values());
    list.sort(java.util.Comparator.comparingLong(SessionInfo::id));
    return new StateImage(lastZxid, tree.digest(), List.copyOf(list), tree.image());
  }

  /** The tree (read it only on the applying thread). */
  public DataTree tree() {
    return tree;
  }

  /** Zxid of the last applied transaction (0 before any). */
  public long lastZxid() {
    return lastZxid;
  }

  /** The open session with this id, or null. */
  public SessionInfo session(long id) {
    return sessions.get(id);
  }

  /** All open sessions (live, unmodifiable view). */
  public Map<Long, SessionInfo> sessions() {
    return Collections.unmodifiableMap(sessions);
  }

  /** Digest of the tree. */
  public long digest() {
    return tree.digest();
  }

  /**
   * Applies one committed transaction. Events go to {@code sink} in the order they happen.
   *
   * @return one outcome per op (a multi gives one per inner op)
   * @throws IllegalStateException if the zxid does not advance or the op does not fit the state,
   *     which means this replica's history differs from the leader's
   */
  public List<OpOutcome> apply(Transaction txn, ChangeSink sink) {
    if (txn.zxid() <= lastZxid) {
      throw new IllegalStateException("zxid 0x" + Long.toHexString(txn.zxid())
          + " does not follow last applied 0x" + Long.toHexString(lastZxid));
    }
    List<OpOutcome> outcomes = new ArrayList<>(1);
    applyOp(txn, txn.op(), sink, outcomes);
    lastZxid = txn.zxid();
    return outcomes;
  }

  private void applyOp(Transaction txn, TxnOp op, ChangeSink sink, List<OpOutcome> out) {
    long zxid = txn.zxid();
    if (op instanceof TxnOp.Create c) {
      var node = tree.create(c.path(), c.data(), c.acl(), c.ephemeralOwner(),
          c.parentCversion(), zxid, txn.time(), sink);
      out.add(new OpOutcome(c.path(), node.stat()));
    } else if (op instanceof TxnOp.Delete d) {
      tree.delete(d.path(), zxid, sink);
      out.add(new OpOutcome(d.path(), null));
    } else if (op instanceof TxnOp.SetData s) {
      out.add(new OpOutcome(s.path(),
          tree.setData(s.path(), s.data(), s.version(), zxid, txn.time(), sink)));
    } else if (op instanceof TxnOp.SetAcl a) {
      out.add(new OpOutcome(a.path(), tree.setAcl(a.path(), a.acl(), a.aversion(), zxid)));
    } else if (op instanceof TxnOp.Check c) {
      out.add(new OpOutcome(c.path(), null));
    } else if (op instanceof TxnOp.CreateSession cs) {
      sessions.put(txn.sessionId(),
          new SessionInfo(txn.sessionId(), cs.timeoutMs(), cs.password()));
      out.add(new OpOutcome(null, null));
    } else if (op instanceof TxnOp.CloseSession) {
      sessions.remove(txn.sessionId());
      // Deepest first, in a fixed order, so every replica fires the same events.
      for (String path : new TreeSet<>(tree.ephemeralsOf(txn.sessionId())).descendingSet()) {
        tree.delete(path, zxid, sink);
        out.add(new OpOutcome(path, null));
      }
    } else if (op instanceof TxnOp.Multi m) {
      for (TxnOp inner : m.ops()) {
        applyOp(txn, inner, sink, out);
      }
    } else {
      throw new IllegalStateException("unknown op " + op);
    }
  }
}
