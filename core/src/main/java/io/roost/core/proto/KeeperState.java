package io.roost.core.proto;

/** Session states, as carried in {@link WatcherEvent#state()}. */
public final class KeeperState {

    /** The client is not connected. */
    public static final int DISCONNECTED = 0;
    /** The client is connected; every node event carries this state. */
    public static final int SYNC_CONNECTED = 3;
    /** Authentication failed. */
    public static final int AUTH_FAILED = 4;
    /** Connected to a read-only server. */
    public static final int CONNECTED_READ_ONLY = 5;
    /** SASL authentication succeeded. */
    public static final int SASL_AUTHENTICATED = 6;
    /** The client closed the session. */
    public static final int CLOSED = 7;
    /** The session expired. */
    public static final int EXPIRED = -112;

    private KeeperState() {
    }
}
