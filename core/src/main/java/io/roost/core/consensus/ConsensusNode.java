package io.roost.core.consensus;

import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One server's consensus state machine. Deterministic: its outputs depend only on the inputs it
 * was given, in order. Not thread-safe: one thread (a Vert.x context, or a simulation scheduler)
 * owns it.
 *
 * <p>After every input ({@link #tick()}, {@link #step}, {@link #peerDisconnected},
 * {@link #persisted}, {@link #propose}, {@link #readIndex}, {@link #compact}) the driver calls
 * {@link #ready()} and carries out what it returns, in the order {@link Ready} describes, before
 * the next input.
 */
public final class ConsensusNode {
  private final int myId;
  private final Ensemble ensemble;
  private final ConsensusOptions options;
  private final StateSource stateSource;
  final ConsensusLog log;

  private HardState hard;
  private boolean hardChanged;
  private long commitZxid;
  private long appliedZxid;
  /** What the driver has applied: {@code appliedZxid} as of the last {@link #ready()}. */
  private long driverAppliedZxid;
  private long now;
  private long lastRound;
  private Status status = Status.LOOKING;
  private boolean statusChanged;

  private Election election;
  private Leading leading;
  private Following following;

  private final List<LogOp> logOps = new ArrayList<>();
  private final List<Transaction> committed = new ArrayList<>();
  private final List<Envelope> messages = new ArrayList<>();
  private final List<Ready.ReadIndex> reads = new ArrayList<>();

  /**
   * A node restored from its durable state, starting in election.
   *
   * @param myId this server's id, a member of {@code ensemble}
   * @param ensemble the voters and observers
   * @param options timing and sizes
   * @param hardState the persisted hard state ({@link HardState#INITIAL} on first start)
   * @param snapshotZxid the zxid of the state the driver restored (0 if empty); everything up to
   *     it is committed and applied
   * @param logAfterSnapshot the durable log entries after {@code snapshotZxid}, in zxid order;
   *     they may include entries that were never committed, so none is applied yet
   * @param stateSource gives the applied state when a follower needs a SNAP
   */
  public ConsensusNode(int myId, Ensemble ensemble, ConsensusOptions options, HardState hardState,
      long snapshotZxid, List<Transaction> logAfterSnapshot, StateSource stateSource) {
    if (!ensemble.contains(myId)) {
      throw new IllegalArgumentException("server " + myId + " is not in the ensemble " + ensemble);
    }
    this.myId = myId;
    this.ensemble = ensemble;
    this.options = Objects.requireNonNull(options, "options");
    this.hard = Objects.requireNonNull(hardState, "hardState");
    this.stateSource = Objects.requireNonNull(stateSource, "stateSource");
    this.log = new ConsensusLog(snapshotZxid, logAfterSnapshot);
    this.commitZxid = snapshotZxid;
    this.appliedZxid = snapshotZxid;
    this.driverAppliedZxid = snapshotZxid;
    becomeLooking();
  }

  // ------------------------------------------------------------------------------------------
  // Inputs
  // ------------------------------------------------------------------------------------------

  /** One tick of logical time has passed. */
  public void tick() {
    now++;
    if (election != null) {
      election.tick();
    } else if (leading != null) {
      leading.tick();
    } else if (following != null) {
      following.tick();
    }
  }

  /** A message from server {@code from} arrived. Unknown senders are ignored. */
  public void step(int from, PeerMessage message) {
    if (from == myId || !ensemble.contains(from)) {
      return;
    }
    if (message instanceof PeerMessage.Vote v) {
      if (election != null) {
        election.onVote(from, v);
      } else if (v.senderRole() == Role.LOOKING) {
        messages.add(new Envelope(from, currentVote(v.round())));
      }
    } else if (leading != null) {
      leading.step(from, message);
    } else if (following != null && from == following.leader()) {
      following.step(message);
    }
  }

  /**
   * The connection to server {@code peer} was lost (the driver's transport saw it close). A
   * follower or observer of that server looks for a new leader at once, as a ZooKeeper learner
   * does when its leader's socket closes, instead of waiting out syncLimit; every other role
   * leaves it to the timeouts. Messages in flight on the lost connection may be lost.
   */
  public void peerDisconnected(int peer) {
    if (following != null && following.leader() == peer) {
      becomeLooking();
    }
  }

  /**
   * Part of a frame from server {@code peer} arrived (the driver's transport saw bytes of a frame
   * not yet whole). A follower or observer of that server counts it as hearing from its leader:
   * a SNAP of a large tree can take longer than syncLimit to arrive, and the leader is plainly
   * alive while it does. Other roles ignore it.
   */
  public void peerProgress(int peer) {
    if (following != null && following.leader() == peer) {
      following.heard();
    }
  }

  /** Log appends with sequence numbers up to {@code seq} are durable. */
  public void persisted(long seq) {
    log.persisted(seq);
    if (leading != null) {
      leading.onPersisted();
    } else if (following != null) {
      following.onPersisted();
    }
  }

  /**
   * Proposes a transaction, which must carry {@link #nextZxid()}. Returns false, and does nothing,
   * if this server cannot propose now (not an established leader, or a stale zxid).
   */
  public boolean propose(Transaction txn) {
    return leading != null && leading.propose(txn);
  }

  /**
   * Asks for a read index: once a quorum of voters confirms this server still leads (they answer
   * a heartbeat sent after this call), a {@link Ready.ReadIndex} with {@code id} and the commit
   * point as of now comes out of {@link #ready()}. A read served from the state applied up to
   * that zxid is linearizable. Returns false, and does nothing, if this server is not an
   * established leader; a read not confirmed before this server stops leading is dropped (the
   * status change says so).
   *
   * @param id the caller's name for the read, returned with the confirmation
   */
  public boolean readIndex(long id) {
    return leading != null && leading.readIndex(id);
  }

  /**
   * The zxid the next proposal must carry, or -1 if this server is not a leader in broadcast
   * (clients' writes must wait or fail).
   */
  public long nextZxid() {
    return leading == null ? -1 : leading.nextZxid();
  }

  /**
   * Entries at or below {@code zxid} are held durably outside this log (a snapshot, or the
   * driver's log on disk and its applied tree): those at or below the applied point too may be
   * dropped from memory, keeping the newest {@code retainEntries} for DIFFs. A follower further
   * behind gets a SNAP.
   */
  public void compact(long zxid) {
    log.compact(Math.min(zxid, appliedZxid), options.retainEntries());
  }

  /** Collects everything the inputs so far produced. */
  public Ready ready() {
    if (leading != null) {
      leading.replicateAll();
    }
    if (!hardChanged && logOps.isEmpty() && committed.isEmpty() && messages.isEmpty()
        && !statusChanged && reads.isEmpty()) {
      return Ready.EMPTY;
    }
    Ready r = new Ready(hardChanged ? hard : null, List.copyOf(logOps), List.copyOf(committed),
        List.copyOf(messages), statusChanged ? status : null, List.copyOf(reads));
    reads.clear();
    hardChanged = false;
    statusChanged = false;
    driverAppliedZxid = appliedZxid;
    logOps.clear();
    committed.clear();
    messages.clear();
    return r;
  }

  // ------------------------------------------------------------------------------------------
  // Queries
  // ------------------------------------------------------------------------------------------

  /** This server's id. */
  public int id() {
    return myId;
  }

  /** Where this server stands. */
  public Status status() {
    return status;
  }

  /** The persisted hard state as of the last {@link #ready()}. */
  public HardState hardState() {
    return hard;
  }

  /** Highest zxid known committed (and handed out for applying). */
  public long commitZxid() {
    return commitZxid;
  }

  /** Zxid of the last entry in the log. */
  public long lastZxid() {
    return log.last();
  }

  /** Zxid up to which the log is durable. */
  public long durableZxid() {
    return log.durable();
  }

  /** Number of log entries held in memory. */
  public int logSize() {
    return log.size();
  }

  /** Ticks since this node was created. */
  public long ticks() {
    return now;
  }

  @Override
  public String toString() {
    return "server " + myId + " " + status + " " + hard + " last=0x" + Long.toHexString(log.last())
        + " commit=0x" + Long.toHexString(commitZxid);
  }

  // ------------------------------------------------------------------------------------------
  // Shared by the roles
  // ------------------------------------------------------------------------------------------

  int myId() {
    return myId;
  }

  Ensemble ensemble() {
    return ensemble;
  }

  ConsensusOptions options() {
    return options;
  }

  long now() {
    return now;
  }

  long appliedZxid() {
    return appliedZxid;
  }

  HardState hard() {
    return hard;
  }

  void setHard(HardState next) {
    if (!next.equals(hard)) {
      hard = next;
      hardChanged = true;
    }
  }

  void send(int to, PeerMessage message) {
    messages.add(new Envelope(to, message));
  }

  /** A read index was confirmed by a quorum. */
  void confirmRead(long id, long zxid) {
    reads.add(new Ready.ReadIndex(id, zxid));
  }

  void logOp(LogOp op) {
    logOps.add(op);
  }

  /** Appends entries to the log and emits one append op for them. */
  void appendAll(List<Transaction> txns) {
    if (txns.isEmpty()) {
      return;
    }
    long seq = 0;
    for (Transaction t : txns) {
      seq = log.append(t);
    }
    logOps.add(new LogOp.Append(txns, seq));
  }

  /** Raises the commit point (capped at the log's end) and hands out the newly committed. */
  void advanceCommit(long zxid) {
    long target = Math.min(zxid, log.last());
    if (target <= commitZxid) {
      return;
    }
    commitZxid = target;
    committed.addAll(log.between(appliedZxid, commitZxid));
    appliedZxid = commitZxid;
  }

  /** Installs a leader's snapshot: state, log and commit point all restart at its zxid. */
  void install(StateImage image) {
    logOps.add(new LogOp.InstallSnapshot(image));
    log.reset(image.lastZxid());
    commitZxid = image.lastZxid();
    appliedZxid = image.lastZxid();
    committed.clear(); // anything handed out in this input is covered by the image
    driverAppliedZxid = image.lastZxid();
  }

  /**
   * The state the driver has applied: everything handed out before the current input (what this
   * input commits is applied only after its {@link Ready}).
   */
  StateImage image() {
    StateImage image = stateSource.image();
    if (image.lastZxid() != driverAppliedZxid) {
      throw new IllegalStateException("the state source gave an image at 0x"
          + Long.toHexString(image.lastZxid()) + " but 0x"
          + Long.toHexString(driverAppliedZxid) + " is applied");
    }
    return image;
  }

  /** This server's own vote: (current epoch, last zxid, id). */
  Election.Proposal selfProposal() {
    return new Election.Proposal(myId, hard.currentEpoch(), log.last());
  }

  /** The vote this server reports to a looking peer while it is not looking itself. */
  private PeerMessage.Vote currentVote(long round) {
    int leader = status.leader();
    return new PeerMessage.Vote(round, leader, hard.currentEpoch(), log.last(), status.role(),
        status.epoch());
  }

  long nextRound() {
    return ++lastRound;
  }

  void observeRound(long round) {
    lastRound = Math.max(lastRound, round);
  }

  void setStatus(Status next) {
    if (!next.equals(status)) {
      status = next;
      statusChanged = true;
    }
  }

  void becomeLooking() {
    leading = null;
    following = null;
    setStatus(Status.LOOKING);
    election = new Election(this);
    election.start();
  }

  void becomeLeader() {
    election = null;
    following = null;
    setStatus(new Status(Role.LEADING, myId, 0, false));
    leading = new Leading(this);
    leading.start();
  }

  void becomeFollower(int leader) {
    election = null;
    leading = null;
    boolean observer = !ensemble.isVoter(myId);
    setStatus(new Status(observer ? Role.OBSERVING : Role.FOLLOWING, leader, 0, false));
    following = new Following(this, leader, observer);
    following.start();
  }
}
