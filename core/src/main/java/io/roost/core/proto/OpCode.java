package io.roost.core.proto;

/** Request op codes, as carried in {@link RequestHeader#type()} (ZooKeeper's {@code ZooDefs.OpCode}). */
public final class OpCode {

    /** Watch notification (server to client only). */
    public static final int notification = 0;
    /** Create a node; replies with its path. */
    public static final int create = 1;
    /** Delete a node. */
    public static final int delete = 2;
    /** Stat a node, optionally watching it. */
    public static final int exists = 3;
    /** Read a node's data and stat. */
    public static final int getData = 4;
    /** Replace a node's data. */
    public static final int setData = 5;
    /** Read a node's ACL. */
    public static final int getACL = 6;
    /** Replace a node's ACL. */
    public static final int setACL = 7;
    /** List a node's children. */
    public static final int getChildren = 8;
    /** Wait until this server has caught up with the leader. */
    public static final int sync = 9;
    /** Keep-alive; header only. */
    public static final int ping = 11;
    /** List a node's children and return its stat. */
    public static final int getChildren2 = 12;
    /** Check a node's version (inside multi). */
    public static final int check = 13;
    /** Atomic transaction of several ops. */
    public static final int multi = 14;
    /** Create a node; replies with its path and stat. */
    public static final int create2 = 15;
    /** Dynamic reconfiguration. */
    public static final int reconfig = 16;
    /** Ask whether a watch exists. */
    public static final int checkWatches = 17;
    /** Remove watches. */
    public static final int removeWatches = 18;
    /** Create a container node. */
    public static final int createContainer = 19;
    /** Delete a container node (server internal). */
    public static final int deleteContainer = 20;
    /** Create a node with a TTL. */
    public static final int createTTL = 21;
    /** Several independent reads in one request. */
    public static final int multiRead = 22;
    /** Add authentication (sent with xid -4). */
    public static final int auth = 100;
    /** Re-register watches after reconnect. */
    public static final int setWatches = 101;
    /** SASL authentication exchange. */
    public static final int sasl = 102;
    /** List the caller's ephemeral nodes. */
    public static final int getEphemerals = 103;
    /** Count all descendants of a node. */
    public static final int getAllChildrenNumber = 104;
    /** Re-register watches, including persistent ones, after reconnect. */
    public static final int setWatches2 = 105;
    /** Add a persistent (optionally recursive) watch. */
    public static final int addWatch = 106;
    /** Ask the server who this session is authenticated as. */
    public static final int whoAmI = 107;
    /** Session creation (server internal). */
    public static final int createSession = -10;
    /** Close the session; header only. */
    public static final int closeSession = -11;
    /** Error result type inside a multi response. */
    public static final int error = -1;

    private OpCode() {
    }

    /**
     * Returns ZooKeeper's name for an op code, for logs and metrics.
     *
     * @param op the op code
     * @return the name, e.g. "getData", or "unknown(N)" for an unrecognised code
     */
    public static String name(int op) {
        return switch (op) {
            case notification -> "notification";
            case create -> "create";
            case delete -> "delete";
            case exists -> "exists";
            case getData -> "getData";
            case setData -> "setData";
            case getACL -> "getACL";
            case setACL -> "setACL";
            case getChildren -> "getChildren";
            case sync -> "sync";
            case ping -> "ping";
            case getChildren2 -> "getChildren2";
            case check -> "check";
            case multi -> "multi";
            case create2 -> "create2";
            case reconfig -> "reconfig";
            case checkWatches -> "checkWatches";
            case removeWatches -> "removeWatches";
            case createContainer -> "createContainer";
            case deleteContainer -> "deleteContainer";
            case createTTL -> "createTTL";
            case multiRead -> "multiRead";
            case auth -> "auth";
            case setWatches -> "setWatches";
            case sasl -> "sasl";
            case getEphemerals -> "getEphemerals";
            case getAllChildrenNumber -> "getAllChildrenNumber";
            case setWatches2 -> "setWatches2";
            case addWatch -> "addWatch";
            case whoAmI -> "whoAmI";
            case createSession -> "createSession";
            case closeSession -> "closeSession";
            case error -> "error";
            default -> "unknown(" + op + ")";
        };
    }
}
