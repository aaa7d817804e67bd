package io.roost.core.server;

import io.roost.core.acl.DigestAuth;
import io.roost.core.proto.AddWatchRequest;
import io.roost.core.proto.AuthPacket;
import io.roost.core.proto.CheckVersionRequest;
import io.roost.core.proto.CheckWatchesRequest;
import io.roost.core.proto.ClientInfo;
import io.roost.core.proto.Code;
import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ExistsRequest;
import io.roost.core.proto.GetACLRequest;
import io.roost.core.proto.GetAllChildrenNumberRequest;
import io.roost.core.proto.GetChildrenRequest;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetEphemeralsRequest;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.ProtocolException;
import io.roost.core.proto.Record;
import io.roost.core.proto.RemoveWatchesRequest;
import io.roost.core.proto.RequestCodec;
import io.roost.core.proto.RequestHeader;
import io.roost.core.proto.SetWatches;
import io.roost.core.proto.SetWatches2;
import io.roost.core.proto.SyncRequest;
import io.roost.core.proto.SyncResponse;
import io.roost.core.proto.UnknownOpCodeException;
import io.roost.core.proto.WhoAmIResponse;
import io.roost.core.session.SessionTracker;
import io.roost.core.state.OpOutcome;
import io.roost.core.state.SessionInfo;
import io.roost.core.state.StateMachine;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import io.roost.core.watch.WatchManager;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * The request pipeline of one server, as a single-threaded object: handshakes, the per-connection
 * request queue, dispatch by op code, prepare, commit through the {@link Replicator}, apply, watch
 * events and replies. It owns no thread, socket or timer: the server calls {@link #receive},
 * {@link #disconnected} and {@link #tick} on one context, and time and randomness are injected.
 *
 * <p>Order: each connection's requests run one at a time in arrival order; a write holds back
 * the requests behind it until it is applied, so a client always reads its own writes and gets its
 * replies in request order. Watch events are sent when a change is applied, so they reach a client
 * before any reply that shows the changed data.
 */
public final class ServerCore {
  private static final Logger LOG = System.getLogger(ServerCore.class.getName());

  @FunctionalInterface
  private interface Handler {
    void handle(CoreConnection c, CoreConnection.Pending p);
  }

  @FunctionalInterface
  private interface ReadOp {
    Record run(CoreConnection c, Record body);
  }

  private final CoreSettings settings;
  private final StateMachine state;
  private final CoreClock clock;
  private final WatchManager watches = new WatchManager();
  private final SessionTracker tracker;
  private final Prepare prepare;
  private final WritePreparers preparers;
  private final Proposer proposer;
  private final Forwarder forwarder = new Forwarder();
  private final AppliedWaiters appliedWaiters = new AppliedWaiters();
  private final FollowerRequests followerRequests;
  private final Handshake handshake;
  private ReadBarrier readBarrier = ReadBarrier.LOCAL;
  private ServerRole role = ServerRole.STANDALONE;
  private final Reads reads;
  /** The one table from op code to handler. */
  private final Map<Integer, Handler> handlers = new HashMap<>();
  private final Set<CoreConnection> connections = new LinkedHashSet<>();
  private final Map<Long, CoreConnection> bySession = new HashMap<>();
  private RequestListener listener = RequestListener.NONE;
  private long lastSweepMs;

  /**
   * @param settings timeouts, tick, server id, options
   * @param state the replicated state this server serves and applies to
   * @param replicator where prepared transactions go to be committed
   * @param clock injected time
   * @param random source of session passwords (a SecureRandom in the server)
   */
  public ServerCore(CoreSettings settings, StateMachine state, Replicator replicator,
      CoreClock clock, RandomGenerator random) {
    this.settings = settings;
    this.state = state;
    this.clock = clock;
    this.tracker = new SessionTracker(settings.tickTimeMs());
    this.prepare = new Prepare(settings.ttlNodesEnabled());
    this.reads = new Reads(state.tree(), watches);
    this.preparers = new WritePreparers(prepare);
    this.proposer = new Proposer(state, replicator, clock, prepare, this::applyCommitted);
    this.followerRequests = new FollowerRequests(tracker, clock, proposer, preparers);
    this.handshake = new Handshake(settings, state, clock, random, tracker, proposer, forwarder,
        bySession, new Handshake.Host() {
          @Override
          public ServerRole role() {
            return role;
          }

          @Override
          public void close(CoreConnection c) {
            ServerCore.this.close(c);
          }

          @Override
          public void drain(CoreConnection c) {
            ServerCore.this.drain(c);
          }
        });
    this.lastSweepMs = clock.millis();
    long now = clock.millis();
    for (SessionInfo s : state.sessions().values()) {
      tracker.add(s.id(), s.timeoutMs(), now);
    }
    registerHandlers();
  }

  /**
   * Restarts the clocks of sessions recovered from disk as if they were last heard from at
   * {@code lastAliveMs} (when this server was last known to be running): sessions whose timeout
   * ran out while it was down expire at the next tick, and the others keep only the time they
   * have left. Call once, after recovery and before serving.
   */
  public void sessionsLastSeenAt(long lastAliveMs) {
    long base = Math.min(lastAliveMs, clock.millis());
    for (SessionInfo s : state.sessions().values()) {
      tracker.add(s.id(), s.timeoutMs(), base);
    }
  }

  /** Sets how this server, as a leader, confirms read indexes (the ensemble's driver). */
  public void setReadBarrier(ReadBarrier barrier) {
    this.readBarrier = barrier;
  }

  /** Sets the listener told about each finished request (metrics). */
  public void setRequestListener(RequestListener listener) {
    this.listener = listener;
  }

  private void registerHandlers() {
    for (int op : new int[] {OpCode.create, OpCode.create2, OpCode.createContainer,
        OpCode.createTTL, OpCode.delete, OpCode.setData, OpCode.setACL, OpCode.multi}) {
      handlers.put(op, this::writeRequest);
    }
    handlers.put(OpCode.check, read((c, b) -> {
      prepare.check(proposer.scratch(), (CheckVersionRequest) b, c.ids);
      return null;
    }));
    handlers.put(OpCode.exists, read((c, b) -> reads.exists((ExistsRequest) b, c)));
    handlers.put(OpCode.getData, read((c, b) -> reads.getData((GetDataRequest) b, c.ids, c)));
    handlers.put(OpCode.getACL, read((c, b) -> reads.getAcl((GetACLRequest) b, c.ids)));
    handlers.put(OpCode.getChildren, read((c, b) ->
        reads.getChildren((GetChildrenRequest) b, c.ids, c, false)));
    handlers.put(OpCode.getChildren2, read((c, b) ->
        reads.getChildren((GetChildrenRequest) b, c.ids, c, true)));
    handlers.put(OpCode.getAllChildrenNumber, read((c, b) ->
        reads.allChildrenNumber((GetAllChildrenNumberRequest) b, c.ids)));
    handlers.put(OpCode.getEphemerals, read((c, b) ->
        reads.ephemerals((GetEphemeralsRequest) b, c.sessionId)));
    handlers.put(OpCode.multiRead, read((c, b) -> reads.multiRead((MultiRequest) b, c.ids, c)));
    handlers.put(OpCode.addWatch, read((c, b) -> reads.addWatch((AddWatchRequest) b, c.ids, c)));
    handlers.put(OpCode.checkWatches, read((c, b) -> {
      CheckWatchesRequest r = (CheckWatchesRequest) b;
      reads.removeWatches(r.path(), r.type(), c, true);
      return null;
    }));
    handlers.put(OpCode.removeWatches, read((c, b) -> {
      RemoveWatchesRequest r = (RemoveWatchesRequest) b;
      reads.removeWatches(r.path(), r.type(), c, false);
      return null;
    }));
    handlers.put(OpCode.sync, this::syncRequest);
    handlers.put(OpCode.whoAmI, read((c, b) -> whoAmI(c)));
    handlers.put(OpCode.ping, read((c, b) -> null));
    handlers.put(OpCode.setWatches, read((c, b) -> {
      SetWatches w = (SetWatches) b;
      reads.setWatches(new SetWatches2(w.relativeZxid(), w.dataWatches(), w.existWatches(),
          w.childWatches(), List.of(), List.of()), c, state.lastZxid());
      return null;
    }));
    handlers.put(OpCode.setWatches2, read((c, b) -> {
      reads.setWatches((SetWatches2) b, c, state.lastZxid());
      return null;
    }));
    handlers.put(OpCode.auth, this::auth);
    handlers.put(OpCode.closeSession, this::closeSessionRequest);
  }

  // ---- connections and handshake ----

  /** Registers a new client connection. */
  public CoreConnection open(Transport transport) {
    CoreConnection c = new CoreConnection(transport, clock.millis());
    connections.add(c);
    return c;
  }

  /**
   * Handles one frame from a client (without its 4-byte length). Malformed input closes that
   * connection and changes nothing else.
   */
  public void receive(CoreConnection c, byte[] frame, int offset, int length) {
    if (c.closed) {
      return;
    }
    c.received++;
    JuteInput in = new JuteInput(frame, offset, length);
    if (!c.handshakeDone && !c.handshakeInFlight) {
      ConnectRequest req;
      try {
        req = ConnectRequest.read(in);
      } catch (ProtocolException e) {
        LOG.log(Level.INFO, "closing {0}: bad connect request: {1}", c, e.getMessage());
        close(c);
        return;
      }
      handshake.connect(c, req);
      return;
    }
    RequestHeader header;
    try {
      header = RequestHeader.read(in);
    } catch (ProtocolException e) {
      LOG.log(Level.INFO, "closing {0}: bad request header: {1}", c, e.getMessage());
      close(c);
      return;
    }
    Record body;
    try {
      body = RequestCodec.decode(header.type(), in);
    } catch (UnknownOpCodeException e) {
      c.queue.add(new CoreConnection.Pending(header.xid(), header.type(), null, clock.nanos()));
      drain(c);
      return;
    } catch (ProtocolException e) {
      LOG.log(Level.INFO, "closing {0}: bad {1} request: {2}", c, OpCode.name(header.type()),
          e.getMessage());
      close(c);
      return;
    }
    c.queue.add(new CoreConnection.Pending(header.xid(), header.type(), body, clock.nanos()));
    drain(c);
  }

  /** The client's socket closed: forget the connection; its session lives on until it expires. */
  public void disconnected(CoreConnection c) {
    close(c);
  }

  private void close(CoreConnection c) {
    c.close();
    connections.remove(c);
    watches.removeWatcher(c);
    if (c.sessionId != 0 && bySession.get(c.sessionId) == c) {
      bySession.remove(c.sessionId);
    }
  }

  // ---- request queue ----

  private void drain(CoreConnection c) {
    if (c.draining) {
      return;
    }
    c.draining = true;
    try {
      while (!c.closed && c.handshakeDone && !c.waiting && !c.queue.isEmpty()) {
        CoreConnection.Pending p = c.queue.peek();
        if (c.writesInFlight > 0 && !WritePreparers.isWrite(p.op())) {
          break; // reads (and everything else) see this connection's own writes first
        }
        if (c.readsInFlight > 0 && !confirmsReads(p.op())) {
          break; // nothing overtakes a read waiting for its read index
        }
        c.queue.poll();
        if (!tracker.touch(c.sessionId, clock.millis())) {
          respond(c, p, state.lastZxid(), Code.SESSION_EXPIRED.code(), null);
          close(c);
          return;
        }
        c.lastOp = OpCode.name(p.op());
        Handler h = handlers.get(p.op());
        if (h == null || (p.body() == null && needsBody(p.op()))) {
          respond(c, p, state.lastZxid(), Code.UNIMPLEMENTED.code(), null);
        } else {
          h.handle(c, p);
        }
      }
    } finally {
      c.draining = false;
    }
  }

  private static boolean needsBody(int op) {
    return op != OpCode.ping && op != OpCode.closeSession && op != OpCode.whoAmI;
  }

  private Handler read(ReadOp op) {
    return (c, p) -> {
      if (confirmsReads(p.op())) {
        linearizableRead(c, p, op);
        return;
      }
      Record result;
      try {
        result = op.run(c, p.body());
      } catch (RequestError e) {
        respond(c, p, state.lastZxid(), e.code().code(), null);
        return;
      }
      respond(c, p, state.lastZxid(), 0, result);
    };
  }

  /** True if requests with this op code wait for a read index (linearizable reads on). */
  private boolean confirmsReads(int op) {
    return settings.linearizableReads() && role != ServerRole.STANDALONE && switch (op) {
      case OpCode.exists, OpCode.getData, OpCode.getACL, OpCode.getChildren,
          OpCode.getChildren2, OpCode.getAllChildrenNumber, OpCode.getEphemerals,
          OpCode.multiRead, OpCode.check -> true;
      default -> false;
    };
  }

  /**
   * A read that sees every write acknowledged anywhere before it arrived: it waits for a read
   * index the leader confirmed with a quorum (a follower asks its leader, as a sync does), then
   * until this server has applied that far, and only then reads. Its reply keeps its place.
   */
  private void linearizableRead(CoreConnection c, CoreConnection.Pending p, ReadOp op) {
    CoreConnection.ReplySlot slot = new CoreConnection.ReplySlot(p);
    c.replies.add(slot);
    c.readsInFlight++;
    LongConsumer readAt = index -> appliedWaiters.whenApplied(index, state.lastZxid(), () -> {
      if (c.closed) {
        return;
      }
      c.readsInFlight--;
      try {
        slot.body = op.run(c, p.body());
      } catch (RequestError e) {
        slot.err = e.code().code();
      }
      finishSlot(c, slot);
    });
    if (role == ServerRole.FOLLOWER) {
      forwarder.forward(new LeaderRequest.Sync(c.sessionId, p.xid()), c.sessionId, p.xid(),
          (outcomes, err, index) -> {
            if (err == 0) {
              readAt.accept(0); // the forwarder completes a sync once it is applied here
            } else if (!c.closed) {
              c.readsInFlight--;
              slot.err = err;
              finishSlot(c, slot);
            }
          });
    } else if (role != ServerRole.LEADER || !readBarrier.confirm(readAt)) {
      c.readsInFlight--;
      slot.err = Code.CONNECTION_LOSS.code();
      finishSlot(c, slot);
    }
  }

  private void finishSlot(CoreConnection c, CoreConnection.ReplySlot slot) {
    slot.zxid = state.lastZxid();
    slot.done = true;
    flushReplies(c);
    drain(c);
  }

  /** A client write: prepared here, or forwarded to the leader on a follower. */
  private void writeRequest(CoreConnection c, CoreConnection.Pending p) {
    if (p.op() == OpCode.multi && ((MultiRequest) p.body()).ops().isEmpty()) {
      respond(c, p, state.lastZxid(), 0, MultiResults.succeeded((MultiRequest) p.body(),
          List.of())); // nothing to commit, on any server
      return;
    }
    if (role == ServerRole.FOLLOWER) {
      forwardWrite(c, p);
      return;
    }
    PrepView scratch = proposer.scratch();
    TxnOp txnOp;
    try {
      txnOp = preparers.prepare(p.op(), scratch, c.sessionId, c.ids, p.body());
    } catch (RequestError e) {
      respond(c, p, state.lastZxid(), e.code().code(), null);
      return;
    } catch (WritePreparers.MultiFailed e) {
      respond(c, p, state.lastZxid(), 0,
          MultiResults.failed(((MultiRequest) p.body()).ops().size(), e.index, e.code));
      return;
    }
    if (txnOp == null) { // an empty multi
      respond(c, p, state.lastZxid(), 0, MultiResults.succeeded((MultiRequest) p.body(),
          List.of()));
      return;
    }
    proposeFor(c, p, txnOp, scratch, o -> WritePreparers.reply(p.op(), p.body(), o));
  }

  /**
   * Proposes a client's write; its reply keeps its place among the connection's replies and goes
   * out once the write is applied.
   */
  private void proposeFor(CoreConnection c, CoreConnection.Pending p, TxnOp txnOp,
      PrepView scratch, Function<List<OpOutcome>, Record> reply) {
    CoreConnection.ReplySlot slot = new CoreConnection.ReplySlot(p);
    c.replies.add(slot);
    c.writesInFlight++;
    propose(c.sessionId, p.xid(), txnOp, scratch, outcomes -> {
      c.writesInFlight--;
      slot.zxid = state.lastZxid();
      slot.body = reply.apply(outcomes);
      slot.done = true;
      flushReplies(c);
      drain(c);
    });
  }

  private void auth(CoreConnection c, CoreConnection.Pending p) {
    AuthPacket a = (AuthPacket) p.body();
    if (DigestAuth.SCHEME.equals(a.scheme()) && a.auth() != null) {
      String creds = new String(a.auth(), StandardCharsets.UTF_8);
      if (creds.indexOf(':') > 0) {
        Id id = new Id(DigestAuth.SCHEME, DigestAuth.digestId(creds));
        if (!c.ids.contains(id)) {
          c.ids.add(id);
        }
        respond(c, p, state.lastZxid(), 0, null);
        return;
      }
    }
    LOG.log(Level.INFO, "{0}: authentication failed for scheme {1}", c, a.scheme());
    respond(c, p, state.lastZxid(), Code.AUTH_FAILED.code(), null);
    close(c);
  }

  private WhoAmIResponse whoAmI(CoreConnection c) {
    List<ClientInfo> out = new ArrayList<>(c.ids.size());
    for (Id id : c.ids) {
      String user = id.id();
      if (id.scheme().equals(DigestAuth.SCHEME) && user.indexOf(':') > 0) {
        user = user.substring(0, user.indexOf(':'));
      }
      out.add(new ClientInfo(id.scheme(), user));
    }
    return new WhoAmIResponse(out);
  }

  private void closeSessionRequest(CoreConnection c, CoreConnection.Pending p) {
    long id = c.sessionId;
    tracker.remove(id);
    c.waiting = true;
    if (role == ServerRole.FOLLOWER) {
      forwarder.forward(new LeaderRequest.CloseSession(id, p.xid()), id, p.xid(),
          (outcomes, err, index) -> {
            c.waiting = false;
            respond(c, p, state.lastZxid(), err, null);
            close(c);
          });
      return;
    }
    propose(id, p.xid(), new TxnOp.CloseSession(), proposer.closeScratch(id), outcomes -> {
      c.waiting = false;
      respond(c, p, state.lastZxid(), 0, null);
      close(c);
    });
  }

  private void syncRequest(CoreConnection c, CoreConnection.Pending p) {
    String path = ((SyncRequest) p.body()).path();
    try {
      Prepare.checkPath(path, false);
    } catch (RequestError e) {
      respond(c, p, state.lastZxid(), e.code().code(), null);
      return;
    }
    if (role != ServerRole.FOLLOWER) {
      respond(c, p, state.lastZxid(), 0, new SyncResponse(path));
      return;
    }
    // Like a write: later reads wait until this server has caught up with the leader.
    CoreConnection.ReplySlot slot = new CoreConnection.ReplySlot(p);
    c.replies.add(slot);
    c.writesInFlight++;
    forwarder.forward(new LeaderRequest.Sync(c.sessionId, p.xid()), c.sessionId, p.xid(),
        (outcomes, err, index) -> {
          c.writesInFlight--;
          slot.zxid = state.lastZxid();
          slot.err = err;
          slot.body = err == 0 ? new SyncResponse(path) : null;
          slot.done = true;
          flushReplies(c);
          drain(c);
        });
  }

  /** A follower's client write: the leader prepares it; we answer when it is applied here. */
  private void forwardWrite(CoreConnection c, CoreConnection.Pending p) {
    CoreConnection.ReplySlot slot = new CoreConnection.ReplySlot(p);
    c.replies.add(slot);
    c.writesInFlight++;
    JuteOutput body = new JuteOutput();
    p.body().write(body);
    forwarder.forward(new LeaderRequest.Write(c.sessionId, p.xid(), p.op(), body.toByteArray(),
        c.ids), c.sessionId, p.xid(), (outcomes, err, index) -> {
          c.writesInFlight--;
          slot.zxid = state.lastZxid();
          if (outcomes != null) {
            slot.body = WritePreparers.reply(p.op(), p.body(), outcomes);
          } else if (index >= 0) {
            slot.body = MultiResults.failed(((MultiRequest) p.body()).ops().size(), index,
                Code.of(err));
          } else {
            slot.err = err;
          }
          slot.done = true;
          flushReplies(c);
          drain(c);
        });
  }

  /** Sends a reply now, or queues it behind earlier replies still waiting for their writes. */
  private void respond(CoreConnection c, CoreConnection.Pending p, long zxid, int err,
      Record body) {
    if (c.replies.isEmpty()) {
      send(c, p, zxid, err, body);
      return;
    }
    CoreConnection.ReplySlot slot = new CoreConnection.ReplySlot(p);
    slot.zxid = zxid;
    slot.err = err;
    slot.body = body;
    slot.done = true;
    c.replies.add(slot);
    flushReplies(c);
  }

  private void flushReplies(CoreConnection c) {
    while (!c.replies.isEmpty() && c.replies.peek().done) {
      CoreConnection.ReplySlot slot = c.replies.poll();
      send(c, slot.request, slot.zxid, slot.err, slot.body);
    }
  }

  private void send(CoreConnection c, CoreConnection.Pending p, long zxid, int err,
      Record body) {
    c.reply(p.xid(), zxid, err, body);
    listener.completed(p.op(), err, clock.nanos() - p.receivedNanos());
  }

  static byte[] frame(Record r) {
    JuteOutput out = JuteOutput.framed();
    r.write(out);
    return out.toFrame();
  }

  // ---- commit and apply ----


  private void propose(long sessionId, int cxid, TxnOp op, PrepView scratch,
      Consumer<List<OpOutcome>> done) {
    proposer.propose(sessionId, cxid, op, scratch, done);
  }

  /**
   * Applies a committed transaction: changes the state, fires watches, and completes the request
   * that proposed it if it came through this server.
   */
  public void applyCommitted(Transaction txn) {
    List<OpOutcome> outcomes = state.apply(txn,
        (path, type) -> watches.trigger(path, type, txn.zxid()));
    Consumer<List<OpOutcome>> done = proposer.applied(txn.zxid());
    Forwarder.Completion forwarded = forwarder.applied(txn);
    if (txn.op() instanceof TxnOp.CreateSession cs && !tracker.contains(txn.sessionId())) {
      tracker.add(txn.sessionId(), cs.timeoutMs(), clock.millis());
    }
    if (txn.op() instanceof TxnOp.CloseSession) {
      tracker.remove(txn.sessionId());
      CoreConnection c = bySession.get(txn.sessionId());
      if (done != null) {
        done.accept(outcomes);
      } else if (forwarded != null) {
        forwarded.done(outcomes, 0, -1);
      } else if (c != null) {
        close(c);
      }
    } else if (done != null) {
      done.accept(outcomes);
    } else if (forwarded != null) {
      forwarded.done(outcomes, 0, -1);
    }
    for (Forwarder.Completion sync : forwarder.syncsUpTo(state.lastZxid())) {
      sync.done(null, 0, -1);
    }
    appliedWaiters.applied(state.lastZxid());
  }

  // ---- ensemble roles ----

  /**
   * Changes what this server does with writes. Every client connection is closed (its clients
   * reconnect, here or elsewhere, with their sessions), and whatever was in flight is forgotten:
   * it may still commit, but through the new leader.
   *
   * @param next the new role
   * @param lastZxid for {@link ServerRole#LEADER}, the zxid to number proposals after
   *     ({@code epoch << 32}); ignored otherwise
   * @param link for {@link ServerRole#FOLLOWER}, how to reach the leader; else null
   */
  public void setRole(ServerRole next, long lastZxid, LeaderLink link) {
    LOG.log(Level.INFO, "role {0} -> {1}", role, next);
    role = next;
    for (CoreConnection c : new ArrayList<>(connections)) {
      close(c);
    }
    forwarder.clear();
    appliedWaiters.clear();
    forwarder.setLink(next == ServerRole.FOLLOWER ? link : null);
    proposer.restart(next == ServerRole.LEADER ? lastZxid : state.lastZxid());
    if (next == ServerRole.LEADER) {
      // As in ZooKeeper, a new leader gives every session a full timeout from now.
      long now = clock.millis();
      for (SessionInfo s : state.sessions().values()) {
        tracker.add(s.id(), s.timeoutMs(), now);
      }
    }
  }

  /** This server's role. */
  public ServerRole role() {
    return role;
  }

  /**
   * The leader's side of forwarding: prepares and proposes a follower's request as if its client
   * were connected here. Failures go back through {@code reply}; successes arrive at the
   * follower as committed transactions.
   */
  public void fromFollower(LeaderRequest request, Consumer<FollowerReply> reply) {
    if (role != ServerRole.LEADER) {
      return; // the follower will find the new leader and its clients will retry
    }
    followerRequests.handle(request, reply, readBarrier);
  }

  /** The follower's side: the leader answered a forwarded request directly. */
  public void fromLeader(FollowerReply reply) {
    if (reply instanceof FollowerReply.Rejected r) {
      Forwarder.Completion c = forwarder.rejected(r);
      if (c != null) {
        c.done(null, r.err(), r.failedIndex());
      }
    } else if (reply instanceof FollowerReply.Synced sy) {
      Forwarder.Completion c = forwarder.synced(sy, state.lastZxid());
      if (c != null) {
        c.done(null, 0, -1);
      }
    }
  }

  // ---- time ----

  /**
   * Advances time: expires sessions whose deadline passed (closing them through a transaction so
   * their ephemerals go exactly once) and, every container check interval, deletes empty
   * containers and expired TTL nodes. Call once per tick.
   */
  public void tick() {
    long now = clock.millis();
    if (role == ServerRole.FOLLOWER) {
      // The leader decides expiry; tell it which sessions are alive here.
      if (!bySession.isEmpty()) {
        forwarder.send(new LeaderRequest.Touch(new ArrayList<>(bySession.keySet())));
      }
      return;
    }
    if (role == ServerRole.OFFLINE) {
      return;
    }
    for (long id : tracker.expire(now)) {
      LOG.log(Level.INFO, "session 0x{0} expired", Long.toHexString(id));
      CoreConnection c = bySession.get(id);
      propose(id, 0, new TxnOp.CloseSession(), proposer.closeScratch(id), outcomes -> {
        if (c != null) {
          close(c);
        }
      });
    }
    if (now - lastSweepMs >= settings.containerCheckIntervalMs()) {
      lastSweepMs = now;
      sweep(now);
    }
  }

  /** Deletes empty containers (that once had a child) and TTL nodes idle past their TTL. */
  public void sweep(long now) {
    proposer.sweep(now);
  }

  // ---- what admin commands and metrics read ----

  /** The replicated state (read it on the core's thread only). */
  public StateMachine state() {
    return state;
  }

  /** The watch manager (read it on the core's thread only). */
  public WatchManager watches() {
    return watches;
  }

  /** Open client connections. */
  public Collection<CoreConnection> connections() {
    return Collections.unmodifiableSet(connections);
  }

  /** Number of live sessions. */
  public int sessionCount() {
    return tracker.size();
  }

  /** Requests queued or in flight across all connections. */
  public int outstandingRequests() {
    int n = 0;
    for (CoreConnection c : connections) {
      n += c.queuedCount();
    }
    return n;
  }

  /** The settings in force. */
  public CoreSettings settings() {
    return settings;
  }
}
