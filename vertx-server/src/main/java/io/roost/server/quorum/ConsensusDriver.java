package io.roost.server.quorum;

import io.roost.core.consensus.ConsensusNode;
import io.roost.core.consensus.ConsensusOptions;
import io.roost.core.consensus.Ensemble;
import io.roost.core.consensus.Envelope;
import io.roost.core.consensus.LogOp;
import io.roost.core.consensus.PeerCodec;
import io.roost.core.consensus.PeerMessage;
import io.roost.core.consensus.Ready;
import io.roost.core.consensus.Role;
import io.roost.core.consensus.Status;
import io.roost.core.proto.ProtocolException;
import io.roost.core.server.ForwardCodec;
import io.roost.core.server.ReadBarrier;
import io.roost.core.server.Replicator;
import io.roost.core.server.ServerCore;
import io.roost.core.server.ServerRole;
import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import io.roost.server.config.PeerSpec;
import io.roost.server.config.ServerConfig;
import io.roost.server.peer.PeerTransport;
import io.roost.server.peer.PeerTransportOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs an ensemble member: drives its {@link ConsensusNode} on the server's event-loop context,
 * carries out each {@link Ready} (hard state and truncations durable before the messages that
 * depend on them go out, appends group-committed on the log worker, committed transactions
 * applied through {@link ServerCore#applyCommitted}), carries peer frames, and switches the
 * {@link ServerCore}'s role when the node's status changes. Also the core's {@link Replicator}:
 * a leader's proposals go to the consensus node.
 *
 * <p>Peer frames start with a channel byte: 0 consensus ({@link PeerCodec}), 1 a follower's
 * forwarded request, 2 the leader's direct reply ({@link ForwardCodec}), 3 a part of a frame
 * longer than {@link #PART_FRAME_BYTES} ({@link FrameParts}).
 */
public final class ConsensusDriver implements Replicator, ReadBarrier, PeerTransport.Listener {
  private static final Logger LOG = System.getLogger(ConsensusDriver.class.getName());
  private static final byte CONSENSUS = 0;
  private static final byte FORWARD = 1;
  private static final byte REPLY = 2;
  /**
   * Frames longer than this go in parts ({@link FrameParts}, channel 3): well under the
   * transport's frame limit, and small enough that the transport's queue paces a large
   * transfer as the socket drains.
   */
  static final int PART_FRAME_BYTES = 4 << 20;
  /** The consensus core ticks at this period (at most), finer than tickTime, so elections are quick. */
  private static final int MAX_CONSENSUS_TICK_MS = 100;
  /**
   * How long the core waits for progress before it re-sends (at most syncLimit). A FOLLOWERINFO
   * sent to a leader that has not yet left its election is dropped, which is common since the
   * follower often decides first; it must cost a fraction of a second, not a whole syncLimit.
   */
  private static final int RETRANSMIT_MS = 500;

  private final Vertx vertx;
  private final ServerConfig config;
  private final int myId;
  private final EnsembleStorage storage;
  private final ConsensusNode node;
  private final PeerTransport transport;
  private final int consensusTickMs;
  /** Applied entries between trims of the in-memory log. */
  private static final int COMPACT_EVERY = 1_000;
  private ServerCore core;
  private Status status = Status.LOOKING;
  /** Messages wait behind the newest durable operation (hard state, truncation, install). */
  private Future<Void> durableGate = Future.succeededFuture();
  private boolean driveScheduled;
  private boolean driving;
  private long appliedSinceSnapshot;
  /** Applied since the in-memory log was last trimmed (see {@link #COMPACT_EVERY}). */
  private long appliedSinceCompact;
  private boolean snapshotting;
  private long consensusTimer = -1;
  private io.vertx.core.Context context;
  /** Read indexes asked for and not confirmed yet, by id. */
  private final Map<Long, LongConsumer> pendingReads = new HashMap<>();
  /** SNAPs in parts still being written, by receiving peer (see {@link #sendMessages}). */
  private final Map<Integer, Future<Void>> snapsInFlight = new HashMap<>();
  /** Frames in parts being put together, by sending peer. */
  private final Map<Integer, FrameParts> assemblers = new HashMap<>();
  private long nextReadId;

  /**
   * @param recovered what start-up found on disk
   * @param storage the member's disk
   */
  public ConsensusDriver(Vertx vertx, ServerConfig config, EnsembleRecovery.Recovered recovered,
      EnsembleStorage storage) {
    this.vertx = vertx;
    this.config = config;
    this.myId = Math.toIntExact(config.myId());
    this.storage = storage;
    this.consensusTickMs = Math.min(MAX_CONSENSUS_TICK_MS, config.tickTime());
    int perTick = Math.max(1, config.tickTime() / consensusTickMs);
    ConsensusOptions options = ConsensusOptions.builder()
        .initLimit(config.initLimit() * perTick)
        .syncLimit(config.syncLimit() * perTick)
        .voteResendTicks(2)
        .finalizeTicks(2)
        .retransmitTicks(Math.max(2,
            Math.min(config.syncLimit() * perTick, RETRANSMIT_MS / consensusTickMs)))
        .build();
    this.node = new ConsensusNode(myId, ensemble(config), options, recovered.hard(),
        recovered.state().lastZxid(), recovered.logAfterSnapshot(), () -> core.state().image());
    Map<Integer, SocketAddress> peers = new HashMap<>();
    String bindHost = "0.0.0.0";
    int bindPort = 0;
    for (PeerSpec p : config.servers()) {
      if (p.id() == config.myId()) {
        bindHost = p.host();
        bindPort = p.peerPort();
      } else {
        peers.put(Math.toIntExact(p.id()), SocketAddress.inetSocketAddress(p.peerPort(), p.host()));
      }
    }
    this.transport = new PeerTransport(vertx, myId, bindHost, bindPort, peers,
        PeerTransportOptions.defaults(), this);
  }

  private static Ensemble ensemble(ServerConfig config) {
    Set<Integer> voters = new TreeSet<>();
    Set<Integer> observers = new TreeSet<>();
    for (PeerSpec p : config.servers()) {
      (p.observer() ? observers : voters).add(Math.toIntExact(p.id()));
    }
    return new Ensemble(voters, observers);
  }

  /** Connects the server core this driver applies to and feeds; it starts offline. */
  public void attach(ServerCore serverCore) {
    this.core = serverCore;
    core.setReadBarrier(this);
    core.setRole(ServerRole.OFFLINE, 0, null);
  }

  /** Starts the peer port and the consensus clock; call on the server's context. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return transport.start().onSuccess(v -> {
      LOG.log(Level.INFO, "server {0} peer port {1,number,#}; {2}", myId, transport.boundPort(),
          node);
      consensusTimer = vertx.setPeriodic(consensusTickMs, id -> {
        node.tick();
        drive();
      });
      drive();
    });
  }

  /** Stops the clock, the peer port and the disk. */
  public Future<Void> close() {
    if (consensusTimer >= 0) {
      vertx.cancelTimer(consensusTimer);
    }
    return transport.close().eventually(storage::close);
  }

  /** Where the node stands now. */
  public Status status() {
    return status;
  }

  /**
   * ZooKeeper's detailed peer state for {@code mntr}: {@code looking}, or the role and phase,
   * e.g. {@code following - synchronization} until the member serves, then
   * {@code following - broadcast}. Call on the server's context.
   */
  public String peerState() {
    if (status.role() == Role.LOOKING) {
      return "looking";
    }
    String role = switch (status.role()) {
      case LEADING -> "leading";
      case OBSERVING -> "observing";
      default -> "following";
    };
    // A follower's status carries no epoch before it serves, so its discovery reads as
    // synchronization; a leader's epoch is set once a quorum promised it.
    String phase = status.serving() ? "broadcast"
        : status.role() == Role.LEADING && status.epoch() == 0 ? "discovery" : "synchronization";
    return role + " - " + phase;
  }

  /** The consensus node (read it on the server's context only). */
  ConsensusNode node() {
    return node;
  }

  /** The peer port actually bound. */
  public int peerPort() {
    return transport.boundPort();
  }

  // ---- Replicator: the leader's ServerCore proposes here ----

  @Override
  public void propose(Transaction txn, Consumer<Transaction> commit) {
    if (!node.propose(txn)) {
      // The node stopped leading between prepare and now; its status change will take the
      // core offline and the client retries elsewhere.
      LOG.log(Level.DEBUG, "dropped proposal 0x{0}: not leading", Long.toHexString(txn.zxid()));
    }
    scheduleDrive();
  }

  // ---- ReadBarrier: the leader's linearizable reads and forwarded syncs ----

  @Override
  public boolean confirm(LongConsumer confirmed) {
    long id = nextReadId++;
    if (!node.readIndex(id)) {
      return false;
    }
    pendingReads.put(id, confirmed);
    scheduleDrive();
    return true;
  }

  // ---- peer frames ----

  @Override
  public void received(int from, byte[] body) {
    if (body.length == 0) {
      return;
    }
    FrameParts parts = assemblers.get(from);
    if (parts != null && parts.assembling() && body[0] != FrameParts.PART) {
      // Parts leave all together, so nothing comes between them on one connection.
      LOG.log(Level.WARNING, "server {0} sent a frame on channel {1} in the middle of a frame"
          + " in parts; the parts so far are dropped", from, body[0]);
      parts.reset();
    }
    try {
      switch (body[0]) {
        case FrameParts.PART -> {
          node.peerProgress(from); // one part of a large message: its sender is alive
          byte[] whole = assemblers.computeIfAbsent(from, id -> new FrameParts()).offer(body);
          if (whole != null) {
            received(from, whole);
          }
        }
        case CONSENSUS -> {
          PeerMessage m = PeerCodec.decode(body, 1, body.length - 1);
          node.step(from, m);
          drive();
        }
        case FORWARD -> {
          core.fromFollower(ForwardCodec.decodeRequest(slice(body)),
              reply -> send(from, REPLY, ForwardCodec.encode(reply)));
          scheduleDrive();
        }
        case REPLY -> core.fromLeader(ForwardCodec.decodeReply(slice(body)));
        default -> LOG.log(Level.WARNING, "server {0} sent a frame on unknown channel {1}",
            from, body[0]);
      }
    } catch (IllegalArgumentException | ProtocolException e) {
      LOG.log(Level.WARNING, "dropping a malformed frame from server " + from, e);
    }
  }

  @Override
  public void receiving(int peer) {
    // A snapshot of a large tree arrives over many seconds: its leader is alive meanwhile.
    node.peerProgress(peer);
  }

  @Override
  public void disconnected(int peer) {
    FrameParts parts = assemblers.get(peer);
    if (parts != null) {
      parts.reset(); // the rest of the parts went with the connection
    }
    node.peerDisconnected(peer); // a dead leader's socket closes long before syncLimit passes
    drive();
  }

  private static byte[] slice(byte[] body) {
    return java.util.Arrays.copyOfRange(body, 1, body.length);
  }

  /**
   * Sends one frame on a channel.
   *
   * @return completes once a frame in parts is written to the socket (failed if it was dropped);
   *     null for a frame that fits in one
   */
  private Future<Void> send(int to, byte channel, byte[] payload) {
    if (payload.length + 1 > PART_FRAME_BYTES) {
      // A SNAP of a large tree: in parts, so no frame is larger than this however large the
      // tree, and the receiver hears from this server while the transfer goes on.
      return transport.sendAll(to, FrameParts.split(channel, payload, PART_FRAME_BYTES));
    }
    byte[] frame = new byte[payload.length + 1];
    frame[0] = channel;
    System.arraycopy(payload, 0, frame, 1, payload.length);
    transport.send(to, frame);
    return null;
  }

  // ---- carrying out Readies ----

  /** Drives once the current event-loop turn is done, so a burst of proposals is one batch. */
  private void scheduleDrive() {
    if (!driveScheduled) {
      driveScheduled = true;
      context.runOnContext(v -> {
        driveScheduled = false;
        drive();
      });
    }
  }

  private void drive() {
    if (driving) {
      return; // applying may propose (a leader's sweep); the outer loop picks it up
    }
    driving = true;
    try {
      for (int i = 0; i < 10_000; i++) {
        Ready r = node.ready();
        if (r.isEmpty()) {
          break;
        }
        carryOut(r);
      }
    } finally {
      driving = false;
    }
  }

  private void carryOut(Ready r) {
    if (r.hardState() == null && !r.logOps().isEmpty()
        && r.logOps().stream().allMatch(op -> op instanceof LogOp.Append)) {
      // New entries only (a leader's proposals, a follower's Append): the messages go out
      // first, so a leader's Appends are on their way before its own copy goes to the log
      // thread, whose wake-up would otherwise delay them; the messages need nothing of this
      // Ready to be durable (an Ack only covers what the log reported durable before).
      sendMessages(r.messages());
      for (LogOp op : r.logOps()) {
        appendToLog((LogOp.Append) op);
      }
      applyCommitted(r.committed());
    } else if (status.role() == Role.LEADING) {
      // A leader's Commits and durable notices let every follower answer its clients: send
      // them before applying here.
      persistInOrder(r);
      sendMessages(r.messages());
      applyCommitted(r.committed());
    } else {
      persistInOrder(r);
      applyCommitted(r.committed()); // before the Acks: this server's clients wait on it
      sendMessages(r.messages());
    }
    for (Ready.ReadIndex read : r.reads()) {
      LongConsumer confirmed = pendingReads.remove(read.id());
      if (confirmed != null) {
        confirmed.accept(read.zxid());
      }
    }
    if (r.status() != null) {
      pendingReads.clear(); // reads not confirmed by now never will be; the role change closes
      changeRole(r.status());
    }
    maybeSnapshot();
  }

  /** Hands the log operations over in order; messages wait for the hard state and truncations. */
  private void persistInOrder(Ready r) {
    List<LogOp> durableOps = new ArrayList<>();
    for (LogOp op : r.logOps()) {
      if (op instanceof LogOp.Append a) {
        if (!durableOps.isEmpty()) {
          durableGate = storage.durable(null, List.copyOf(durableOps));
          durableOps.clear();
        }
        appendToLog(a);
      } else {
        if (op instanceof LogOp.InstallSnapshot s) {
          installInMemory(s.image());
        }
        durableOps.add(op);
      }
    }
    if (r.hardState() != null || !durableOps.isEmpty()) {
      durableGate = storage.durable(r.hardState(), durableOps);
    }
  }

  private void appendToLog(LogOp.Append a) {
    storage.append(a.txns(), a.lastSeq(), seq -> {
      node.persisted(seq);
      drive();
    });
  }

  private void applyCommitted(List<Transaction> committed) {
    for (Transaction t : committed) {
      core.applyCommitted(t);
      appliedSinceSnapshot++;
      appliedSinceCompact++;
    }
    if (appliedSinceCompact >= COMPACT_EVERY && !committed.isEmpty()) {
      // Applied entries are in the tree and in the log on disk: memory keeps only the newest
      // retainEntries of them for DIFFs, instead of everything since the last snapshot (up to
      // snapCount entries, tens of bytes per node of a loaded tree).
      appliedSinceCompact = 0;
      node.compact(committed.get(committed.size() - 1).zxid());
    }
  }

  /** Sends once everything durable handed over before (hard state, truncations) is on disk. */
  private void sendMessages(List<Envelope> out) {
    if (out.isEmpty()) {
      return;
    }
    durableGate.onSuccess(v -> {
      for (Envelope e : out) {
        if (!transport.isConnected(e.to())) {
          // The transport would drop it: spare the encoding. The core keeps re-sending to a
          // member that is down, a SNAP of the whole tree whenever its log moves past it.
          continue;
        }
        Future<Void> inFlight = snapsInFlight.get(e.to());
        if (e.message() instanceof PeerMessage.Snap && inFlight != null && !inFlight.isComplete()) {
          // The core sends a lagging member the tree again each time it hears nothing back for
          // a while; while the last copy is still being written, another would only pile up
          // behind it (it is not encoded either: that is the expensive part).
          continue;
        }
        byte[] payload = PeerCodec.encode(e.message());
        if (e.message() instanceof PeerMessage.Snap s) {
          // Rare and heavy (the whole tree): worth a line for operators.
          LOG.log(Level.INFO, "sending server {0} a snapshot at zxid 0x{1} ({2} nodes,"
              + " {3,number,#} bytes in {4,number,#} frames)", e.to(),
              Long.toHexString(s.image().lastZxid()), s.image().nodes().size(), payload.length,
              FrameParts.count(payload.length + 1, PART_FRAME_BYTES));
          Future<Void> written = send(e.to(), CONSENSUS, payload);
          if (written != null) {
            snapsInFlight.put(e.to(), written);
          }
          continue;
        }
        send(e.to(), CONSENSUS, payload);
      }
    });
  }

  private void installInMemory(StateImage image) {
    LOG.log(Level.INFO, "installing the leader''s snapshot at zxid 0x{0} ({1} nodes)",
        Long.toHexString(image.lastZxid()), image.nodes().size());
    core.state().install(image);
    appliedSinceSnapshot = 0;
  }

  private void changeRole(Status next) {
    Status before = status;
    status = next;
    LOG.log(Level.INFO, "server {0}: {1} -> {2}", myId, before, next);
    if (!next.serving()) {
      if (core.role() != ServerRole.OFFLINE) {
        core.setRole(ServerRole.OFFLINE, 0, null);
      }
    } else if (next.role() == Role.LEADING) {
      core.setRole(ServerRole.LEADER, Transaction.zxid(next.epoch(), 0), null);
    } else {
      int leader = next.leader();
      core.setRole(ServerRole.FOLLOWER, 0,
          request -> send(leader, FORWARD, ForwardCodec.encode(request)));
    }
  }

  private void maybeSnapshot() {
    if (snapshotting || appliedSinceSnapshot < config.snapCount()) {
      return;
    }
    snapshotting = true;
    appliedSinceSnapshot = 0;
    long t0 = System.nanoTime();
    StateImage image = core.state().image();
    long stall = System.nanoTime() - t0;
    storage.snapshot(image, stall).onComplete(ar -> {
      snapshotting = false;
      if (ar.succeeded()) {
        node.compact(image.lastZxid());
        storage.purge(config.autopurgeSnapRetainCount());
        drive();
      }
    });
  }
}
