package io.roost.core.server;

import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.session.SessionTracker;
import io.roost.core.state.OpOutcome;
import io.roost.core.state.SessionInfo;
import io.roost.core.state.StateMachine;
import io.roost.core.txn.TxnOp;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The connect handshake of a client connection: a new session (proposed here, or forwarded to the
 * leader on a follower), or an existing one moving to this connection (validated against the
 * replicated session table and password; the previous connection of the session is closed), or a
 * refusal (not serving, unknown protocol, a client that has seen more than this server, an expired
 * session). Single-threaded, on the core's context.
 */
final class Handshake {
  private static final Logger LOG = System.getLogger(ServerCore.class.getName());
  private static final int PASSWORD_LENGTH = 16;

  /** What the handshake needs of the server core. */
  interface Host {
    /** The server's current role. */
    ServerRole role();

    /** Closes a connection and forgets it. */
    void close(CoreConnection c);

    /** Runs the connection's queued requests. */
    void drain(CoreConnection c);
  }

  private final CoreSettings settings;
  private final StateMachine state;
  private final CoreClock clock;
  private final RandomGenerator random;
  private final SessionTracker tracker;
  private final Proposer proposer;
  private final Forwarder forwarder;
  private final Map<Long, CoreConnection> bySession;
  private final Host host;
  private long nextSessionId;

  Handshake(CoreSettings settings, StateMachine state, CoreClock clock, RandomGenerator random,
      SessionTracker tracker, Proposer proposer, Forwarder forwarder,
      Map<Long, CoreConnection> bySession, Host host) {
    this.settings = settings;
    this.state = state;
    this.clock = clock;
    this.random = random;
    this.tracker = tracker;
    this.proposer = proposer;
    this.forwarder = forwarder;
    this.bySession = bySession;
    this.host = host;
    this.nextSessionId = ((clock.millis() << 24) >>> 8) | (settings.serverId() << 56);
  }

  /** Answers a client's ConnectRequest: a new session, a session moving here, or a refusal. */
  void connect(CoreConnection c, ConnectRequest req) {
    if (host.role() == ServerRole.OFFLINE) {
      LOG.log(Level.INFO, "closing {0}: this server is not serving (no quorum)", c);
      host.close(c);
      return;
    }
    if (req.protocolVersion() != 0) {
      LOG.log(Level.INFO, "closing {0}: unsupported protocol version {1}", c,
          req.protocolVersion());
      host.close(c);
      return;
    }
    if (req.lastZxidSeen() > state.lastZxid()) {
      LOG.log(Level.INFO, "refusing {0}: client has seen zxid 0x{1}, this server is at 0x{2}",
          c, Long.toHexString(req.lastZxidSeen()), Long.toHexString(state.lastZxid()));
      host.close(c);
      return;
    }
    int timeout = Math.max(settings.minSessionTimeoutMs(),
        Math.min(settings.maxSessionTimeoutMs(), req.timeOut()));
    boolean readOnlyField = req.readOnlyPresent();
    if (req.sessionId() == 0) {
      long id = nextSessionId++;
      byte[] password = new byte[PASSWORD_LENGTH];
      random.nextBytes(password);
      c.handshakeInFlight = true;
      Consumer<List<OpOutcome>> created = outcomes -> {
        tracker.add(id, timeout, clock.millis());
        attach(c, id, timeout);
        c.send(ServerCore.frame(new ConnectResponse(0, timeout, id, password, false,
            readOnlyField)));
        host.drain(c);
      };
      if (host.role() == ServerRole.FOLLOWER) {
        forwarder.forward(new LeaderRequest.CreateSession(id, timeout, password), id, 0,
            (outcomes, err, index) -> {
              if (err != 0) {
                host.close(c);
              } else {
                created.accept(outcomes);
              }
            });
      } else {
        proposer.propose(id, 0, new TxnOp.CreateSession(timeout, password), proposer.scratch(),
            created);
      }
      return;
    }
    long id = req.sessionId();
    SessionInfo session = state.session(id);
    // A follower knows sessions from the replicated state; only the leader tracks every one.
    boolean known = host.role() == ServerRole.FOLLOWER || tracker.contains(id);
    if (session == null || !known || !session.passwordMatches(req.passwd())) {
      LOG.log(Level.INFO, "{0}: session 0x{1} is expired or the password is wrong", c,
          Long.toHexString(id));
      c.send(ServerCore.frame(new ConnectResponse(0, 0, 0, new byte[PASSWORD_LENGTH], false,
          readOnlyField)));
      host.close(c);
      return;
    }
    CoreConnection previous = bySession.get(id);
    if (previous != null && previous != c) {
      LOG.log(Level.INFO, "session 0x{0} moved to a new connection; closing the old one",
          Long.toHexString(id));
      host.close(previous);
    }
    // As in ZooKeeper, a reconnecting client renegotiates its timeout and it applies from now on.
    tracker.add(id, timeout, clock.millis());
    attach(c, id, timeout);
    c.send(ServerCore.frame(new ConnectResponse(0, timeout, id, session.password(), false,
        readOnlyField)));
    host.drain(c);
  }

  private void attach(CoreConnection c, long sessionId, int timeout) {
    c.sessionId = sessionId;
    c.timeoutMs = timeout;
    c.handshakeInFlight = false;
    c.handshakeDone = true;
    if (c.closed) {
      return;
    }
    bySession.put(sessionId, c);
  }
}
