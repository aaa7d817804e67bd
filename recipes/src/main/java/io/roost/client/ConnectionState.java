package io.roost.client;

/**
 * Where a client's session stands, as its listeners are told. The policy recipes follow:
 * <ul>
 *   <li>{@link #CONNECTED}: the first session is established. Work normally.
 *   <li>{@link #SUSPENDED}: the connection broke; the session may still be alive on the servers
 *       (it lives until its timeout passes without the client) or may not. A lock holder or
 *       leader must stop acting on its ownership until it knows: it cannot tell whether another
 *       process has taken over. Requests fail with {@code ConnectionLossException} meanwhile.
 *   <li>{@link #RECONNECTED}: connected again. If the session is the same one, ephemerals,
 *       locks and watches are intact and the holder may continue; if it was {@link #LOST} in
 *       between, this is a new session and everything tied to the old one is gone.
 *   <li>{@link #LOST}: the session has expired (the server said so, or the client was cut off
 *       for longer than the session timeout). Its ephemerals are deleted: every lock, lease and
 *       leadership is lost. The client goes on to establish a new session.
 *   <li>{@link #CLOSED}: {@link RoostClient#close()} was called.
 * </ul>
 */
public enum ConnectionState {
  /** The first session is established. */
  CONNECTED,
  /** The connection broke; the session's fate is unknown. */
  SUSPENDED,
  /** Connected again (same session, or a new one after {@link #LOST}). */
  RECONNECTED,
  /** The session expired; everything tied to it is gone. */
  LOST,
  /** The client was closed. */
  CLOSED;

  /** True for the states in which requests can be sent. */
  public boolean isConnected() {
    return this == CONNECTED || this == RECONNECTED;
  }
}
