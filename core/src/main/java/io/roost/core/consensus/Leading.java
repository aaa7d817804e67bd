package io.roost.core.consensus;

import io.roost.core.txn.Transaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's side of discovery, synchronization and broadcast.
 *
 * <p>Discovery: once a quorum of voters (this server included) sent FOLLOWERINFO, the new epoch
 * is one past the highest epoch any of them promised; a quorum must promise it (ACKEPOCH). If one
 * of them holds a more complete history ((current epoch, last zxid) above ours), this server
 * steps down so the election can pick that one.
 *
 * <p>Synchronization: each follower gets the entries after the last zxid both hold (DIFF, with
 * TRUNC of anything else it holds), or the whole state (SNAP) when it is behind what this leader
 * keeps in memory or lacks more than {@code retainEntries} applied entries, then NEWLEADER. When
 * a quorum acknowledged NEWLEADER, the initial history is committed and broadcast starts
 * (UPTODATE).
 *
 * <p>Broadcast: proposals are appended and streamed to every follower; an entry commits when a
 * quorum of synchronized voters hold it durably. Observers get committed entries only.
 */
final class Leading {
  private enum Phase { DISCOVERY, SYNC, BROADCAST }

  /** What the leader knows of one follower or observer. */
  private static final class Peer {
    final int id;
    final boolean voter;
    int acceptedEpoch = -1;
    boolean ackedEpoch;
    int currentEpoch;
    long lastZxid;
    boolean syncing;
    long sent;
    /** A zxid the peer is known to hold (or a snapshot point), to resend from. */
    long resume;
    long match;
    boolean newLeaderSent;
    boolean ackedNewLeader;
    /**
     * Not sure the peer holds {@code resume}: send one Append at a time (possibly empty) and wait
     * for its Ack before streaming, so a mismatch costs one Nack, not a storm of them.
     */
    boolean probing;
    /** The probe (or snapshot) of the current probing round is on its way. */
    boolean probeSent;
    long lastHeard;
    long lastProgress;
    /** The newest heartbeat round this peer answered. */
    long pongRound;

    Peer(int id, boolean voter) {
      this.id = id;
      this.voter = voter;
    }
  }

  private final ConsensusNode node;
  private final Ensemble ensemble;
  private final Map<Integer, Peer> peers = new LinkedHashMap<>();
  private final long startedAt;
  private Phase phase = Phase.DISCOVERY;
  private int epoch;
  private long initialZxid;
  private long counter;
  /** The newest heartbeat round sent. */
  private long pingRound;
  /** Highest own durable zxid told to the followers (see {@link #tellDurable}). */
  private long durableTold = -1;
  /** Reads wait for a round that is not sent yet: send one with the next {@link Ready}. */
  private boolean roundWanted;
  /** Read indexes waiting for a quorum to answer their round, in round order. */
  private final ArrayDeque<PendingRead> pendingReads = new ArrayDeque<>();

  /** A read index: confirmed once a quorum answered heartbeat {@code round} or a later one. */
  private record PendingRead(long id, long zxid, long round) {}

  Leading(ConsensusNode node) {
    this.node = node;
    this.ensemble = node.ensemble();
    this.startedAt = node.now();
  }

  void start() {
    if (ensemble.voters().size() == 1) {
      chooseEpoch();
    }
  }

  long nextZxid() {
    return phase == Phase.BROADCAST ? Transaction.zxid(epoch, counter + 1) : -1;
  }

  boolean propose(Transaction txn) {
    if (phase != Phase.BROADCAST || txn.zxid() != nextZxid()) {
      return false;
    }
    counter++;
    node.appendAll(List.of(txn));
    if (counter >= node.options().maxCounter()) {
      node.becomeLooking(); // the next epoch starts a fresh counter
    }
    return true;
  }

