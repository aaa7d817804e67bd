package io.roost.core.server;

import io.roost.core.state.OpOutcome;
import io.roost.core.txn.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A follower's record of what it forwarded to the leader and is waiting for: a write or session
 * change completes when its transaction (same session and cxid) is applied here, or when the
 * leader rejects it; a sync completes once this server has applied as far as the leader had
 * proposed. Single-threaded, on the core's context.
 */
final class Forwarder {
  /** How a forwarded request ends. */
  @FunctionalInterface
  interface Completion {
    /**
     * @param outcomes the applied transaction's outcomes, or null if rejected
     * @param err 0, or the leader's error code
     * @param failedIndex for a rejected multi, the failing op's index; else -1
     */
    void done(List<OpOutcome> outcomes, int err, int failedIndex);
  }

  private record Key(long sessionId, int cxid) {}

  private final Map<Key, Completion> pending = new HashMap<>();
  private final TreeMap<Long, List<Completion>> syncs = new TreeMap<>();
  private LeaderLink link;

  /** Uses this link from now on (null: none, requests fail at once with ConnectionLoss). */
  void setLink(LeaderLink link) {
    this.link = link;
  }

  /** Forgets everything pending (the leader changed; the connections waiting are closed). */
  void clear() {
    pending.clear();
    syncs.clear();
  }

  /** Sends a request and remembers who waits for it. */
  void forward(LeaderRequest request, long sessionId, int cxid, Completion completion) {
    if (link == null) {
      completion.done(null, io.roost.core.proto.Code.CONNECTION_LOSS.code(), -1);
      return;
    }
    pending.put(new Key(sessionId, cxid), completion);
    link.send(request);
  }

  /** Sends a request nobody waits for. */
  void send(LeaderRequest request) {
    if (link != null) {
      link.send(request);
    }
  }

  /** A transaction was applied: who forwarded it here, if anyone. */
  Completion applied(Transaction txn) {
    return pending.remove(new Key(txn.sessionId(), txn.cxid()));
  }

  /** Syncs that may complete now that {@code appliedZxid} is applied. */
  List<Completion> syncsUpTo(long appliedZxid) {
    if (syncs.isEmpty() || syncs.firstKey() > appliedZxid) {
      return List.of(); // the common case, on every applied transaction: allocate nothing
    }
    List<Completion> ready = new ArrayList<>();
    while (!syncs.isEmpty() && syncs.firstKey() <= appliedZxid) {
      ready.addAll(syncs.pollFirstEntry().getValue());
    }
    return ready;
  }

  /** The leader rejected a forwarded request: the completion to run (or null). */
  Completion rejected(FollowerReply.Rejected r) {
    return pending.remove(new Key(r.sessionId(), r.cxid()));
  }

  /**
   * The leader answered a sync: returns the completion if it can run now, else parks it until
   * {@code s.zxid()} is applied.
   */
  Completion synced(FollowerReply.Synced s, long appliedZxid) {
    Completion c = pending.remove(new Key(s.sessionId(), s.cxid()));
    if (c == null || s.zxid() <= appliedZxid) {
      return c;
    }
    syncs.computeIfAbsent(s.zxid(), z -> new ArrayList<>()).add(c);
    return null;
  }
}
