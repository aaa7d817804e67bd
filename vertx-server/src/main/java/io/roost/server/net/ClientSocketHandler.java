package io.roost.server.net;

import io.roost.core.server.CoreConnection;
import io.roost.core.server.ServerCore;
import io.roost.core.server.Transport;
import io.roost.server.admin.FourLetterWords;
import io.roost.server.admin.ServerStats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * One client socket: splits the byte stream into length-prefixed frames with a
 * {@link RecordParser}, answers a four-letter word sent in place of the first length, hands frames
 * to the core, and writes the core's frames back with back-pressure. A negative, zero or oversized
 * length closes this connection only.
 */
public final class ClientSocketHandler implements Transport {
  private static final Logger LOG = System.getLogger(ClientSocketHandler.class.getName());

  private final NetSocket socket;
  private final ServerCore core;
  private final FourLetterWords words;
  private final ServerStats stats;
  private final int maxFrame;
  private final String remoteHost;
  private final RecordParser parser;
  private CoreConnection connection;
  private boolean expectingLength = true;
  private boolean first = true;
  private boolean closed;

  /** Wires the handler to the socket; call {@link #start()} to begin reading. */
  public ClientSocketHandler(NetSocket socket, ServerCore core, FourLetterWords words,
      ServerStats stats, int maxFrame) {
    this.socket = socket;
    this.core = core;
    this.words = words;
    this.stats = stats;
    this.maxFrame = maxFrame;
    this.remoteHost = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
    this.parser = RecordParser.newFixed(4);
    parser.handler(this::onRecord);
  }

  /** Starts reading frames. */
  public void start(Runnable onClose) {
    connection = core.open(this);
    socket.handler(parser);
    socket.exceptionHandler(e -> LOG.log(Level.DEBUG, "socket error from {0}: {1}", remoteHost,
        e.getMessage()));
    socket.closeHandler(v -> {
      closed = true;
      core.disconnected(connection);
      onClose.run();
    });
    socket.resume();
  }

  private void onRecord(Buffer record) {
    if (closed) {
      return;
    }
    if (expectingLength) {
      if (first) {
        first = false;
        String word = record.toString(StandardCharsets.US_ASCII);
        if (words.isKnown(word)) {
          socket.write(Buffer.buffer(words.run(word), "UTF-8"));
          close();
          return;
        }
      }
      int length = record.getInt(0);
      if (length <= 0 || length > maxFrame) {
        LOG.log(Level.INFO, "closing {0}: frame length {1} outside 1..{2}", remoteHost, length,
            maxFrame);
        close();
        return;
      }
      expectingLength = false;
      parser.fixedSizeMode(length);
      return;
    }
    expectingLength = true;
    parser.fixedSizeMode(4);
    stats.received();
    byte[] frame = record.getBytes();
    core.receive(connection, frame, 0, frame.length);
  }

  @Override
  public void send(byte[] frame) {
    if (closed) {
      return;
    }
    stats.sent();
    socket.write(Buffer.buffer(frame));
    if (socket.writeQueueFull()) {
      // The client reads slower than we answer: stop reading its requests until it catches up.
      socket.pause();
      socket.drainHandler(v -> socket.resume());
    }
  }

  @Override
  public void close() {
    if (!closed) {
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
