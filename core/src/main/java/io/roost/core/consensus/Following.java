package io.roost.core.consensus;

import io.roost.core.txn.Transaction;
import java.util.List;

/**
 * The follower's (and observer's) side: promise the leader's epoch, take its DIFF, TRUNC or SNAP
 * until the log is exactly the leader's history, acknowledge NEWLEADER once that is durable, then
 * append proposals and acknowledge them after fsync. Looks for a new leader when the current one
 * is silent for {@code syncLimit} ticks, or does not finish synchronizing within
 * {@code initLimit}.
 */
final class Following {
  private enum Phase { DISCOVERY, SYNC, BROADCAST }

  private final ConsensusNode node;
  private final int leader;
  private final boolean observer;
  private final long startedAt;
  private Phase phase = Phase.DISCOVERY;
  private int epoch;
  /** Highest zxid known to be in the leader's log (everything up to it is the leader's). */
  private long matched;
  private long lastHeard;
  private long lastSent;
  private long lastAck = -1;
  private long newLeaderZxid = -1;
  /** How far the leader said its own log is durable (an Ack from the leader), this epoch. */
  private long leaderDurable = -1;
  private boolean ackedNewLeader;

  Following(ConsensusNode node, int leader, boolean observer) {
    this.node = node;
    this.leader = leader;
    this.observer = observer;
    this.startedAt = node.now();
    this.lastHeard = node.now();
    // Committed history, which every leader holds; staying at or above the applied point keeps
    // it at or above the log's base whatever gets compacted.
    this.matched = Math.max(node.log.base(), node.appliedZxid());
  }

  int leader() {
    return leader;
  }

  void start() {
    sendInfo();
  }

  private void sendInfo() {
    lastSent = node.now();
    node.send(leader, new PeerMessage.FollowerInfo(node.hard().acceptedEpoch(), node.log.last()));
  }

  void tick() {
    long now = node.now();
    if (phase != Phase.BROADCAST && now - startedAt > node.options().initLimit()) {
      node.becomeLooking();
      return;
    }
    if (now - lastHeard > node.options().syncLimit()) {
      node.becomeLooking();
      return;
    }
    if (now - lastSent >= node.options().retransmitTicks()) {
      if (phase == Phase.DISCOVERY) {
        sendInfo();
      } else if (ackedNewLeader && phase == Phase.SYNC) {
        lastSent = now;
        node.send(leader, new PeerMessage.AckNewLeader(epoch)); // UPTODATE may have been lost
      }
    }
  }

  /** The leader was heard from without a whole message (part of a large frame arrived). */
  void heard() {
    lastHeard = node.now();
  }

  void step(PeerMessage message) {
    lastHeard = node.now();
    if (message instanceof PeerMessage.LeaderInfo li) {
      onLeaderInfo(li.epoch(), li.established());
      return;
    }
    if (phase == Phase.DISCOVERY) {
      return;
    }
    if (message instanceof PeerMessage.Append a) {
      if (a.epoch() == epoch) {
        onAppend(a);
      }
    } else if (message instanceof PeerMessage.Commit c) {
      if (c.epoch() == epoch) {
        node.advanceCommit(Math.min(c.zxid(), matched));
      }
    } else if (message instanceof PeerMessage.Ack a) {
      if (a.epoch() == epoch) {
        leaderDurable = Math.max(leaderDurable, a.zxid());
        commitWhatAQuorumHolds();
      }
    } else if (message instanceof PeerMessage.Ping p) {
      if (p.epoch() == epoch) {
        node.advanceCommit(Math.min(p.commitZxid(), matched));
        node.send(leader, new PeerMessage.Pong(epoch, p.round(), ackable()));
      }
    } else if (message instanceof PeerMessage.Snap s) {
      if (s.epoch() == epoch) {
        onSnap(s);
      }
    } else if (message instanceof PeerMessage.NewLeader nl) {
      if (nl.epoch() == epoch) {
        newLeaderZxid = nl.zxid();
        if (ackedNewLeader) {
          node.send(leader, new PeerMessage.AckNewLeader(epoch));
        } else {
          maybeAckNewLeader();
        }
      }
    } else if (message instanceof PeerMessage.UpToDate u) {
      if (u.epoch() == epoch && ackedNewLeader && phase == Phase.SYNC) {
        phase = Phase.BROADCAST;
        node.advanceCommit(Math.min(u.commitZxid(), matched));
        node.setStatus(new Status(observer ? Role.OBSERVING : Role.FOLLOWING, leader, epoch,
            true));
      }
    }
  }

  void onPersisted() {
    maybeAck();
    maybeAckNewLeader();
    commitWhatAQuorumHolds();
  }

  /**
   * Where two voters are a quorum, what both the leader (by its Ack) and this voter hold durably
   * is held by a quorum, and so committed: the same rule the leader commits by, and any later
   * leader's history holds it. Only entries of this leader's epoch after the initial history,
   * and only in broadcast; the leader's Commit covers everything else.
   */
  private void commitWhatAQuorumHolds() {
    if (observer || phase != Phase.BROADCAST || leaderDurable < 0
        || node.ensemble().quorum() != 2) {
      return;
    }
    long both = Math.min(leaderDurable, ackable());
    if (Transaction.epochOf(both) == epoch) {
      node.advanceCommit(both);
    }
  }

