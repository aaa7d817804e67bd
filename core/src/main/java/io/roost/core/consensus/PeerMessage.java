package io.roost.core.consensus;

import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import java.util.List;

/**
 * The messages servers exchange. Every message that belongs to a leader's term carries its epoch,
 * and a receiver drops what does not match its own view, so late, duplicated or reordered copies do
 * no harm.
 */
public sealed interface PeerMessage {

  /**
   * Election notification. A LOOKING sender proposes {@code leader}; a sender that follows or leads
   * reports its leader and the epoch it is established in.
   *
   * @param round the sender's election round (logical clock)
   * @param leader the proposed or current leader
   * @param leaderEpoch the proposed leader's current epoch (first key of the vote order)
   * @param leaderZxid the proposed leader's last zxid (second key; the id is the third)
   * @param senderRole what the sender is doing
   * @param establishedEpoch for a sender that follows or leads, the epoch of its leader; else 0
   */
  record Vote(long round, int leader, int leaderEpoch, long leaderZxid, Role senderRole,
      int establishedEpoch) implements PeerMessage {}

  /** Follower or observer to its chosen leader: my promise so far and my last zxid. */
  record FollowerInfo(int acceptedEpoch, long lastZxid) implements PeerMessage {}

  /**
   * Leader to follower: the new epoch it asks the follower to promise. {@code established} says a
   * quorum already promised it to this leader, so no other leader can ever establish it, and a
   * follower that promised the same epoch to another candidate may switch.
   */
  record LeaderInfo(int epoch, boolean established) implements PeerMessage {}

  /** Follower to leader: promise of {@code epoch}, with what the leader needs to choose a sync. */
  record AckEpoch(int epoch, int currentEpoch, long lastZxid) implements PeerMessage {}

  /**
   * Leader to follower: the entries that follow {@code prevZxid} in the leader's log (DIFF; with a
   * TRUNC of whatever the follower holds after {@code prevZxid} that is not the leader's), and the
   * leader's commit point. Also the carrier of broadcast proposals.
   */
  record Append(int epoch, long prevZxid, List<Transaction> txns, long commitZxid)
      implements PeerMessage {
    /** Copies the list. */
    public Append {
      txns = List.copyOf(txns);
    }
  }

  /**
   * Leader to follower: the whole state at the image's zxid (SNAP), for a follower too far behind
   * for a DIFF. Entries after it follow as {@link Append}s.
   */
  record Snap(int epoch, StateImage image) implements PeerMessage {}

  /** Leader to follower: the initial history of {@code epoch} ends at {@code zxid}. */
  record NewLeader(int epoch, long zxid) implements PeerMessage {}

  /** Follower to leader: I hold the initial history of {@code epoch} durably. */
  record AckNewLeader(int epoch) implements PeerMessage {}

  /** Leader to follower: a quorum holds the initial history; serve clients. */
  record UpToDate(int epoch, long commitZxid) implements PeerMessage {}

  /**
   * Follower to leader: everything up to {@code zxid} in my log is the leader's and durable.
   * Cumulative, so a lost ack is covered by the next.
   */
  record Ack(int epoch, long zxid) implements PeerMessage {}

  /**
   * Follower to leader: I do not hold {@code Append.prevZxid}; retry from at most
   * {@code hintZxid}, the last zxid I hold below it.
   */
  record Nack(int epoch, long hintZxid) implements PeerMessage {}

  /** Leader to follower: everything up to {@code zxid} is committed. No answer. */
  record Commit(int epoch, long zxid) implements PeerMessage {}

  /**
   * Leader heartbeat with its commit point, answered by a {@link Pong} with the same
   * {@code round}. Rounds only grow within an epoch; a read index is confirmed by a quorum
   * answering a round sent after the read was asked for.
   */
  record Ping(int epoch, long commitZxid, long round) implements PeerMessage {}

  /**
   * Follower to leader: the answer to {@link Ping} {@code round}; like an {@link Ack}, it also
   * says everything up to {@code zxid} in my log is the leader's and durable.
   */
  record Pong(int epoch, long round, long zxid) implements PeerMessage {}
}
