package io.roost.server.net;

import io.roost.core.server.CoreConnection;
import io.roost.core.server.ServerCore;
import io.roost.core.server.Transport;
import io.roost.server.admin.FourLetterWords;
import io.roost.server.admin.ServerStats;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * One client socket: splits the byte stream into length-prefixed frames with a
 * {@link FrameReader} (each byte copied once), answers a four-letter word sent in place of the
 * first length, hands frames to the core, and writes the core's frames back with back-pressure.
 * A negative, zero or oversized length closes this connection only.
 */
public final class ClientSocketHandler implements Transport {
  private static final Logger LOG = System.getLogger(ClientSocketHandler.class.getName());

  private final NetSocket socket;
  private final ServerCore core;
  private final FourLetterWords words;
  private final ServerStats stats;
  private final String remoteHost;
  private final FrameReader reader;
  private CoreConnection connection;
  /** Frames sent during the current event-loop task, written when it ends; null if none. */
  private Buffer pending;
  private boolean closed;

  /** Wires the handler to the socket; call {@link #start()} to begin reading. */
  public ClientSocketHandler(NetSocket socket, ServerCore core, FourLetterWords words,
      ServerStats stats, int maxFrame) {
    this.socket = socket;
    this.core = core;
    this.words = words;
    this.stats = stats;
    this.remoteHost = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
    this.reader = new FrameReader(1, maxFrame, new FrameReader.Sink() {
      @Override
      public void frame(byte[] body) {
        onFrame(body);
      }

      @Override
      public void invalid(String problem) {
        LOG.log(Level.INFO, "closing {0}: {1}", remoteHost, problem);
        close();
      }

      @Override
      public boolean first(byte[] header) {
        String word = new String(header, StandardCharsets.US_ASCII);
        if (!words.isKnown(word)) {
          return true;
        }
        socket.write(Buffer.buffer(words.run(word), "UTF-8"));
        close();
        return false;
      }
    });
  }

  /** Starts reading frames. */
  public void start(Runnable onClose) {
    connection = core.open(this);
    socket.handler(reader);
    socket.exceptionHandler(e -> LOG.log(Level.DEBUG, "socket error from {0}: {1}", remoteHost,
        e.getMessage()));
    socket.closeHandler(v -> {
      closed = true;
      core.disconnected(connection);
      onClose.run();
    });
    socket.resume();
  }

  private void onFrame(byte[] frame) {
    if (closed) {
      return;
    }
    stats.received();
    core.receive(connection, frame, 0, frame.length);
  }

  @Override
  public void send(byte[] frame) {
    if (closed) {
      return;
    }
    stats.sent();
    Context context = Vertx.currentContext();
    if (context == null) {
      write(Buffer.buffer(frame));
      return;
    }
    // Frames sent in one event-loop task (a commit batch answers many requests at once) leave in
    // one socket write, once the task is done: one system call instead of one per reply.
    if (pending == null) {
      pending = Buffer.buffer(Math.max(256, frame.length));
      context.runOnContext(v -> flushPending());
    }
    pending.appendBytes(frame);
  }

  private void flushPending() {
    Buffer frames = pending;
    pending = null;
    if (frames != null && !closed) {
      write(frames);
    }
  }

  private void write(Buffer frames) {
    socket.write(frames);
    if (socket.writeQueueFull()) {
      // The client reads slower than we answer: stop reading its requests until it catches up.
      socket.pause();
      socket.drainHandler(v -> socket.resume());
    }
  }

  @Override
  public void close() {
    if (!closed) {
      flushPending(); // what was sent before the close still goes out
      closed = true;
      socket.end();
    }
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public int remotePort() {
    return socket.remoteAddress() == null ? 0 : socket.remoteAddress().port();
  }
}