  // ------------------------------------------------------------------------------------------

  private void onLeaderInfo(int offered, boolean established) {
    HardState h = node.hard();
    if (observer) {
      if (offered < epoch) {
        return;
      }
      node.setHard(new HardState(Math.max(offered, h.acceptedEpoch()), leader, h.currentEpoch()));
    } else if (offered > h.acceptedEpoch()
        || (offered == h.acceptedEpoch() && (h.acceptedLeader() == leader || established))) {
      // Switching a promise of the same epoch is safe once this leader holds a quorum of
      // promises for it: whoever else we promised can never gather one.
      node.setHard(new HardState(offered, leader, h.currentEpoch()));
    } else {
      return; // promised to a newer epoch or another leader
    }
    if (offered != epoch) {
      // A new epoch (the same leader may have been re-elected without us noticing): start over.
      epoch = offered;
      matched = Math.max(node.log.base(), node.appliedZxid()); // only committed history is sure
      lastAck = -1;
      newLeaderZxid = -1;
      ackedNewLeader = false;
      phase = Phase.SYNC;
      node.setStatus(new Status(observer ? Role.OBSERVING : Role.FOLLOWING, leader, 0, false));
    }
    // A repeated LEADERINFO means the leader restarts our sync; it will resend NEWLEADER.
    lastAck = -1;
    node.send(leader, new PeerMessage.AckEpoch(epoch, node.hard().currentEpoch(), node.log.last()));
  }

  private void onAppend(PeerMessage.Append a) {
    ConsensusLog log = node.log;
    if (!log.holds(a.prevZxid())) {
      node.send(leader, new PeerMessage.Nack(epoch, log.floor(a.prevZxid())));
      return;
    }
    List<Transaction> txns = a.txns();
    int held = 0;
    while (held < txns.size() && log.holds(txns.get(held).zxid())) {
      held++; // held entries are a prefix: holding one means holding all before it
    }
    long common = held == 0 ? a.prevZxid() : txns.get(held - 1).zxid();
    if (held < txns.size()) {
      if (log.last() > common) {
        if (common < matched || common < node.commitZxid()) {
          throw new IllegalStateException("server " + node.myId() + " would truncate to 0x"
              + Long.toHexString(common) + " below what it matched (0x"
              + Long.toHexString(matched) + ") or committed (0x"
              + Long.toHexString(node.commitZxid()) + ")");
        }
        log.truncateAfter(common);
        node.logOp(new LogOp.Truncate(common));
      }
      node.appendAll(txns.subList(held, txns.size()));
      matched = Math.max(matched, txns.get(txns.size() - 1).zxid());
    } else {
      matched = Math.max(matched, common);
    }
    node.advanceCommit(Math.min(a.commitZxid(), matched));
    if (txns.isEmpty()) {
      lastAck = -1; // a probe: the leader waits for an answer even if nothing changed
    }
    maybeAck();
    maybeAckNewLeader();
  }

  private void onSnap(PeerMessage.Snap s) {
    long zxid = s.image().lastZxid();
    if (node.log.holds(zxid)) {
      // We already hold the snapshot's point (and, by it, the leader's history up to there).
      // Installing would drop entries after it that we may have acknowledged; treat it as an
      // empty Append instead.
      matched = Math.max(matched, zxid);
    } else {
      node.install(s.image());
      matched = zxid;
    }
    lastAck = -1;
    maybeAck();
    maybeAckNewLeader();
  }

  /** Everything up to this is the leader's and durable. */
  private long ackable() {
    return Math.min(matched, node.log.durable());
  }

  private void maybeAck() {
    long a = ackable();
    if (a > lastAck) {
      lastAck = a;
      node.send(leader, new PeerMessage.Ack(epoch, a));
    }
  }

  private void maybeAckNewLeader() {
    if (ackedNewLeader || newLeaderZxid < 0 || ackable() < newLeaderZxid) {
      return;
    }
    // Drop anything after the initial history that is not from this epoch: the log must be
    // exactly the leader's history before we take its epoch as ours.
    ConsensusLog log = node.log;
    if (log.last() > matched) {
      List<Transaction> next = log.after(matched, 1);
      if (!next.isEmpty() && Transaction.epochOf(next.get(0).zxid()) < epoch) {
        log.truncateAfter(matched);
        node.logOp(new LogOp.Truncate(matched));
      }
    }
    HardState h = node.hard();
    node.setHard(new HardState(Math.max(h.acceptedEpoch(), epoch),
        observer ? h.acceptedLeader() : leader, epoch));
    ackedNewLeader = true;
    lastSent = node.now();
    node.send(leader, new PeerMessage.AckNewLeader(epoch));
  }
}
