package io.roost.core.consensus;

import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The properties a simulation checks after every event:
 * <ul>
 *   <li>at most one leader per epoch;
 *   <li>a leader that establishes an epoch holds every transaction committed in earlier epochs;
 *   <li>every server applies one and the same sequence of committed transactions (none lost,
 *       reordered or changed), whether it gets them one by one or as a snapshot;
 *   <li>servers at the same zxid have the same tree digest;
 *   <li>acknowledged writes are linearizable: each one is in the committed sequence, and a write
 *       invoked after another was acknowledged gets a later zxid;
 *   <li>read indexes are linearizable: a confirmed read index covers every transaction that any
 *       server had applied (so some client may have seen acknowledged) before the read was asked
 *       for, is itself committed, and is applied at the leader that confirms it;
 * </ul>
 * and at the end, once the faults stopped, that every acknowledged write is on every server.
 */
final class SimChecker {
  /** A write a client asked for, with the highest zxid acknowledged before it was asked. */
  private record Invocation(Transaction txn, long time, long ackedBefore) {}

  private final Ensemble ensemble;
  private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
  private final NavigableMap<Long, Transaction> history = new TreeMap<>();
  private final Map<Long, Long> digestAt = new HashMap<>();
  private final Map<Integer, Long> position = new HashMap<>();
  private final Map<Integer, Map<Long, Invocation>> pending = new HashMap<>();
  private final Map<Long, Transaction> acked = new HashMap<>();
  private long maxAckedZxid;
  /** Reads asked for, by server, with the newest zxid applied anywhere when they were asked. */
  private final Map<Integer, Map<Long, Long>> pendingReads = new HashMap<>();
  private int reads;

  SimChecker(Ensemble ensemble) {
    this.ensemble = ensemble;
    digestAt.put(0L, new io.roost.core.state.StateMachine().digest());
  }

  int committedCount() {
    return history.size();
  }

  int ackedCount() {
    return acked.size();
  }

  int readCount() {
    return reads;
  }

  /** A client asked leader {@code id} for read index {@code readId}. */
  void readInvoked(int id, long readId) {
    pendingReads.computeIfAbsent(id, k -> new HashMap<>())
        .put(readId, history.isEmpty() ? 0L : history.lastKey());
  }

  /** Leader {@code n} confirmed read index {@code readId} at {@code zxid}. */
  void readConfirmed(SimNode n, long readId, long zxid) {
    Map<Long, Long> mine = pendingReads.get(n.id);
    Long mustSee = mine == null ? null : mine.remove(readId);
    if (mustSee == null) {
      throw new AssertionError("server " + n.id + " confirmed read " + readId
          + ", which it was not asked for (or which it dropped)");
    }
    if (zxid < mustSee) {
      throw new AssertionError("server " + n.id + " confirmed read " + readId + " at 0x"
          + Long.toHexString(zxid) + " but 0x" + Long.toHexString(mustSee) + " was applied"
          + " before the read was asked for: a stale read, not linearizable");
    }
    if (zxid != 0 && !history.containsKey(zxid)) {
      throw new AssertionError("read index 0x" + Long.toHexString(zxid) + " is not committed");
    }
    if (n.lastApplied < zxid) {
      throw new AssertionError("server " + n.id + " confirmed read index 0x"
          + Long.toHexString(zxid) + " before applying it (applied 0x"
          + Long.toHexString(n.lastApplied) + ")");
    }
    reads++;
  }

  int leaderEpochs() {
    return leaderOfEpoch.size();
  }

  /** A server (re)started from its disk: its state must be a point of the committed sequence. */
  void restarted(SimNode n) {
    at(n, n.state.lastZxid(), n.state.digest(), "restarted from its snapshot");
  }

  /** A server installed a leader's snapshot. */
  void installed(SimNode n, StateImage image) {
    at(n, image.lastZxid(), image.digest(), "installed a snapshot");
  }

  private void at(SimNode n, long zxid, long digest, String what) {
    if (zxid != 0 && !history.containsKey(zxid)) {
      throw new AssertionError("server " + n.id + " " + what + " at 0x" + Long.toHexString(zxid)
          + ", which is not a committed zxid");
    }
    Long expected = digestAt.get(zxid);
    if (expected != null && expected != digest) {
      throw new AssertionError("server " + n.id + " " + what + " at 0x" + Long.toHexString(zxid)
          + " with digest 0x" + Long.toHexString(digest) + ", others had 0x"
          + Long.toHexString(expected));
    }
    position.put(n.id, zxid);
  }

