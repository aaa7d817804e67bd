package io.roost.server.it;

import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.Record;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.RequestHeader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain {@link Socket} to a server's client port, for tests that send bytes the official client
 * never would. Every read is bounded by a socket timeout, and end of stream is reported, never
 * waited for forever.
 */
final class RawConnection implements AutoCloseable {
  /** How long a single read may block before the test fails. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port}. */
  static RawConnection open(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
      s.setSoTimeout((int) READ_TIMEOUT.toMillis());
      s.setTcpNoDelay(true);
      return new RawConnection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Sends a four-letter word on a fresh connection to {@code port} and returns the whole answer. */
  static String fourLetterWord(int port, String word) throws IOException {
    try (RawConnection c = open(port)) {
      c.send(word.getBytes(StandardCharsets.US_ASCII));
      Closed closed = c.awaitClosed(READ_TIMEOUT);
      return new String(closed.received(), StandardCharsets.UTF_8);
    }
  }

  /** The local port of this socket, as the server sees it. */
  int localPort() {
    return socket.getLocalPort();
  }

  /** Writes raw bytes and flushes. */
  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes a 4-byte big-endian int. */
  void sendInt(int v) throws IOException {
    send(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  /** Closes the sending half, so the server reads end of stream. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** A framed request: RequestHeader then the body (if any). */
  static byte[] request(int xid, int type, Record body) {
    JuteOutput o = JuteOutput.framed();
    new RequestHeader(xid, type).write(o);
    if (body != null) {
      body.write(o);
    }
    return o.toFrame();
  }

  /** A framed ConnectRequest for a new session. */
  static byte[] connectRequest(int timeoutMs) {
    JuteOutput o = JuteOutput.framed();
    new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false, true).write(o);
    return o.toFrame();
  }

  /** Sends a ConnectRequest for a new session and returns the server's ConnectResponse. */
  ConnectResponse handshake() throws IOException {
    send(connectRequest(30_000));
    ConnectResponse r = ConnectResponse.read(new JuteInput(readFrame()));
    if (r.sessionId() == 0 || r.timeOut() <= 0) {
      throw new IllegalStateException("handshake refused: " + r);
    }
    return r;
  }

  /** Reads one frame (without its length); EOFException if the server closed first. */
  byte[] readFrame() throws IOException {
    byte[] len = readExactly(4);
    int n = (len[0] & 0xff) << 24 | (len[1] & 0xff) << 16 | (len[2] & 0xff) << 8 | (len[3] & 0xff);
    if (n < 0 || n > 16 * 1024 * 1024) {
      throw new IOException("server sent an impossible frame length " + n);
    }
    return readExactly(n);
  }

  /** Reads one reply frame and decodes its header; the rest of the frame is in {@code body}. */
  Reply readReply() throws IOException {
    byte[] frame = readFrame();
    JuteInput in = new JuteInput(frame);
    ReplyHeader h = ReplyHeader.read(in);
    return new Reply(h, frame.length - in.position());
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new EOFException("server closed the connection after " + off + " of " + n
            + " bytes");
      }
      off += r;
    }
    return b;
  }

  /**
   * Reads until the server closes the connection (end of stream or reset), failing with an
   * AssertionError if it is still open after {@code within}. Returns what was received meanwhile.
   */
  Closed awaitClosed(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (true) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          throw new AssertionError("the server did not close the connection within " + within
              + " (received " + got.size() + " bytes)");
        }
        socket.setSoTimeout((int) Math.max(1, leftMs));
        int r = in.read(buf);
        if (r < 0) {
          return new Closed(got.toByteArray(), false);
        }
        got.write(buf, 0, r);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + within
          + " (received " + got.size() + " bytes)", e);
    } catch (SocketException e) {
      // A reset: the server closed while our bytes were still unread on its side.
      return new Closed(got.toByteArray(), true);
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      }
    }
  }

  /**
   * Fails unless the server neither sends anything nor closes during {@code period} (a bounded
   * read that is expected to time out).
   */
  void assertOpenAndSilent(Duration period) throws IOException {
    socket.setSoTimeout((int) Math.max(1, period.toMillis()));
    try {
      int r = in.read();
      throw new AssertionError(r < 0
          ? "the server closed the connection unexpectedly"
          : "the server sent unexpected data");
    } catch (SocketTimeoutException expected) {
      // Nothing arrived and the connection is still open.
    } catch (SocketException e) {
      throw new AssertionError("the server reset the connection unexpectedly", e);
    } finally {
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The server closed: what it sent first, and whether the close was a reset. */
  record Closed(byte[] received, boolean reset) {}

  /** A reply header and the number of body bytes after it. */
  record Reply(ReplyHeader header, int bodyLength) {}
}
