package io.roost.core.server;

/**
 * The network side of one client connection, as the core sees it. The server implements it over a
 * socket; tests may implement it in memory. Called only on the core's thread.
 */
public interface Transport {
  /** Sends one complete frame (4-byte length included). Must not block. */
  void send(byte[] frame);

  /** Closes the connection once what was sent has been flushed. */
  void close();

  /** The peer's IP address as text, used for "ip" ACLs and connection listings. */
  String remoteHost();

  /** The peer's port, for connection listings (0 when there is none). */
  default int remotePort() {
    return 0;
  }
}
