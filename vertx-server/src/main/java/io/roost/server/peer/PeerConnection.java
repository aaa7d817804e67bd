package io.roost.server.peer;

import io.roost.server.net.FrameReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One TCP connection to a peer: frames in (through a {@link FrameReader}) and frames out with
 * back-pressure. Outbound frames go straight to the socket while its write queue has room; when
 * it is full they wait here, up to a byte budget, and go out as the socket drains; past the budget
 * {@link #send} refuses them. Used on its owner's event loop only.
 */
final class PeerConnection {
  private static final Logger LOG = System.getLogger(PeerConnection.class.getName());

  /** What the connection reports to its owner. */
  interface Events {
    /** A frame arrived. */
    void frame(PeerConnection c, byte[] body);

    /** The socket closed, for whatever reason; called once. */
    void closed(PeerConnection c);

    /** Part of a frame arrived (a large one is on its way). */
    default void receiving(PeerConnection c) {}
  }

  private final NetSocket socket;
  private final FrameReader reader;
  private final int maxQueuedBytes;
  private final Events events;
  private final String remote;
  /**
   * A frame waiting for the socket; {@code budgeted} unless it is a part of a large message;
   * {@code written}, if not null, completes once the socket has written it (fails if it never
   * will be).
   */
  private record Queued(Buffer frame, boolean budgeted, Promise<Void> written) {}

  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  /** Frames sent during the current event-loop task, written when it ends; null if none. */
  private Buffer pending;
  private long queuedBytes;
  private boolean closing;
  private int peer;

  /**
   * Wraps a socket; call {@link #start()} to begin reading.
   *
   * @param socket the connected socket
   * @param frameLimit the largest frame body accepted at first (see {@link #frameLimit})
   * @param maxQueuedBytes the outbound byte budget while the socket's write queue is full
   * @param events where frames and the close go
   */
  PeerConnection(NetSocket socket, int frameLimit, int maxQueuedBytes, Events events) {
    this.socket = socket;
    this.maxQueuedBytes = maxQueuedBytes;
    this.events = events;
    this.remote = String.valueOf(socket.remoteAddress());
    this.reader = new FrameReader(0, frameLimit, new FrameReader.Sink() {
      @Override
      public void frame(byte[] body) {
        if (!closing) {
          events.frame(PeerConnection.this, body);
        }
      }

      @Override
      public void invalid(String problem) {
        LOG.log(Level.WARNING, "closing peer connection {0}: {1}", describe(), problem);
        close();
      }

      @Override
      public void partial() {
        if (!closing) {
          events.receiving(PeerConnection.this);
        }
      }
    });
  }

  /** Installs the handlers and starts reading. */
  void start() {
    socket.handler(reader);
    socket.exceptionHandler(e -> LOG.log(Level.DEBUG, "peer connection {0}: {1}", describe(),
        e.toString()));
    socket.drainHandler(v -> drain());
    socket.closeHandler(v -> {
      closing = true;
      failQueued();
      events.closed(this);
    });
    socket.resume();
  }

  /** Sets the largest frame body accepted from now on. */
  void frameLimit(int maxBytes) {
    reader.limit(maxBytes);
  }

  /** The peer's server id once the handshake named it; 0 before. */
  int peer() {
    return peer;
  }

  void peer(int id) {
    this.peer = id;
  }

  /**
   * Sends one frame, or queues it while the socket's write queue is full.
   *
   * @return false if the frame was dropped: the connection is closing or the queue is at budget
   */
  boolean send(byte[] body) {
    if (closing) {
      return false;
    }
    if (pending != null) {
      if (pending.length() + 4 + body.length <= maxQueuedBytes) {
        pending.appendInt(body.length).appendBytes(body);
        return true;
      }
      flushPending(); // a burst past the budget: write what was gathered, then as usual
    }
    if (queue.isEmpty() && !socket.writeQueueFull()) {
      Context context = Vertx.currentContext();
      if (context != null) {
        // Frames sent in one event-loop task (an Append and a Commit, an Ack per batch, ...)
        // leave in one socket write when the task ends: one system call instead of several.
        pending = Buffer.buffer(Math.max(256, 4 + body.length));
        pending.appendInt(body.length).appendBytes(body);
        context.runOnContext(v -> flushPending());
        return true;
      }
    }
    Buffer frame = Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body);
    if (queue.isEmpty() && !socket.writeQueueFull()) {
      socket.write(frame);
      return true;
    }
    if (queuedBytes + frame.length() > maxQueuedBytes) {
      return false;
    }
    queue.add(new Queued(frame, true, null));
    queuedBytes += frame.length();
    return true;
  }

  /**
   * Sends frames that belong together (the parts of one large message), in order and all of
   * them: they are queued past the byte budget, since their bytes are in memory already and one
   * lost part would waste the others. Frames sent after them wait behind them, within the
   * budget as usual (the parts do not use it up).
   *
   * @return completes once the socket has written the last of them; fails if the connection
   *     closes first, or at once if it is closing (nothing was sent)
   */
  Future<Void> sendAll(List<byte[]> bodies) {
    if (closing) {
      return Future.failedFuture("the connection to " + describe() + " is closing");
    }
    flushPending(); // frames sent earlier in this task go first
    Future<Void> last = Future.succeededFuture();
    for (int i = 0; i < bodies.size(); i++) {
      byte[] body = bodies.get(i);
      Buffer frame = Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body);
      if (queue.isEmpty() && !socket.writeQueueFull()) {
        last = socket.write(frame);
      } else {
        // Outside the budget: frames sent after these get the whole budget.
        Promise<Void> written = i == bodies.size() - 1 ? Promise.promise() : null;
        queue.add(new Queued(frame, false, written));
        if (written != null) {
          last = written.future();
        }
      }
    }
    return last;
  }

  /** Writes the frames gathered during the last event-loop task (they precede any queued). */
  private void flushPending() {
    Buffer frames = pending;
    pending = null;
    if (frames != null && !closing) {
      socket.write(frames);
    }
  }

  private void drain() {
    flushPending();
    while (!closing && !queue.isEmpty() && !socket.writeQueueFull()) {
      Queued q = queue.poll();
      if (q.budgeted()) {
        queuedBytes -= q.frame().length();
      }
      Future<Void> written = socket.write(q.frame());
      if (q.written() != null) {
        written.onComplete(q.written());
      }
    }
  }

  /**
   * Forgets the frames still waiting; they will never be sent.
   *
   * @return how many there were
   */
  int discardQueue() {
    pending = null;
    int n = queue.size();
    failQueued();
    queuedBytes = 0;
    return n;
  }

  /** Empties the queue; whoever waits for a queued frame to be written learns it never will. */
  private void failQueued() {
    Queued q;
    while ((q = queue.poll()) != null) {
      if (q.written() != null) {
        q.written().tryFail("the connection to " + describe() + " closed before the frame was"
            + " written");
      }
    }
  }

  /** Closes the socket; {@link Events#closed} follows once it is closed. */
  void close() {
    if (!closing) {
      closing = true;
      socket.close();
    }
  }

  /** "server N at host:port", or the address alone before the handshake named the peer. */
  String describe() {
    return peer == 0 ? remote + " (before the handshake)" : "server " + peer + " at " + remote;
  }
}