  /** A server applied a committed transaction. */
  void applied(SimNode n, Transaction txn, long now) {
    long prev = position.getOrDefault(n.id, 0L);
    Map.Entry<Long, Transaction> next = history.higherEntry(prev);
    if (next != null) {
      if (next.getKey() != txn.zxid() || !next.getValue().equals(txn)) {
        throw new AssertionError("server " + n.id + " applied 0x" + Long.toHexString(txn.zxid())
            + " after 0x" + Long.toHexString(prev) + " but the committed sequence has 0x"
            + Long.toHexString(next.getKey()) + " there" + (next.getKey() == txn.zxid()
            ? " with different content: " + txn + " vs " + next.getValue() : ""));
      }
    } else {
      long last = history.isEmpty() ? 0 : history.lastKey();
      if (prev != last || txn.zxid() <= last) {
        throw new AssertionError("server " + n.id + " applied 0x" + Long.toHexString(txn.zxid())
            + " after 0x" + Long.toHexString(prev) + " but the committed sequence ends at 0x"
            + Long.toHexString(last));
      }
      history.put(txn.zxid(), txn);
    }
    position.put(n.id, txn.zxid());
    long digest = n.state.digest();
    Long expected = digestAt.putIfAbsent(txn.zxid(), digest);
    if (expected != null && expected != digest) {
      throw new AssertionError("server " + n.id + " has digest 0x" + Long.toHexString(digest)
          + " at 0x" + Long.toHexString(txn.zxid()) + ", another server had 0x"
          + Long.toHexString(expected));
    }
    Map<Long, Invocation> mine = pending.get(n.id);
    Invocation inv = mine == null ? null : mine.remove(txn.zxid());
    if (inv != null) {
      if (!inv.txn().equals(txn)) {
        throw new AssertionError("leader " + n.id + " proposed " + inv.txn() + " at 0x"
            + Long.toHexString(txn.zxid()) + " but committed " + txn);
      }
      if (txn.zxid() <= inv.ackedBefore()) {
        throw new AssertionError("a write invoked at " + inv.time() + " ms was acknowledged with"
            + " zxid 0x" + Long.toHexString(txn.zxid()) + ", not after 0x"
            + Long.toHexString(inv.ackedBefore()) + " which was acknowledged before it was"
            + " invoked: not linearizable");
      }
      acked.put(txn.zxid(), txn);
      maxAckedZxid = Math.max(maxAckedZxid, txn.zxid());
    }
  }

  /** A client asked leader {@code id} to write {@code txn}. */
  void invoked(int id, Transaction txn, long now) {
    pending.computeIfAbsent(id, k -> new HashMap<>())
        .put(txn.zxid(), new Invocation(txn, now, maxAckedZxid));
  }

  /** Writes pending at this server have an unknown outcome (it stopped leading or crashed). */
  void failPending(int id) {
    pending.remove(id);
    pendingReads.remove(id);
  }

  /** A server's status changed. */
  void status(SimNode n, Status s) {
    if (s.role() != Role.LEADING || s.epoch() == 0) {
      return;
    }
    Integer other = leaderOfEpoch.putIfAbsent(s.epoch(), n.id);
    if (other != null && other != n.id) {
      throw new AssertionError("two leaders in epoch " + s.epoch() + ": " + other + " and "
          + n.id);
    }
    // ZAB's leader completeness: a leader of epoch e holds everything committed in earlier
    // epochs. (Later epochs can exist: a stale promise can establish an old epoch late, but such
    // a leader can never gather the NEWLEADER quorum it would need to commit.)
    ConsensusLog log = n.core.log;
    for (Long zxid : history.headMap(Transaction.zxid(s.epoch(), 0), false).keySet()) {
      if (!log.holds(zxid)) {
        throw new AssertionError("leader " + n.id + " of epoch " + s.epoch() + " lacks committed"
            + " 0x" + Long.toHexString(zxid) + " (its log: base 0x" + Long.toHexString(log.base())
            + ", last 0x" + Long.toHexString(log.last()) + ")");
      }
    }
  }

  /** After convergence: every acknowledged write on every server, one digest everywhere. */
  void checkFinal(Collection<SimNode> nodes) {
    long digest = 0;
    boolean first = true;
    for (SimNode n : nodes) {
      for (Map.Entry<Long, Transaction> e : acked.entrySet()) {
        if (!e.getValue().equals(history.get(e.getKey()))) {
          throw new AssertionError("acknowledged write 0x" + Long.toHexString(e.getKey())
              + " is not in the committed sequence");
        }
        if (n.lastApplied < e.getKey()) {
          throw new AssertionError("server " + n.id + " has not applied acknowledged 0x"
              + Long.toHexString(e.getKey()));
        }
      }
      long d = n.state.digest();
      if (!first && d != digest) {
        throw new AssertionError("servers end with different digests");
      }
      digest = d;
      first = false;
    }
    if (ensemble.voters().isEmpty()) {
      throw new AssertionError("no voters");
    }
  }
}
