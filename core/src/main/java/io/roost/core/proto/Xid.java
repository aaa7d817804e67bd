package io.roost.core.proto;

/** Reserved xids that mark special messages rather than numbered requests. */
public final class Xid {

    /** A watch notification from the server. */
    public static final int NOTIFICATION = -1;
    /** A ping and its reply. */
    public static final int PING = -2;
    /** An auth packet and its reply. */
    public static final int AUTH = -4;
    /** setWatches / setWatches2 sent on reconnect. */
    public static final int SET_WATCHES = -8;

    private Xid() {
    }
}
