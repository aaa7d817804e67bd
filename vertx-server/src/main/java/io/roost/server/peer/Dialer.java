package io.roost.server.peer;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Keeps one connection to one peer with a lower id: dials it, sends this server's handshake,
 * checks the answer names the peer it meant to reach, and dials again after a failure or a lost
 * connection, waiting longer each time (a {@link Backoff}) until a connection succeeds. It never
 * gives up; only {@link #stop()} ends it. Used on the transport's context only.
 */
final class Dialer implements PeerConnection.Events {
  private static final Logger LOG = System.getLogger(Dialer.class.getName());

  private final Vertx vertx;
  private final NetClient client;
  private final int myId;
  private final int peer;
  private final SocketAddress address;
  private final PeerTransportOptions options;
  private final Links links;
  private final PeerCounters counters;
  private final Backoff backoff;

  private PeerConnection current;
  private boolean established;
  private boolean stopped;
  private boolean reportedDown;
  private long attempts;
  private long retryTimer = -1;
  private long handshakeTimer = -1;

  Dialer(Vertx vertx, NetClient client, int myId, int peer, SocketAddress address,
      PeerTransportOptions options, Links links, PeerCounters counters) {
    this.vertx = vertx;
    this.client = client;
    this.myId = myId;
    this.peer = peer;
    this.address = address;
    this.options = options;
    this.links = links;
    this.counters = counters;
    this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax());
  }

  /** Makes the first attempt. */
  void start() {
    attempt();
  }

  private void attempt() {
    retryTimer = -1;
    if (stopped) {
      return;
    }
    if (attempts++ > 0) {
      counters.reconnects.incrementAndGet();
    }
    client.connect(address).onComplete(ar -> {
      if (stopped) {
        if (ar.succeeded()) {
          ar.result().close();
        }
      } else if (ar.failed()) {
        failed("cannot connect: " + ar.cause().getMessage());
      } else {
        handshake(ar.result());
      }
    });
  }

  private void handshake(NetSocket socket) {
    PeerConnection c = new PeerConnection(socket, Handshake.BYTES,
        options.maxQueuedBytesPerPeer(), this);
    current = c;
    established = false;
    c.start();
    c.send(Handshake.body(myId));
    handshakeTimer = vertx.setTimer(options.connectTimeout().toMillis(), t -> {
      handshakeTimer = -1;
      if (current == c && !established) {
        // closed() follows and schedules the next attempt.
        note("no handshake answer within " + options.connectTimeout().toMillis() + " ms");
        c.close();
      }
    });
  }

  @Override
  public void receiving(PeerConnection c) {
    if (c == current && established) {
      links.receiving(c);
    }
  }

  @Override
  public void frame(PeerConnection c, byte[] body) {
    if (c != current) {
      return;
    }
    if (established) {
      links.frame(c, body);
      return;
    }
    cancelHandshakeTimer();
    int id;
    try {
      id = Handshake.parse(body);
    } catch (IllegalArgumentException e) {
      note(e.getMessage());
      c.close();
      return;
    }
    if (id != peer) {
      note("it answered as server " + id + "; check the server." + peer + " line");
      c.close();
      return;
    }
    established = true;
    reportedDown = false;
    backoff.reset();
    c.peer(peer);
    c.frameLimit(options.maxFrameBytes());
    LOG.log(Level.INFO, "connected to server {0,number,#} at {1}", peer, address);
    links.up(c);
  }

  @Override
  public void closed(PeerConnection c) {
    if (c != current) {
      return;
    }
    current = null;
    cancelHandshakeTimer();
    if (established) {
      established = false;
      links.down(c);
    }
    if (!stopped) {
      retryLater();
    }
  }

  private void failed(String problem) {
    note(problem);
    retryLater();
  }

  /** Logs a failure: the first of a run at INFO, the repeats (one per retry) at DEBUG. */
  private void note(String problem) {
    Level level = reportedDown ? Level.DEBUG : Level.INFO;
    reportedDown = true;
    LOG.log(level, "server {0,number,#} at {1}: {2}; retrying (waits of {3,number,#} to"
        + " {4,number,#} ms)", peer, address, problem, options.reconnectMin().toMillis(),
        options.reconnectMax().toMillis());
  }

  private void retryLater() {
    if (stopped || retryTimer >= 0) {
      return;
    }
    retryTimer = vertx.setTimer(backoff.next(), t -> attempt());
  }

  private void cancelHandshakeTimer() {
    if (handshakeTimer >= 0) {
      vertx.cancelTimer(handshakeTimer);
      handshakeTimer = -1;
    }
  }

  /** Stops dialing and closes the connection, if any. */
  void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    cancelHandshakeTimer();
    if (current != null) {
      current.close();
    }
  }
}
