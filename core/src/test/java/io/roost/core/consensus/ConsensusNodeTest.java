package io.roost.core.consensus;

import static io.roost.core.consensus.TestCluster.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.txn.Transaction;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scripted scenarios, one protocol property each, on a fault-free {@link TestCluster}. */
class ConsensusNodeTest {
  private static final Ensemble THREE = Ensemble.ofVoters(List.of(1, 2, 3));

  private static long z(int epoch, long counter) {
    return Transaction.zxid(epoch, counter);
  }

  private static List<Transaction> log(int epoch, int from, int to) {
    List<Transaction> out = new java.util.ArrayList<>();
    for (int c = from; c <= to; c++) {
      out.add(create(z(epoch, c), "/e" + epoch + "c" + c));
    }
    return out;
  }

  @Test
  void electionPicksTheServerWithTheLongestLogInTheSameEpoch() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    HardState h = new HardState(1, 0, 1);
    c.node(1).preload(h, log(1, 1, 5));
    c.node(2).preload(h, log(1, 1, 7));
    c.node(3).preload(h, log(1, 1, 3));
    c.start().runUntil(c::allServing, 50, "a leader");
    assertEquals(2, c.leader().id);
    assertEquals(2, c.leader().core.status().epoch(), "a new epoch, one past the promised 1");
    for (SimNode n : c.nodes.values()) {
      assertEquals(z(1, 7), n.lastApplied, "server " + n.id + " applied the whole history");
      assertEquals(log(1, 1, 7), n.durableLog());
    }
  }

  @Test
  void currentEpochOutranksALongerLogFromAnOlderEpoch() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    List<Transaction> shared = log(1, 1, 3);
    List<Transaction> newer = new java.util.ArrayList<>(shared);
    newer.addAll(log(2, 1, 1));
    List<Transaction> longer = new java.util.ArrayList<>(shared);
    longer.addAll(log(1, 4, 9)); // uncommitted proposals of a dead epoch-1 leader
    c.node(1).preload(new HardState(2, 3, 2), newer);
    c.node(2).preload(new HardState(2, 3, 1), longer);
    c.node(3).preload(new HardState(2, 3, 2), newer);
    c.stop(3);
    c.start().runUntil(c::allServing, 50, "a leader");
    assertEquals(1, c.leader().id, "currentEpoch 2 beats a longer epoch-1 log");
    // TRUNC: server 2 drops the epoch-1 tail it had and takes the leader's history.
    assertEquals(newer, c.node(2).durableLog());
    assertEquals(z(2, 1), c.node(2).lastApplied);
    assertTrue(c.sentLog.stream().anyMatch(m -> m instanceof PeerMessage.Append a
        && a.prevZxid() == z(1, 3)), "the sync resumed from the last common zxid");
  }

  @Test
  void aLeaderThatFindsAMoreCompleteHistoryInDiscoveryStepsDown() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    // Server 3 holds more than 1 and 2 but is down during the first election.
    c.node(1).preload(new HardState(1, 1, 1), log(1, 1, 2));
    c.node(2).preload(new HardState(1, 1, 1), log(1, 1, 2));
    c.node(3).preload(new HardState(1, 1, 1), log(1, 1, 4));
    c.stop(3);
    c.start().runUntil(c::allServing, 50, "a leader of 1 and 2");
    SimNode first = c.leader();
    c.restart(3);
    c.runUntil(c::allServing, 50, "3 synchronized");
    // 3's extra entries were never committed; the established leader keeps its history and 3
    // is truncated to it, as ZAB requires once an epoch is established.
    assertEquals(first.id, c.leader().id);
    assertEquals(c.node(first.id).durableLog(), c.node(3).durableLog());
  }

  @Test
  void aFollowerFarBehindGetsASnapshot() {
    ConsensusOptions opts = TestCluster.fastOptions().retainEntries(0).build();
    TestCluster c = new TestCluster(THREE, opts);
    c.stop(3);
    c.start().runUntil(c::allServing, 50, "a leader of 1 and 2");
    for (int i = 0; i < 20; i++) {
      c.propose("/p" + i);
    }
    c.runUntil(() -> c.leader().lastApplied == c.leader().core.lastZxid(), 20, "commit");
    for (SimNode n : c.nodes.values()) {
      if (n.isUp()) {
        n.snapshotAndCompact();
      }
    }
    c.restart(3);
    c.runUntil(c::allServing, 50, "3 synchronized");
    assertTrue(c.sentLog.stream().anyMatch(m -> m instanceof PeerMessage.Snap),
        "the far-behind follower was sent a snapshot");
    assertEquals(c.leader().state.digest(), c.node(3).state.digest());
    assertEquals(c.leader().lastApplied, c.node(3).lastApplied);
  }

  @Test
  void aFollowerLooksForALeaderAsSoonAsItsConnectionToTheLeaderCloses() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    SimNode leader = c.leader();
    int epoch = leader.core.status().epoch();
    int follower = leader.id == 1 ? 2 : 1;
    int other = 6 - leader.id - follower;
    c.disconnect(follower, other); // not its leader: nothing changes
    assertEquals(Role.FOLLOWING, c.core(follower).status().role());
    c.disconnect(leader.id, follower); // a leader counts on its quorum timeout
    assertEquals(Role.LEADING, leader.core.status().role());
    c.disconnect(follower, leader.id);
    assertEquals(Role.LOOKING, c.core(follower).status().role(),
        "no syncLimit wait once the leader's connection is gone");
    c.runUntil(c::allServing, 20, "the follower back with the same leader");
    assertEquals(leader.id, c.leader().id);
    assertEquals(epoch, c.core(follower).status().epoch());
  }

  @Test
  void aVoterThatPromisedALaterEpochIsNotLockedOutByAnEstablishedLeader() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    List<Transaction> history = log(1, 1, 3);
    c.node(1).preload(new HardState(1, 1, 1), history);
    c.node(2).preload(new HardState(1, 1, 1), history);
    // Server 3 promised epoch 5 to a leader attempt that never gathered a quorum.
    c.node(3).preload(new HardState(5, 3, 1), history);
    c.stop(3);
    c.start().runUntil(c::allServing, 50, "a leader of 1 and 2");
    assertTrue(c.leader().core.status().epoch() < 5);
    // Server 3 can never take an epoch below its promise; the leader must move past it.
    c.restart(3);
    c.runUntil(c::allServing, 300, "3 serving in an epoch at or above its promise");
    assertTrue(c.core(3).status().epoch() >= 5, c.core(3).toString());
    assertEquals(c.leader().state.digest(), c.node(3).state.digest());
  }

  @Test
  void commitWaitsForAQuorumOfDurableAcknowledgements() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    SimNode leader = c.leader();
    for (SimNode n : c.nodes.values()) {
      if (n != leader) {
        c.holdDisk(n.id, true);
      }
    }
    Transaction t = c.propose("/held");
    for (int i = 0; i < 3; i++) {
      c.round();
    }
    assertNotEquals(t.zxid(), leader.lastApplied, "committed with only the leader's fsync");
    int follower = c.nodes.keySet().stream().filter(id -> id != leader.id).findFirst().get();
    c.holdDisk(follower, false);
    c.runUntil(() -> leader.lastApplied == t.zxid(), 5, "commit after one follower's fsync");
  }

  @Test
  void withAQuorumOfTwoAFollowerCommitsWhatItAndTheLeaderHoldWithoutTheLeadersCommit() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    SimNode leader = c.leader();
    int follower = c.nodes.keySet().stream().filter(id -> id != leader.id).findFirst().get();
    for (SimNode n : c.nodes.values()) {
      if (n != leader && n.id != follower) {
        c.holdDisk(n.id, true);
      }
    }
    c.lose(PeerMessage.Commit.class, true);
    c.lose(PeerMessage.Ping.class, true);
    Transaction t = c.propose("/both");
    c.runUntil(() -> c.node(follower).lastApplied == t.zxid(), 5,
        "the follower applies once it and the leader hold the entry durably");
  }

  @Test
  void observersNeverLeadAndReceiveOnlyCommittedEntries() {
    Ensemble ens = new Ensemble(Set.of(1, 2, 3), Set.of(4));
    TestCluster c = new TestCluster(ens, TestCluster.fastOptions().build());
    // The observer has the most complete log; it must not be elected.
    c.node(4).preload(new HardState(1, 1, 1), log(1, 1, 9));
    c.start().runUntil(c::allServing, 60, "a leader and a synchronized observer");
    assertNotEquals(4, c.leader().id);
    assertEquals(Role.OBSERVING, c.core(4).status().role());
    SimNode leader = c.leader();
    for (SimNode n : c.nodes.values()) {
      if (n != leader) {
        c.holdDisk(n.id, true);
      }
    }
    Transaction t = c.propose("/uncommitted");
    c.round();
    c.round();
    assertFalse(c.node(4).durableLog().contains(t) || c.core(4).lastZxid() == t.zxid(),
        "the observer got an uncommitted proposal");
    c.holdDisk(1, false);
    c.holdDisk(2, false);
    c.holdDisk(3, false);
    c.runUntil(() -> c.node(4).lastApplied == t.zxid(), 10, "the observer applies it");
  }

  @Test
  void anObserverFarBehindTheNewEpochsHistoryGetsASnapshotAndSyncsWithinInitLimit() {
    // Regression (simulation seed 2166600696081483613, 5+1): a new epoch's initial history ran
    // thousands of committed entries past an observer, and the leader had not compacted its log,
    // so it chose a DIFF. A DIFF goes one window (maxInFlight) per round trip and NEWLEADER is
    // acknowledged only at its end, so the sync outlasted initLimit: the observer went back to
    // election, rejoined, restarted the DIFF, and never caught up. Past retainEntries committed
    // entries a learner must get the state instead, whatever the leader keeps in memory.
    ConsensusOptions opts = TestCluster.fastOptions().maxBatch(16).maxInFlight(16)
        .retainEntries(50).build();
    Ensemble ens = new Ensemble(Set.of(1, 2, 3), Set.of(4));
    TestCluster c = new TestCluster(ens, opts);
    c.stop(4);
    c.start().runUntil(c::allServing, 50, "a leader of 1, 2 and 3");
    Transaction last = null;
    for (int i = 0; i < 800; i++) {
      last = c.propose("/p" + i);
    }
    long target = last.zxid();
    c.runUntil(() -> c.leader().lastApplied == target, 100, "the leader commits all 800");
    int epoch = c.leader().core.status().epoch();
    for (int id = 1; id <= 3; id++) { // a new epoch whose initial history holds all 800
      c.stop(id);
      c.restart(id);
    }
    c.runUntil(() -> c.allServing() && c.leader().core.status().epoch() > epoch
        && c.leader().lastApplied == target, 200, "a new epoch of 1, 2 and 3");
    assertEquals(800, c.leader().core.logSize(), "nothing compacted the leader's log");
    c.sentLog.clear();
    c.restart(4);
    // 800 entries at 16 a round cannot be DIFFed within initLimit (10 rounds).
    c.runUntil(() -> c.core(4).status().serving() && c.node(4).lastApplied == target,
        2 * opts.initLimit(), "the observer synchronized");
    assertEquals(Role.OBSERVING, c.core(4).status().role());
    assertTrue(c.sentLog.stream().anyMatch(m -> m instanceof PeerMessage.Snap),
        "the far-behind observer was sent a snapshot");
    assertEquals(c.leader().state.digest(), c.node(4).state.digest());
  }

  @Test
  void aFollowerReceivingALongSnapshotKeepsItsLeaderWhoDoesNotSendItAgain() {
    // A SNAP of a large tree can take longer than syncLimit to arrive, and nothing the leader
    // sends after it gets through before it (one TCP stream). While its bytes arrive
    // (peerProgress) the follower must not give up on its leader: if it did, it would sync
    // again and get a new SNAP, over and over (seen with 47-56 MB snapshots under load). The
    // leader itself retransmits only Appends from the snapshot's zxid meanwhile.
    ConsensusOptions opts = TestCluster.fastOptions().initLimit(20).retainEntries(0).build();
    TestCluster c = new TestCluster(THREE, opts);
    c.stop(3);
    // (initLimit 20: the whole sync must still fit in it, as in ZooKeeper.)
    c.start().runUntil(c::allServing, 50, "a leader of 1 and 2");
    Transaction last = null;
    for (int i = 0; i < 20; i++) {
      last = c.propose("/s" + i);
    }
    long target = last.zxid();
    c.runUntil(() -> c.leader().lastApplied == target, 50, "the leader commits");
    int leader = c.leader().id;
    c.hold(PeerMessage.Snap.class, true);
    c.sentLog.clear();
    c.restart(3);
    c.runUntil(() -> c.sentLog.stream().anyMatch(m -> m instanceof PeerMessage.Snap), 20,
        "the leader sends server 3 a snapshot");
    for (int i = 0; i < 3 * opts.syncLimit() / 2; i++) { // longer than syncLimit on the wire
      c.progress(3, leader);
      c.round();
    }
    assertEquals(Role.FOLLOWING, c.core(3).status().role(),
        "the follower gave up on a leader whose snapshot was still arriving");
    assertEquals(1, c.sentLog.stream().filter(m -> m instanceof PeerMessage.Snap).count(),
        "the leader sent the snapshot again while the first was on its way");
    c.hold(PeerMessage.Snap.class, false);
    c.runUntil(() -> c.core(3).status().serving() && c.node(3).lastApplied == target, 20,
        "server 3 synchronized from the one snapshot");
    assertEquals(c.leader().state.digest(), c.node(3).state.digest());
  }

  @Test
  void aLeaderStartsANewEpochBeforeItsCounterOverflows() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().maxCounter(5).build());
    c.start().runUntil(c::allServing, 50, "a leader");
    int epoch = c.leader().core.status().epoch();
    for (int i = 0; i < 5; i++) {
      c.propose("/c" + i);
    }
    assertEquals(-1, c.nodes.values().stream().mapToLong(n -> n.core.nextZxid()).max()
        .getAsLong(), "nobody may propose past the counter limit");
    c.runUntil(() -> c.allServing() && c.leader().core.status().epoch() > epoch, 60,
        "a new epoch");
    c.runUntil(() -> c.nodes.values().stream().allMatch(n -> n.lastApplied
        == Transaction.zxid(epoch, 5)), 20, "the last proposals of the old epoch committed");
  }

  @Test
  void aSingleVoterCommitsAfterItsOwnFsync() {
    TestCluster c = new TestCluster(Ensemble.ofVoters(List.of(7)),
        TestCluster.fastOptions().build());
    c.start();
    assertTrue(c.allServing(), "a lone voter leads at once");
    Transaction t = c.propose("/solo");
    assertEquals(0, c.node(7).lastApplied);
    c.round();
    assertEquals(t.zxid(), c.node(7).lastApplied);
  }

  @Test
  void oneLeaderPerEpochEvenWhenTwoCandidatesRace() {
    // All three start with identical state; whatever the election does, discovery's promises
    // must leave at most one leader per epoch.
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    long leaders = c.nodes.values().stream()
        .filter(n -> n.core.status().role() == Role.LEADING).count();
    assertEquals(1, leaders);
  }

  @Test
  void aReadIndexIsConfirmedByAQuorumAtTheCommitPoint() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    int leader = c.leader().id;
    Transaction t = c.propose("/before-the-read");
    c.runUntil(() -> c.leader().lastApplied == t.zxid(), 10, "the write committed");
    int follower = c.nodes.keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
    assertFalse(c.readIndex(follower, 1), "only a leader gives read indexes");
    assertTrue(c.readIndex(leader, 2));
    assertTrue(c.confirmedReads.get(leader).isEmpty(), "confirmed before any follower answered");
    c.runUntil(() -> !c.confirmedReads.get(leader).isEmpty(), 3, "the read confirmed");
    assertEquals(List.of(new Ready.ReadIndex(2, t.zxid())), c.confirmedReads.get(leader));
  }

  @Test
  void aDeposedLeaderThatDoesNotKnowItNeverConfirmsAReadIndex() {
    TestCluster c = new TestCluster(THREE, TestCluster.fastOptions().build());
    c.start().runUntil(c::allServing, 50, "a leader");
    SimNode old = c.leader();
    // The old leader is cut off and paused, so it still believes it leads; the others move on.
    c.isolate(old.id, true);
    c.freeze(old.id, true);
    c.runUntil(() -> c.nodes.values().stream().anyMatch(n -> n != old
        && n.core.status().role() == Role.LEADING && n.core.status().serving()), 60,
        "a new leader among the other two");
    SimNode fresh = c.nodes.values().stream().filter(n -> n != old
        && n.core.status().role() == Role.LEADING).findFirst().orElseThrow();
    long zxid = fresh.core.nextZxid();
    assertTrue(fresh.core.propose(TestCluster.create(zxid, "/after-the-change")));
    c.runUntil(() -> fresh.lastApplied == zxid, 10, "the new leader commits a write");
    // The old leader's network comes back but its clock is still paused: it still leads.
    c.isolate(old.id, false);
    assertEquals(Role.LEADING, old.core.status().role());
    assertTrue(c.readIndex(old.id, 7), "it still thinks it is an established leader");
    for (int i = 0; i < 5; i++) {
      c.round();
    }
    assertEquals(List.of(), c.confirmedReads.get(old.id), "a stale read index would miss 0x"
        + Long.toHexString(zxid) + ", committed by the new leader");
    assertTrue(c.readIndex(fresh.id, 8));
    c.runUntil(() -> !c.confirmedReads.get(fresh.id).isEmpty(), 3, "the new leader's read");
    assertEquals(zxid, c.confirmedReads.get(fresh.id).get(0).zxid());
  }

  @Test
  void badArgumentsAreRejectedWithTheSettingsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConsensusOptions.builder().syncLimit(0).build());
    assertTrue(e.getMessage().contains("syncLimit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Ensemble(Set.of(1, 2), Set.of(2)));
    assertTrue(e.getMessage().contains("server 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ConsensusNode(9, THREE,
        ConsensusOptions.builder().build(), HardState.INITIAL, 0, List.of(), () -> null));
    assertTrue(e.getMessage().contains("server 9"), e.getMessage());
  }
}