  /**
   * Registers a read at the current commit point. It is confirmed once a quorum of voters
   * answers a heartbeat sent after now: then no other leader can have committed anything yet
   * (its quorum of promises would overlap ours, and a follower that promised a newer epoch no
   * longer answers this one), so the commit point as of now covers every write acknowledged
   * before the read. A follower may have committed past this leader's commit point, up to what
   * this leader told it is durable here ({@link #tellDurable}), so the read waits for that too.
   */
  boolean readIndex(long id) {
    if (phase != Phase.BROADCAST) {
      return false;
    }
    long at = Math.max(node.commitZxid(), durableTold);
    if (ensemble.voters().size() == 1) {
      node.confirmRead(id, at);
      return true;
    }
    pendingReads.add(new PendingRead(id, at, pingRound + 1));
    roundWanted = true;
    return true;
  }

  /** Sends a new heartbeat round to every synchronized follower and observer. */
  private void sendPings() {
    pingRound++;
    roundWanted = false;
    for (Peer peer : peers.values()) {
      if (peer.syncing) {
        node.send(peer.id, new PeerMessage.Ping(epoch, node.commitZxid(), pingRound));
      }
    }
  }

  /** Confirms the pending reads whose round a quorum of synchronized voters answered. */
  private void confirmReads() {
    while (!pendingReads.isEmpty()) {
      PendingRead read = pendingReads.peek();
      List<Integer> answered = new ArrayList<>();
      answered.add(node.myId());
      for (Peer p : peers.values()) {
        if (p.voter && p.ackedNewLeader && p.pongRound >= read.round()) {
          answered.add(p.id);
        }
      }
      if (!ensemble.isQuorum(answered) || read.zxid() > node.commitZxid()) {
        return; // also waits until what a follower may have committed is committed here
      }
      pendingReads.poll();
      node.confirmRead(read.id(), read.zxid());
    }
  }

  void step(int from, PeerMessage message) {
    Peer peer = peers.computeIfAbsent(from, id -> new Peer(id, ensemble.isVoter(id)));
    peer.lastHeard = node.now();
    if (message instanceof PeerMessage.FollowerInfo fi) {
      onFollowerInfo(peer, fi);
    } else if (message instanceof PeerMessage.AckEpoch ae) {
      if (ae.epoch() == epoch && epoch != 0) {
        onAckEpoch(peer, ae);
      }
    } else if (message instanceof PeerMessage.Ack ack) {
      if (ack.epoch() == epoch && peer.syncing) {
        onAck(peer, ack.zxid());
      }
    } else if (message instanceof PeerMessage.Pong pong) {
      if (pong.epoch() == epoch && peer.syncing) {
        onAck(peer, pong.zxid());
        if (pong.round() > peer.pongRound) {
          peer.pongRound = pong.round();
          confirmReads();
        }
      }
    } else if (message instanceof PeerMessage.Nack nack) {
      if (nack.epoch() == epoch && peer.syncing) {
        onNack(peer, nack.hintZxid());
      }
    } else if (message instanceof PeerMessage.AckNewLeader anl) {
      if (anl.epoch() == epoch && peer.syncing && peer.newLeaderSent) {
        peer.ackedNewLeader = true;
        if (phase == Phase.BROADCAST) {
          node.send(peer.id, new PeerMessage.UpToDate(epoch, node.commitZxid()));
        } else {
          maybeEstablish();
        }
      }
    }
  }

  void onPersisted() {
    if (phase == Phase.SYNC) {
      maybeEstablish();
    } else if (phase == Phase.BROADCAST) {
      maybeCommit();
      tellDurable();
    }
  }

  /**
   * Where a quorum is two voters (three voters, or two), tells each synchronized voter how far
   * this leader's log is durable, as an {@link PeerMessage.Ack} from the leader. A follower that
   * holds an entry durably and hears that the leader does too knows a quorum holds it, which is
   * what commits it here, so it applies (and answers its client) one round trip sooner than the
   * leader's Commit would let it (docs/performance.md, "Where the time goes").
   */
  private void tellDurable() {
    long durable = node.log.durable();
    if (ensemble.quorum() != 2 || durable <= durableTold || durable <= node.commitZxid()) {
      return;
    }
    durableTold = durable;
    for (Peer p : peers.values()) {
      if (p.syncing && p.voter && p.ackedNewLeader) {
        node.send(p.id, new PeerMessage.Ack(epoch, durable));
      }
    }
  }

