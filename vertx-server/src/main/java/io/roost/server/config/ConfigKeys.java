package io.roost.server.config;

/**
 * The config-file keys Roost reads. ZooKeeper's names are kept where Roost supports the option, so an
 * existing zoo.cfg works; Roost's own options start with {@code roost.}.
 */
final class ConfigKeys {

    static final String TICK_TIME = "tickTime";
    static final String INIT_LIMIT = "initLimit";
    static final String SYNC_LIMIT = "syncLimit";
    static final String DATA_DIR = "dataDir";
    static final String DATA_LOG_DIR = "dataLogDir";
    static final String CLIENT_PORT_ADDRESS = "clientPortAddress";
    static final String CLIENT_PORT = "clientPort";
    static final String MAX_CLIENT_CNXNS = "maxClientCnxns";
    static final String MIN_SESSION_TIMEOUT = "minSessionTimeout";
    static final String MAX_SESSION_TIMEOUT = "maxSessionTimeout";
    static final String FOUR_LETTER_WORDS = "4lw.commands.whitelist";
    static final String ADMIN_ENABLE_SERVER = "admin.enableServer";
    static final String ADMIN_SERVER_ADDRESS = "admin.serverAddress";
    static final String ADMIN_SERVER_PORT = "admin.serverPort";
    static final String JUTE_MAX_BUFFER = "jute.maxbuffer";
    /** Not a key in the file: the name of the file in dataDir that holds this server's id. */
    static final String MYID = "myid";
    /** Prefix of {@code server.N=host:peerPort:electionPort[:participant|:observer]}. */
    static final String SERVER_PREFIX = "server.";
    static final String TTL_NODES_ENABLED = "roost.ttlNodes.enabled";
    static final String LINEARIZABLE_READS = "roost.linearizableReads";
    static final String CONTAINER_CHECK_INTERVAL_MS = "roost.containerCheckIntervalMs";
    static final String PRE_ALLOC_SIZE = "preAllocSize";
    static final String SNAP_COUNT = "snapCount";
    static final String FORCE_SYNC = "forceSync";
    static final String AUTOPURGE_SNAP_RETAIN_COUNT = "autopurge.snapRetainCount";
    static final String AUTOPURGE_PURGE_INTERVAL = "autopurge.purgeInterval";

    private ConfigKeys() {
    }
}
