package io.roost.server.peer;

/**
 * What the {@link Acceptor} and the {@link Dialer}s report about connections whose handshake is
 * done (so {@link PeerConnection#peer()} names the peer). Implemented by {@link PeerTransport}.
 */
interface Links {
  /** A connection to {@code c.peer()} is ready; it replaces any older one. */
  void up(PeerConnection c);

  /** A frame arrived on an established connection. */
  void frame(PeerConnection c, byte[] body);

  /** Part of a frame arrived on an established connection. */
  default void receiving(PeerConnection c) {}

  /** An established connection closed. */
  void down(PeerConnection c);
}
