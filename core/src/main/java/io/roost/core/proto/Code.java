package io.roost.core.proto;

import java.util.HashMap;
import java.util.Map;

/** Result codes sent in {@link ReplyHeader#err()} (ZooKeeper's {@code KeeperException.Code}). */
public enum Code {
    /** Success. */
    OK(0),
    /** Unexpected server-side failure. */
    SYSTEM_ERROR(-1),
    /** Inconsistent runtime state. */
    RUNTIME_INCONSISTENCY(-2),
    /** Inconsistent data. */
    DATA_INCONSISTENCY(-3),
    /** Connection to the server was lost. */
    CONNECTION_LOSS(-4),
    /** Request could not be (un)marshalled. */
    MARSHALLING_ERROR(-5),
    /** Operation not implemented. */
    UNIMPLEMENTED(-6),
    /** Operation timed out. */
    OPERATION_TIMEOUT(-7),
    /** Invalid arguments. */
    BAD_ARGUMENTS(-8),
    /** Unknown session. */
    UNKNOWN_SESSION(-12),
    /** No quorum of the new configuration is connected. */
    NEW_CONFIG_NO_QUORUM(-13),
    /** Another reconfiguration is in progress. */
    RECONFIG_IN_PROGRESS(-14),
    /** API misuse (generic API error). */
    API_ERROR(-100),
    /** Node does not exist. */
    NO_NODE(-101),
    /** Not authorised. */
    NO_AUTH(-102),
    /** Version mismatch. */
    BAD_VERSION(-103),
    /** Ephemeral nodes may not have children. */
    NO_CHILDREN_FOR_EPHEMERALS(-108),
    /** Node already exists. */
    NODE_EXISTS(-110),
    /** Node has children. */
    NOT_EMPTY(-111),
    /** Session has expired. */
    SESSION_EXPIRED(-112),
    /** Invalid callback. */
    INVALID_CALLBACK(-113),
    /** Invalid ACL. */
    INVALID_ACL(-114),
    /** Authentication failed. */
    AUTH_FAILED(-115),
    /** Session moved to another server. */
    SESSION_MOVED(-118),
    /** Write sent to a read-only server. */
    NOT_READ_ONLY(-119),
    /** Ephemeral creation on a local session. */
    EPHEMERAL_ON_LOCAL_SESSION(-120),
    /** No such watcher. */
    NO_WATCHER(-121),
    /** Request timed out. */
    REQUEST_TIMEOUT(-122),
    /** Reconfiguration is disabled. */
    RECONFIG_DISABLED(-123),
    /** Quota exceeded. */
    QUOTA_EXCEEDED(-125),
    /** Operation throttled. */
    THROTTLED_OP(-127);

    private static final Map<Integer, Code> BY_CODE = new HashMap<>();

    static {
        for (Code c : values()) {
            BY_CODE.put(c.code, c);
        }
    }

    private final int code;

    Code(int code) {
        this.code = code;
    }

    /**
     * Returns the numeric code sent on the wire.
     *
     * @return the wire value
     */
    public int code() {
        return code;
    }

    /**
     * Looks up a code by its wire value.
     *
     * @param code the wire value
     * @return the matching constant
     * @throws IllegalArgumentException if no constant has that value
     */
    public static Code of(int code) {
        Code c = BY_CODE.get(code);
        if (c == null) {
            throw new IllegalArgumentException("unknown error code " + code);
        }
        return c;
    }
}
