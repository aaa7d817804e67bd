package io.roost.server.peer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * Test helper: a plain blocking socket that speaks (or breaks) the peer protocol by hand, for the
 * cases a well-behaved transport never produces. Used on the test thread only.
 */
final class RawPeer implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;

  private RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MS);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Connects to a transport's listening port. */
  static RawPeer connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(TestPeer.HOST, port), READ_TIMEOUT_MS);
    return new RawPeer(s);
  }

  /** Waits for a transport to dial {@code server}. */
  static RawPeer accept(ServerSocket server) throws IOException {
    server.setSoTimeout(READ_TIMEOUT_MS);
    return new RawPeer(server.accept());
  }

  /** A handshake frame (length prefix included) with the given fields. */
  static byte[] handshake(int magic, int version, int id) {
    return ByteBuffer.allocate(4 + Handshake.BYTES).putInt(Handshake.BYTES).putInt(magic)
        .putInt(version).putInt(id).array();
  }

  /** A valid handshake frame for server {@code id}. */
  static byte[] handshake(int id) {
    return handshake(Handshake.MAGIC, Handshake.VERSION, id);
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends one frame. */
  void writeFrame(byte[] body) throws IOException {
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  /** Reads one frame body. */
  byte[] readFrame() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 24) {
      throw new IOException("implausible frame length " + length);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  /** Reads the other side's handshake frame and returns the id it announces. */
  int readHandshake() throws IOException {
    return Handshake.parse(readFrame());
  }

  /**
   * True once the other side has closed the connection (end of stream or a reset) having sent
   * nothing more; false if bytes arrive instead. Waits up to the read timeout.
   */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset: the peer closed while our bytes were still unread
    } catch (EOFException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