  void tick() {
    long now = node.now();
    if (phase != Phase.BROADCAST) {
      if (now - startedAt > node.options().initLimit()) {
        node.becomeLooking();
        return;
      }
    } else if (!quorumHeardFrom(now)) {
      node.becomeLooking();
      return;
    }
    if (phase == Phase.BROADCAST) {
      sendPings();
    }
    for (Peer peer : peers.values()) {
      if (epoch != 0 && !peer.ackedEpoch && peer.acceptedEpoch >= 0
          && now - peer.lastProgress >= node.options().retransmitTicks()) {
        peer.lastProgress = now;
        node.send(peer.id, new PeerMessage.LeaderInfo(epoch, phase != Phase.DISCOVERY));
      }
      if (!peer.syncing) {
        continue;
      }
      boolean behind = peer.match < limit(peer) || !peer.ackedNewLeader;
      if (behind && now - peer.lastProgress >= node.options().retransmitTicks()) {
        retransmit(peer);
      }
    }
  }

  /** Sends what each follower's window allows; called before every {@link Ready}. */
  void replicateAll() {
    for (Peer peer : peers.values()) {
      replicate(peer);
    }
    if (roundWanted && phase == Phase.BROADCAST) {
      sendPings();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Discovery
  // ------------------------------------------------------------------------------------------

  private void onFollowerInfo(Peer peer, PeerMessage.FollowerInfo fi) {
    peer.acceptedEpoch = fi.acceptedEpoch();
    peer.lastZxid = fi.lastZxid();
    peer.ackedEpoch = false;
    peer.syncing = false;
    peer.ackedNewLeader = false;
    if (epoch != 0) {
      if (peer.voter && fi.acceptedEpoch() > epoch) {
        // It promised a later epoch to a leader that never established it, so it can never
        // follow this one: step down, so that the next election picks an epoch above that
        // promise and every voter can join again.
        node.becomeLooking();
        return;
      }
      peer.lastProgress = node.now();
      node.send(peer.id, new PeerMessage.LeaderInfo(epoch, phase != Phase.DISCOVERY));
      return;
    }
    List<Integer> informed = new ArrayList<>();
    informed.add(node.myId());
    for (Peer p : peers.values()) {
      if (p.acceptedEpoch >= 0) {
        informed.add(p.id);
      }
    }
    if (ensemble.isQuorum(informed)) {
      chooseEpoch();
    }
  }

  private void chooseEpoch() {
    int highest = node.hard().acceptedEpoch();
    for (Peer p : peers.values()) {
      if (p.voter) {
        highest = Math.max(highest, p.acceptedEpoch);
      }
    }
    epoch = highest + 1;
    HardState h = node.hard();
    node.setHard(new HardState(epoch, node.myId(), h.currentEpoch()));
    for (Peer p : peers.values()) {
      if (p.acceptedEpoch >= 0) {
        p.lastProgress = node.now();
        node.send(p.id, new PeerMessage.LeaderInfo(epoch, phase != Phase.DISCOVERY));
      }
    }
    maybeEstablishEpoch();
  }

  private void onAckEpoch(Peer peer, PeerMessage.AckEpoch ae) {
    peer.ackedEpoch = true;
    peer.currentEpoch = ae.currentEpoch();
    peer.lastZxid = ae.lastZxid();
    if (phase == Phase.DISCOVERY) {
      if (peer.voter && isAhead(ae.currentEpoch(), ae.lastZxid())) {
        node.becomeLooking(); // a more complete history exists; let the election find it
        return;
      }
      maybeEstablishEpoch();
    } else {
      startSync(peer);
    }
  }

  private boolean isAhead(int theirEpoch, long theirZxid) {
    int mine = node.hard().currentEpoch();
    return theirEpoch > mine || (theirEpoch == mine && theirZxid > node.log.last());
  }

  private void maybeEstablishEpoch() {
    List<Integer> acked = new ArrayList<>();
    acked.add(node.myId());
    for (Peer p : peers.values()) {
      if (p.ackedEpoch) {
        acked.add(p.id);
      }
    }
    if (phase != Phase.DISCOVERY || !ensemble.isQuorum(acked)) {
      return;
    }
    phase = Phase.SYNC;
    initialZxid = node.log.last();
    node.setHard(new HardState(epoch, node.myId(), epoch));
    node.setStatus(new Status(Role.LEADING, node.myId(), epoch, false));
    for (Peer p : peers.values()) {
      if (p.ackedEpoch) {
        startSync(p);
      }
    }
    maybeEstablish();
  }

  // ------------------------------------------------------------------------------------------
  // Synchronization
  // ------------------------------------------------------------------------------------------

  private void startSync(Peer peer) {
    ConsensusLog log = node.log;
    peer.syncing = true;
    peer.probing = true;
    peer.probeSent = false;
    peer.newLeaderSent = false;
    peer.ackedNewLeader = false;
    peer.lastProgress = node.now();
    if (peer.lastZxid < log.base() || lacksMoreThanRetained(peer)) {
      sendSnapshot(peer);
    } else {
      peer.sent = log.floor(peer.lastZxid); // DIFF if it is theirs, else TRUNC to it first
      peer.resume = peer.sent;
    }
    replicate(peer);
  }

  /**
   * True if the peer lacks more than {@code retainEntries} of the entries applied here. Such a
   * peer gets the state even when the log still holds what it lacks (nothing compacted it yet):
   * a DIFF goes one window ({@code maxInFlight}) per round trip and NEWLEADER is acknowledged
   * only at its end, so a long one can outlast initLimit; the learner then goes back to election
   * and restarts, and may never catch up. The state it gets covers only committed entries, so
   * an observer still never sees an uncommitted one.
   */
  private boolean lacksMoreThanRetained(Peer peer) {
    return node.log.count(peer.lastZxid, node.appliedZxid()) > node.options().retainEntries();
  }

  private void sendSnapshot(Peer peer) {
    var image = node.image();
    node.send(peer.id, new PeerMessage.Snap(epoch, image));
    peer.sent = image.lastZxid();
    peer.resume = peer.sent;
    peer.probing = true;
    peer.probeSent = true; // its Ack ends the probing
  }

  private void retransmit(Peer peer) {
    peer.lastProgress = node.now();
    peer.probing = true;
    peer.probeSent = false;
    peer.newLeaderSent = peer.ackedNewLeader;
    long from = Math.max(peer.resume, peer.match);
    if (from >= node.log.base()) {
      peer.sent = node.log.floor(from);
    } else {
      sendSnapshot(peer);
    }
    if (peer.ackedNewLeader && phase == Phase.BROADCAST) {
      node.send(peer.id, new PeerMessage.UpToDate(epoch, node.commitZxid()));
    }
    replicate(peer);
  }

  private void onNack(Peer peer, long hint) {
    long from = Math.max(hint, peer.match);
    if (from >= node.log.base() && peer.probing && node.log.floor(from) >= peer.resume) {
      return; // stale or repeated: we already went back at least this far
    }
    peer.probing = true;
    peer.probeSent = false;
    if (from < node.log.base()) {
      sendSnapshot(peer);
    } else {
      peer.resume = node.log.floor(from);
      peer.sent = peer.resume;
    }
    peer.newLeaderSent = peer.ackedNewLeader;
    replicate(peer);
  }

  /** Highest zxid this peer may be sent: everything for voters, committed only for observers. */
  private long limit(Peer peer) {
    return peer.voter ? node.log.last() : node.commitZxid();
  }

  private void replicate(Peer peer) {
    if (!peer.syncing || phase == Phase.DISCOVERY) {
      return;
    }
    if (peer.sent < node.log.base()) {
      sendSnapshot(peer); // the entries it needs were compacted away
    }
    ConsensusOptions o = node.options();
    long limit = limit(peer);
    if (peer.probing) {
      if (!peer.probeSent) {
        peer.probeSent = true;
        List<Transaction> batch = upTo(node.log.after(peer.sent, o.maxBatch()), limit);
        node.send(peer.id, new PeerMessage.Append(epoch, peer.sent, batch, node.commitZxid()));
        if (!batch.isEmpty()) {
          peer.sent = batch.get(batch.size() - 1).zxid();
        }
      }
    } else {
      while (peer.sent < limit) {
        long acked = Math.max(Math.max(peer.match, peer.resume), node.log.base());
        int room = o.maxInFlight() - node.log.count(acked, peer.sent);
        if (room <= 0) {
          break;
        }
        List<Transaction> batch =
            upTo(node.log.after(peer.sent, Math.min(o.maxBatch(), room)), limit);
        if (batch.isEmpty()) {
          break;
        }
        node.send(peer.id, new PeerMessage.Append(epoch, peer.sent, batch, node.commitZxid()));
        peer.sent = batch.get(batch.size() - 1).zxid();
      }
    }
    if (!peer.newLeaderSent && peer.sent >= initialZxid) {
      peer.newLeaderSent = true;
      node.send(peer.id, new PeerMessage.NewLeader(epoch, initialZxid));
    }
  }

  /** The leading part of {@code batch} at or below {@code limit}. */
  private static List<Transaction> upTo(List<Transaction> batch, long limit) {
    int keep = batch.size();
    while (keep > 0 && batch.get(keep - 1).zxid() > limit) {
      keep--;
    }
    return batch.subList(0, keep);
  }

  /** Broadcast starts once a quorum (this server included) holds the initial history. */
  private void maybeEstablish() {
    if (phase != Phase.SYNC) {
      return;
    }
    List<Integer> synced = new ArrayList<>();
    if (node.log.durable() >= initialZxid) {
      synced.add(node.myId());
    }
    for (Peer p : peers.values()) {
      if (p.ackedNewLeader) {
        synced.add(p.id);
      }
    }
    if (!ensemble.isQuorum(synced)) {
      return;
    }
    phase = Phase.BROADCAST;
    counter = 0;
    node.advanceCommit(initialZxid);
    node.setStatus(new Status(Role.LEADING, node.myId(), epoch, true));
    for (Peer p : peers.values()) {
      if (p.ackedNewLeader) {
        node.send(p.id, new PeerMessage.UpToDate(epoch, node.commitZxid()));
      }
    }
    maybeCommit();
  }

  // ------------------------------------------------------------------------------------------
  // Broadcast
  // ------------------------------------------------------------------------------------------

  private void onAck(Peer peer, long zxid) {
    if (peer.probing && zxid >= peer.resume) {
      peer.probing = false; // it holds what we resumed from: stream again
    }
    if (zxid > peer.match) {
      peer.match = zxid;
      peer.resume = Math.max(peer.resume, zxid);
      peer.lastProgress = node.now();
      if (peer.sent < zxid) {
        peer.sent = zxid;
      }
      if (phase == Phase.BROADCAST) {
        maybeCommit();
      }
    }
  }

  /** Commits the highest zxid a quorum of synchronized voters hold durably. */
  private void maybeCommit() {
    if (phase != Phase.BROADCAST) {
      return;
    }
    List<Long> held = new ArrayList<>();
    held.add(node.log.durable());
    for (Peer p : peers.values()) {
      if (p.voter && p.ackedNewLeader) {
        held.add(p.match);
      }
    }
    int quorum = ensemble.quorum();
    if (held.size() < quorum) {
      return;
    }
    held.sort(null);
    long agreed = held.get(held.size() - quorum);
    long before = node.commitZxid();
    node.advanceCommit(agreed);
    if (node.commitZxid() > before) {
      confirmReads();
      for (Peer p : peers.values()) {
        if (p.syncing && p.voter) {
          node.send(p.id, new PeerMessage.Commit(epoch, node.commitZxid()));
        }
      }
    }
  }

  private boolean quorumHeardFrom(long now) {
    List<Integer> alive = new ArrayList<>();
    alive.add(node.myId());
    for (Peer p : peers.values()) {
      if (p.ackedNewLeader && now - p.lastHeard <= node.options().syncLimit()) {
        alive.add(p.id);
      }
    }
    return ensemble.isQuorum(alive);
  }
}
