package io.roost.core.consensus;

import java.util.HashMap;
import java.util.Map;

/**
 * Leader election in the manner of ZooKeeper's fast leader election. Each looking voter proposes
 * the best server it knows by (current epoch, last zxid, id), adopts any better proposal it hears
 * of in its round and re-broadcasts; once a quorum of its round agrees with its vote and nothing
 * better arrives for {@code finalizeTicks}, it decides. A looking server (voter or observer) also
 * joins an existing leader when a quorum of voters report following it and the leader reports
 * leading, in the same epoch.
 *
 * <p>Election only picks a candidate; the epoch promises of discovery are what guarantee a single
 * leader per epoch.
 */
final class Election {
  /** A vote's content, ordered by (epoch, zxid, leader id). */
  record Proposal(int leader, int epoch, long zxid) implements Comparable<Proposal> {
    @Override
    public int compareTo(Proposal o) {
      if (epoch != o.epoch) {
        return Integer.compare(epoch, o.epoch);
      }
      if (zxid != o.zxid) {
        return Long.compare(zxid, o.zxid);
      }
      return Integer.compare(leader, o.leader);
    }
  }

  private final ConsensusNode node;
  private final boolean voter;
  private long round;
  private Proposal vote;
  /** Votes of looking voters in this round (including this server's own). */
  private final Map<Integer, Proposal> received = new HashMap<>();
  /** Latest report of every server that is following or leading. */
  private final Map<Integer, PeerMessage.Vote> settled = new HashMap<>();
  private long lastBroadcast;
  /** Tick at which a quorum first agreed with the current vote, or -1. */
  private long agreedSince = -1;

  Election(ConsensusNode node) {
    this.node = node;
    this.voter = node.ensemble().isVoter(node.myId());
  }

  void start() {
    round = node.nextRound();
    vote = voter ? node.selfProposal() : null;
    if (voter) {
      received.put(node.myId(), vote);
    }
    broadcast();
    if (voter && node.ensemble().voters().size() == 1) {
      decide();
    }
  }

  void tick() {
    if (node.now() - lastBroadcast >= node.options().voteResendTicks()) {
      broadcast();
    }
    if (agreedSince >= 0 && node.now() - agreedSince >= node.options().finalizeTicks()
        && hasQuorum()) {
      decide();
    }
  }

  void onVote(int from, PeerMessage.Vote v) {
    if (v.senderRole() != Role.LOOKING) {
      settled.put(from, v);
      joinSettledLeader();
      return;
    }
    if (!voter || !node.ensemble().isVoter(from)) {
      return; // observers neither vote nor count; looking servers cannot help them
    }
    Proposal theirs = new Proposal(v.leader(), v.leaderEpoch(), v.leaderZxid());
    if (v.round() > round) {
      round = v.round();
      node.observeRound(round);
      received.clear();
      Proposal self = node.selfProposal();
      changeVote(theirs.compareTo(self) > 0 ? theirs : self);
    } else if (v.round() < round) {
      node.send(from, voteMessage()); // help it catch up
      return;
    } else if (theirs.compareTo(vote) > 0) {
      changeVote(theirs);
    }
    received.put(from, theirs);
    received.put(node.myId(), vote);
    if (hasQuorum()) {
      if (agreesAll()) {
        decide();
      } else if (agreedSince < 0) {
        agreedSince = node.now();
        if (node.options().finalizeTicks() == 0) {
          decide();
        }
      }
    }
  }

  private void changeVote(Proposal next) {
    if (!next.equals(vote)) {
      vote = next;
      agreedSince = -1;
      broadcast();
    }
  }

  private boolean hasQuorum() {
    int n = 0;
    for (Map.Entry<Integer, Proposal> e : received.entrySet()) {
      if (e.getValue().equals(vote) && node.ensemble().isVoter(e.getKey())) {
        n++;
      }
    }
    return vote != null && n >= node.ensemble().quorum();
  }

  private boolean agreesAll() {
    for (Integer id : node.ensemble().voters()) {
      if (!vote.equals(received.get(id))) {
        return false;
      }
    }
    return true;
  }

  private void decide() {
    if (vote.leader() == node.myId()) {
      node.becomeLeader();
    } else {
      node.becomeFollower(vote.leader());
    }
  }

  /** Joins a leader that a quorum of voters already follow (it counts itself). */
  private void joinSettledLeader() {
    for (PeerMessage.Vote candidate : settled.values()) {
      int leader = candidate.leader();
      int epoch = candidate.establishedEpoch();
      PeerMessage.Vote own = settled.get(leader);
      if (epoch == 0 || own == null || own.senderRole() != Role.LEADING
          || own.establishedEpoch() != epoch || own.leader() != leader) {
        continue;
      }
      int n = 0;
      for (Map.Entry<Integer, PeerMessage.Vote> e : settled.entrySet()) {
        PeerMessage.Vote v = e.getValue();
        if (node.ensemble().isVoter(e.getKey()) && v.leader() == leader
            && v.establishedEpoch() == epoch) {
          n++;
        }
      }
      if (n >= node.ensemble().quorum()) {
        node.becomeFollower(leader);
        return;
      }
    }
  }

  private PeerMessage.Vote voteMessage() {
    if (vote == null) {
      return new PeerMessage.Vote(round, 0, 0, 0, Role.LOOKING, 0);
    }
    return new PeerMessage.Vote(round, vote.leader(), vote.epoch(), vote.zxid(), Role.LOOKING, 0);
  }

  private void broadcast() {
    lastBroadcast = node.now();
    PeerMessage.Vote message = voteMessage();
    for (Integer id : node.ensemble().voters()) {
      if (id != node.myId()) {
        node.send(id, message);
      }
    }
  }
}
