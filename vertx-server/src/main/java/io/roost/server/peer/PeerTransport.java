package io.roost.server.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Carries opaque frames between the servers of an ensemble over TCP, on one Vert.x event loop.
 *
 * <p><b>One connection per pair.</b> The server with the higher id dials the one with the lower
 * id (ZooKeeper's rule for election connections), so each server dials only its lower-id peers
 * and accepts connections only from higher-id peers; the addresses of higher-id peers in the map
 * are never dialed (only their ids matter here). A new connection first exchanges handshakes
 * (magic, protocol version, server id) both ways; the acceptor refuses an unknown id or one not
 * above its own, and the dialer refuses an answer from a server other than the one it meant to
 * reach. A second connection from the same peer replaces the first (the peer restarted, or its
 * old connection is half-open).
 *
 * <p><b>Frames</b> are a 4-byte big-endian length and a body. A peer that declares a length
 * below zero or above {@link PeerTransportOptions#maxFrameBytes()} is disconnected (and, if it is
 * the dialer, dials again); nothing is allocated from a declared length. Within one connection
 * frames arrive in the order they were sent; across a reconnect, frames in flight may be lost.
 *
 * <p><b>Reconnecting.</b> A lost or failed connection to a lower-id peer is dialed again after
 * {@link PeerTransportOptions#reconnectMin()}, doubling up to
 * {@link PeerTransportOptions#reconnectMax()}, reset by a successful handshake, for as long as
 * the transport is open. Higher-id peers reconnect to us.
 *
 * <p><b>Dropping instead of blocking.</b> {@link #send} never blocks and never fails: a frame for
 * a peer that is not connected, or whose socket and queue are both full (see
 * {@link PeerTransportOptions#maxQueuedBytesPerPeer()}), is dropped and counted. That is safe for
 * the consensus core, which repeats whatever was not acknowledged on later ticks; a driver that
 * puts its own messages in frames must be as tolerant of loss.
 *
 * <p><b>Threading.</b> Construct, {@link #start()} and use the transport on one Vert.x
 * event-loop context; every method but {@link #boundPort()} and the counters must be called on
 * that context (once started, a call from another thread throws
 * {@link IllegalStateException}), and every {@link Listener} callback runs on it. After
 * {@link #close()} no callbacks are made. A transport is not restarted: to bring a server back,
 * create a new one (on the same port, so that its peers find it again).
 */
public final class PeerTransport {
  private static final Logger LOG = System.getLogger(PeerTransport.class.getName());

  /**
   * Receives what happens on the transport, on the transport's context. For each peer,
   * {@code connected} and {@code disconnected} alternate, starting with {@code connected}.
   */
  public interface Listener {
    /**
     * A frame arrived from a peer.
     *
     * @param from the sender's server id
     * @param frameBody the frame body; the listener owns the array
     */
    void received(int from, byte[] frameBody);

    /**
     * A connection to a peer is ready: frames sent from now on can reach it.
     *
     * @param peer the peer's server id
     */
    default void connected(int peer) {}

    /**
     * The connection to a peer was lost or replaced; frames to it are dropped until it is
     * connected again.
     *
     * @param peer the peer's server id
     */
    default void disconnected(int peer) {}

    /**
     * Part of a frame from a peer arrived; the rest is on its way (a large frame, such as a
     * snapshot, arrives in many chunks).
     *
     * @param peer the peer's server id
     */
    default void receiving(int peer) {}
  }

  private final Vertx vertx;
  private final int myId;
  private final String bindHost;
  private final int bindPort;
  private final Map<Integer, SocketAddress> peers;
  private final PeerTransportOptions options;
  private final Listener listener;
  private final PeerCounters counters = new PeerCounters();
  private final Map<Integer, PeerConnection> links = new HashMap<>();
  private final List<Dialer> dialers = new ArrayList<>();
  private final Links events = new LinkEvents();

  private Thread owner;
  private NetServer server;
  private NetClient client;
  private Acceptor acceptor;
  private volatile int boundPort = -1;
  private boolean started;
  private Future<Void> closed;

  /**
   * Creates (does not start) a transport for server {@code myId}.
   *
   * @param vertx the Vert.x instance whose event loop runs the transport
   * @param myId this server's id (1 or more)
   * @param bindHost the address to listen on
   * @param bindPort the port to listen on; 0 picks a free one (see {@link #boundPort()})
   * @param peers every other member's id mapped to its peer address (host and the peer port of
   *     its {@code server.N} line); only lower-id peers are dialed, so the addresses of higher-id
   *     peers are not used
   * @param options limits and timings
   * @param listener receives frames and connection changes
   * @throws IllegalArgumentException if an id is below 1, {@code peers} names this server, a
   *     port is out of range, or a lower-id peer has no port to dial
   */
  public PeerTransport(Vertx vertx, int myId, String bindHost, int bindPort,
      Map<Integer, SocketAddress> peers, PeerTransportOptions options, Listener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (myId < 1) {
      throw new IllegalArgumentException("server id " + myId + " is not valid: ids start at 1");
    }
    if (bindPort < 0 || bindPort > 65535) {
      throw new IllegalArgumentException("peer port " + bindPort + " is not a port number"
          + " (0-65535, 0 for any free port)");
    }
    this.myId = myId;
    this.bindPort = bindPort;
    this.peers = new TreeMap<>();
    for (Map.Entry<Integer, SocketAddress> e : peers.entrySet()) {
      int id = e.getKey();
      SocketAddress address = Objects.requireNonNull(e.getValue(), "address of server " + id);
      if (id < 1 || id == myId) {
        throw new IllegalArgumentException("peers must map the other members' ids (1 or more)"
            + " but contains " + id + " (this server is " + myId + ")");
      }
      if (id < myId && (address.port() < 1 || address.port() > 65535)) {
        throw new IllegalArgumentException("server " + id + " has peer port " + address.port()
            + ", which cannot be dialed (1-65535)");
      }
      this.peers.put(id, address);
    }
  }

  /**
   * Listens on the bind address and starts dialing the lower-id peers. Call on the event-loop
   * context that will own the transport.
   *
   * @return completes once listening (dialing goes on in the background); fails if the port
   *     cannot be bound, in which case nothing is dialed and {@link #close()} should follow
   * @throws IllegalStateException if not called on a Vert.x event loop, or called twice
   */
  public Future<Void> start() {
    if (!Context.isOnEventLoopThread()) {
      throw new IllegalStateException("PeerTransport.start must run on a Vert.x event-loop"
          + " context (the one that will own the transport)");
    }
    if (started) {
      throw new IllegalStateException("PeerTransport for server " + myId + " already started");
    }
    started = true;
    owner = Thread.currentThread();
    if (closed != null) {
      return Future.failedFuture(new IllegalStateException("PeerTransport closed before start"));
    }
    acceptor = new Acceptor(vertx, myId, peers.keySet(), options, events);
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(bindHost)
        .setPort(bindPort)
        .setTcpNoDelay(true));
    server.connectHandler(socket -> {
      if (closed != null) {
        socket.close();
      } else {
        acceptor.accept(socket);
      }
    });
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) options.connectTimeout().toMillis())
        .setTcpNoDelay(true));
    for (Map.Entry<Integer, SocketAddress> e : peers.entrySet()) {
      if (e.getKey() < myId) {
        dialers.add(new Dialer(vertx, client, myId, e.getKey(), e.getValue(), options, events,
            counters));
      }
    }
    return server.listen().map(s -> {
      boundPort = s.actualPort();
      LOG.log(Level.INFO, "server {0,number,#} listening for peers on {1}:{2,number,#}", myId,
          bindHost, boundPort);
      if (closed == null) {
        dialers.forEach(Dialer::start);
      }
      return null;
    });
  }

  /**
   * The port this transport listens on, once {@link #start()} has completed; -1 before. Safe to
   * call from any thread.
   *
   * @return the bound port, or -1
   */
  public int boundPort() {
    return boundPort;
  }

  /**
   * Sends one frame to a peer, without waiting. The frame is dropped, and counted in
   * {@link #framesDropped()}, if the peer is not connected, if the frame is longer than
   * {@link PeerTransportOptions#maxFrameBytes()}, or if the peer's socket write queue and its
   * byte budget are both full. Frames to one peer that are not dropped arrive in order.
   *
   * @param to the receiving server's id
   * @param frameBody the frame body; not copied, so do not change it afterwards
   * @throws IllegalArgumentException if {@code to} is not one of the peers
   * @throws IllegalStateException if called off the transport's context
   */
  public void send(int to, byte[] frameBody) {
    checkThread("send");
    if (!peers.containsKey(to)) {
      throw new IllegalArgumentException("server " + to + " is not a peer of server " + myId
          + " (peers: " + peers.keySet() + ")");
    }
    if (frameBody.length > options.maxFrameBytes()) {
      LOG.log(Level.WARNING, "dropping a {0,number,#}-byte frame to server {1,number,#}: more"
          + " than maxFrameBytes={2,number,#}", frameBody.length, to, options.maxFrameBytes());
      counters.dropped.incrementAndGet();
      return;
    }
    PeerConnection c = links.get(to);
    if (c == null || !c.send(frameBody)) {
      counters.dropped.incrementAndGet();
      return;
    }
    counters.sent.incrementAndGet();
  }

  /**
   * Sends frames that belong together (the parts of one message too large for a frame), in order
   * and all or none: they are not held to the peer's byte budget, so they are dropped only if
   * the peer is not connected or one is longer than {@link PeerTransportOptions#maxFrameBytes()}
   * (then all are dropped and counted). Frames sent afterwards arrive after them.
   *
   * @param to the receiving server's id
   * @param frameBodies the frame bodies; not copied, so do not change them afterwards
   * @return completes once the socket has written the last of them; failed if they were dropped
   *     or the connection closed first
   * @throws IllegalArgumentException if {@code to} is not one of the peers
   * @throws IllegalStateException if called off the transport's context
   */
  public Future<Void> sendAll(int to, List<byte[]> frameBodies) {
    checkThread("sendAll");
    if (!peers.containsKey(to)) {
      throw new IllegalArgumentException("server " + to + " is not a peer of server " + myId
          + " (peers: " + peers.keySet() + ")");
    }
    for (byte[] body : frameBodies) {
      if (body.length > options.maxFrameBytes()) {
        LOG.log(Level.WARNING, "dropping {0,number,#} frames to server {1,number,#}: one has"
            + " {2,number,#} bytes, more than maxFrameBytes={3,number,#}", frameBodies.size(), to,
            body.length, options.maxFrameBytes());
        counters.dropped.addAndGet(frameBodies.size());
        return Future.failedFuture("a frame longer than maxFrameBytes=" + options.maxFrameBytes());
      }
    }
    PeerConnection c = links.get(to);
    if (c == null) {
      counters.dropped.addAndGet(frameBodies.size());
      return Future.failedFuture("server " + to + " is not connected");
    }
    Future<Void> written = c.sendAll(frameBodies);
    if (written.failed()) {
      counters.dropped.addAndGet(frameBodies.size());
    } else {
      counters.sent.addAndGet(frameBodies.size());
    }
    return written;
  }

  /**
   * Whether a connection to the peer is established (handshakes done).
   *
   * @param peer a server id
   * @return true if frames sent now can reach the peer
   * @throws IllegalStateException if called off the transport's context
   */
  public boolean isConnected(int peer) {
    checkThread("isConnected");
    return links.containsKey(peer);
  }

  /**
   * Stops listening and dialing and closes every connection; queued frames are dropped. No
   * listener callback follows. Idempotent; also allowed before {@link #start()}.
   *
   * @return completes when the listening socket and the client are closed
   * @throws IllegalStateException if called off the transport's context
   */
  public Future<Void> close() {
    checkThread("close");
    if (closed != null) {
      return closed;
    }
    dialers.forEach(Dialer::stop);
    if (acceptor != null) {
      acceptor.closeAll();
    }
    for (PeerConnection c : links.values()) {
      counters.dropped.addAndGet(c.discardQueue());
      c.close();
    }
    links.clear();
    Future<Void> s = server == null ? Future.succeededFuture() : server.close();
    Future<Void> c = client == null ? Future.succeededFuture() : client.close();
    closed = Future.all(s, c).mapEmpty();
    return closed;
  }

  /**
   * Frames handed to a socket or its queue. Safe to call from any thread.
   *
   * @return the count since creation
   */
  public long framesSent() {
    return counters.sent.get();
  }

  /**
   * Frames delivered to the listener. Safe to call from any thread.
   *
   * @return the count since creation
   */
  public long framesReceived() {
    return counters.received.get();
  }

  /**
   * Frames dropped: to an unconnected peer, over the size limit, beyond the queue budget, or
   * still queued when their connection closed. Safe to call from any thread.
   *
   * @return the count since creation
   */
  public long framesDropped() {
    return counters.dropped.get();
  }

  /**
   * Dial attempts after the first, to any peer: after a failed attempt or a lost connection.
   * Safe to call from any thread.
   *
   * @return the count since creation
   */
  public long reconnects() {
    return counters.reconnects.get();
  }

  private void checkThread(String method) {
    if (owner != null && Thread.currentThread() != owner) {
      throw new IllegalStateException("PeerTransport." + method + " called on "
          + Thread.currentThread().getName() + " but server " + myId + "'s transport runs on "
          + owner.getName() + "; call it on the transport's context");
    }
  }

  /** The link table: one established connection per peer, and the listener calls. */
  private final class LinkEvents implements Links {
    @Override
    public void up(PeerConnection c) {
      if (closed != null) {
        c.close();
        return;
      }
      int peer = c.peer();
      PeerConnection old = links.put(peer, c);
      if (old != null) {
        LOG.log(Level.INFO, "server {0,number,#} connected again; closing its older connection",
            peer);
        counters.dropped.addAndGet(old.discardQueue());
        old.close();
        notify(peer, () -> listener.disconnected(peer));
      }
      notify(peer, () -> listener.connected(peer));
    }

    @Override
    public void receiving(PeerConnection c) {
      if (closed == null && links.get(c.peer()) == c) {
        notify(c.peer(), () -> listener.receiving(c.peer()));
      }
    }

    @Override
    public void frame(PeerConnection c, byte[] body) {
      if (closed != null || links.get(c.peer()) != c) {
        return;
      }
      counters.received.incrementAndGet();
      notify(c.peer(), () -> listener.received(c.peer(), body));
    }

    @Override
    public void down(PeerConnection c) {
      counters.dropped.addAndGet(c.discardQueue());
      int peer = c.peer();
      if (closed != null || links.get(peer) != c) {
        return; // replaced already, or the transport is closing
      }
      links.remove(peer);
      LOG.log(Level.INFO, "lost the connection to server {0,number,#}", peer);
      notify(peer, () -> listener.disconnected(peer));
    }

    /** Runs a listener call; a listener bug must not break the framing of a connection. */
    private void notify(int peer, Runnable call) {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "peer transport listener failed on an event from server " + peer, e);
      }
    }
  }
}
