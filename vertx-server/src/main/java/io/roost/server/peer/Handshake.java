package io.roost.server.peer;

import java.nio.ByteBuffer;

/**
 * The first frame in each direction of a peer connection: magic, protocol version, server id.
 * The dialer (the higher id) sends its own; the acceptor checks it and answers with its own, which
 * the dialer checks in turn, so a {@code server.N} line pointing at the wrong server is caught on
 * both ends instead of carrying messages to the wrong peer.
 */
final class Handshake {
  /** "RPER": a Roost peer connection. */
  static final int MAGIC = 0x52504552;
  /** The protocol version this build speaks, and the only one it accepts. */
  static final int VERSION = 1;
  /** Size of the handshake body: magic, version, id. */
  static final int BYTES = 12;

  private Handshake() {}

  /** The handshake body announcing {@code serverId}. */
  static byte[] body(int serverId) {
    return ByteBuffer.allocate(BYTES).putInt(MAGIC).putInt(VERSION).putInt(serverId).array();
  }

  /**
   * Checks a handshake body and returns the server id it announces.
   *
   * @throws IllegalArgumentException naming what is wrong: the size, the magic or the version
   */
  static int parse(byte[] body) {
    if (body.length != BYTES) {
      throw new IllegalArgumentException("the handshake is " + body.length + " bytes, expected "
          + BYTES + "; not a Roost peer");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    int magic = b.getInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException("bad handshake magic 0x" + Integer.toHexString(magic)
          + " (expected 0x" + Integer.toHexString(MAGIC) + "); not a Roost peer");
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("peer protocol version " + version + ", but this server"
          + " speaks only version " + VERSION + "; run the same Roost release on every server");
    }
    return b.getInt();
  }
}
