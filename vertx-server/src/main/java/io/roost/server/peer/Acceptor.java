package io.roost.server.peer;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes incoming peer connections through their handshake. Only servers with a higher id dial
 * this one, so a handshake is accepted only from a member with an id above this server's; any
 * other (bad magic or version, unknown id, an id at or below ours, no handshake within the
 * connect timeout) is logged and closed. An accepted connection is answered with this server's
 * own handshake and handed to {@link Links#up}.
 */
final class Acceptor implements PeerConnection.Events {
  private static final Logger LOG = System.getLogger(Acceptor.class.getName());

  private final Vertx vertx;
  private final int myId;
  private final Set<Integer> members;
  private final PeerTransportOptions options;
  private final Links links;
  /** Connections still waiting for their handshake, with their timeout timers. */
  private final Map<PeerConnection, Long> pending = new HashMap<>();

  Acceptor(Vertx vertx, int myId, Set<Integer> members, PeerTransportOptions options,
      Links links) {
    this.vertx = vertx;
    this.myId = myId;
    this.members = new TreeSet<>(members);
    this.options = options;
    this.links = links;
  }

  /** A new incoming socket; call on the transport's context. */
  void accept(NetSocket socket) {
    PeerConnection c = new PeerConnection(socket, Handshake.BYTES,
        options.maxQueuedBytesPerPeer(), this);
    long timer = vertx.setTimer(options.connectTimeout().toMillis(), t -> {
      if (pending.remove(c) != null) {
        LOG.log(Level.WARNING, "closing peer connection from {0}: no handshake within"
            + " {1,number,#} ms",
            c.describe(), options.connectTimeout().toMillis());
        c.close();
      }
    });
    pending.put(c, timer);
    c.start();
  }

  @Override
  public void receiving(PeerConnection c) {
    if (c.peer() != 0) {
      links.receiving(c);
    }
  }

  @Override
  public void frame(PeerConnection c, byte[] body) {
    if (c.peer() != 0) {
      links.frame(c, body);
      return;
    }
    Long timer = pending.remove(c);
    if (timer == null) {
      return; // timed out already and closing
    }
    vertx.cancelTimer(timer);
    int id;
    String problem;
    try {
      id = Handshake.parse(body);
      problem = refusal(id);
    } catch (IllegalArgumentException e) {
      id = 0;
      problem = e.getMessage();
    }
    if (problem != null) {
      LOG.log(Level.WARNING, "closing peer connection from {0}: {1}", c.describe(), problem);
      c.close();
      return;
    }
    c.peer(id);
    c.frameLimit(options.maxFrameBytes());
    // The answer goes out before links.up, so it precedes anything the listener sends.
    c.send(Handshake.body(myId));
    LOG.log(Level.INFO, "accepted the connection of {0}", c.describe());
    links.up(c);
  }

  /** Why a well-formed handshake from server {@code id} is refused, or null if it is good. */
  private String refusal(int id) {
    if (id == myId) {
      return "it claims to be this server (id " + myId + "); check the myid files";
    }
    if (!members.contains(id)) {
      return "server id " + id + " is not a member of this ensemble " + members
          + "; check the server.N lines";
    }
    if (id < myId) {
      return "server " + id + " has a lower id than this server (" + myId + "), so it should"
          + " wait for this server to dial it (only higher ids connect to lower ones)";
    }
    return null;
  }

  @Override
  public void closed(PeerConnection c) {
    Long timer = pending.remove(c);
    if (timer != null) {
      vertx.cancelTimer(timer);
    } else if (c.peer() != 0) {
      links.down(c);
    }
  }

  /** Closes every connection still in its handshake (the transport is closing). */
  void closeAll() {
    for (Map.Entry<PeerConnection, Long> e : Map.copyOf(pending).entrySet()) {
      vertx.cancelTimer(e.getValue());
      e.getKey().close();
    }
    pending.clear();
  }
}
