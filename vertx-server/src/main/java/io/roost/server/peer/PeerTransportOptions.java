package io.roost.server.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of a {@link PeerTransport}. Validated on construction: a bad value fails with
 * a message naming the setting.
 *
 * @param maxFrameBytes the largest frame body accepted from or sent to a peer; a peer that
 *     declares a longer frame is disconnected, and a longer frame handed to
 *     {@link PeerTransport#send} is dropped. It must hold the largest message the driver sends,
 *     a SNAP of the whole tree included. At least 64 bytes.
 * @param reconnectMin the first wait before dialing a peer again after a failed attempt or a lost
 *     connection; each further failure doubles the wait, up to {@code reconnectMax}. Positive.
 * @param reconnectMax the longest wait between attempts; at least {@code reconnectMin}
 * @param maxQueuedBytesPerPeer how many bytes of frames (length prefixes included) may wait per
 *     peer while its socket's write queue is full; beyond that frames are dropped. Zero or more.
 * @param connectTimeout how long a TCP connect, and then the handshake on a new connection, may
 *     take before the attempt is abandoned; positive and at most {@link Integer#MAX_VALUE} ms
 */
public record PeerTransportOptions(int maxFrameBytes, Duration reconnectMin,
    Duration reconnectMax, int maxQueuedBytesPerPeer, Duration connectTimeout) {

  /** Smallest {@code maxFrameBytes}: room for the handshake and any small message. */
  public static final int MIN_FRAME_BYTES = 64;

  /** Validates the settings; see the type's description. */
  public PeerTransportOptions {
    if (maxFrameBytes < MIN_FRAME_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes=" + maxFrameBytes + " is too small; it"
          + " must be at least " + MIN_FRAME_BYTES + " and hold the largest peer message");
    }
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (reconnectMin.isNegative() || reconnectMin.isZero()) {
      throw new IllegalArgumentException("reconnectMin=" + reconnectMin + " must be positive");
    }
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnectMax=" + reconnectMax
          + " is less than reconnectMin=" + reconnectMin);
    }
    if (maxQueuedBytesPerPeer < 0) {
      throw new IllegalArgumentException("maxQueuedBytesPerPeer=" + maxQueuedBytesPerPeer
          + " is negative; use 0 to drop whenever a socket's write queue is full");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || connectTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("connectTimeout=" + connectTimeout
          + " must be positive and at most " + Integer.MAX_VALUE + " ms");
    }
  }

  /**
   * The defaults: 256 MiB frames (room for a SNAP of a large tree), reconnect waits from 50 ms up
   * to 2 s, 32 MiB queued per peer, 5 s to connect and shake hands.
   *
   * @return the default options
   */
  public static PeerTransportOptions defaults() {
    return new PeerTransportOptions(256 << 20, Duration.ofMillis(50), Duration.ofSeconds(2),
        32 << 20, Duration.ofSeconds(5));
  }
}
