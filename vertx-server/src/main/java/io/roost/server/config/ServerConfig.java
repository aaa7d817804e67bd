package io.roost.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a Roost server is configured with, loaded once at start-up and passed down.
 *
 * <p>Immutable and always valid: the canonical constructor checks every field and throws
 * {@link ConfigException} naming the config-file key of the first bad one. Build instances with
 * {@link #builder()}, {@link #defaults()}, {@link #toBuilder()} or {@link ConfigLoader}. Instances are
 * safe to share between threads.
 *
 * <p>The keys are ZooKeeper's (see {@link ConfigLoader}); the defaults are ZooKeeper's except that the
 * client and admin ports listen on 127.0.0.1 and TTL nodes are enabled.
 *
 * @param tickTime the basic time unit in milliseconds (key {@code tickTime}, default 2000)
 * @param initLimit ticks a follower may take to connect and sync to the leader (default 10)
 * @param syncLimit ticks a follower may lag behind the leader before it is dropped (default 5)
 * @param dataDir where snapshots and the {@code myid} file live (default {@code ./data})
 * @param dataLogDir where the transaction log lives (default: the same as dataDir)
 * @param clientPortAddress the address the client port listens on (default 127.0.0.1)
 * @param clientPort the client port (default 2181; 0 picks a free port, for tests)
 * @param maxClientCnxns most connections from one client address (default 60; 0 = unlimited)
 * @param minSessionTimeout the least session timeout granted, in milliseconds (default 2 x tickTime)
 * @param maxSessionTimeout the greatest session timeout granted, in milliseconds (default 20 x tickTime)
 * @param fourLetterWords the four-letter-word commands answered on the client port
 *     (key {@code 4lw.commands.whitelist}, default {@code srvr}); an unmodifiable set in the order of
 *     {@link #ALL_FOUR_LETTER_WORDS}
 * @param adminEnableServer whether the admin HTTP server runs (key {@code admin.enableServer}, default true)
 * @param adminServerAddress the admin HTTP address (key {@code admin.serverAddress}, default 127.0.0.1)
 * @param adminServerPort the admin HTTP port (key {@code admin.serverPort}, default 8080; 0 picks a free port)
 * @param juteMaxBuffer the largest request or response frame in bytes (key {@code jute.maxbuffer},
 *     default 1048575)
 * @param myId this server's id from the {@code myid} file; 0 for a standalone server
 * @param servers the ensemble from the {@code server.N} lines, ordered by id; empty for standalone
 * @param ttlNodesEnabled whether TTL nodes may be created (key {@code roost.ttlNodes.enabled},
 *     default true, unlike ZooKeeper)
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are swept
 *     (key {@code roost.containerCheckIntervalMs}, default 60000)
 * @param snapCount transactions between snapshots (key {@code snapCount}, default 100000)
 * @param forceSync whether log writes are fsynced before they are acknowledged (key {@code forceSync},
 *     default true)
 * @param autopurgeSnapRetainCount snapshots kept by the purge task (key {@code autopurge.snapRetainCount},
 *     default 3, at least 3)
 * @param autopurgePurgeInterval hours between purges; 0 turns purging off
 *     (key {@code autopurge.purgeInterval}, default 0)
 * @param preAllocSizeKb how much log space is preallocated at a time, in KiB
 *     (key {@code preAllocSize}, default 65536, as in ZooKeeper; at least 1)
 * @param linearizableReads in an ensemble, whether reads wait for a leader-confirmed read index
 *     (key {@code roost.linearizableReads}, default false: reads are served at once from the
 *     server's applied state, sequentially consistent as in ZooKeeper)
 */
public record ServerConfig(
        int tickTime,
        int initLimit,
        int syncLimit,
        Path dataDir,
        Path dataLogDir,
        String clientPortAddress,
        int clientPort,
        int maxClientCnxns,
        int minSessionTimeout,
        int maxSessionTimeout,
        Set<String> fourLetterWords,
        boolean adminEnableServer,
        String adminServerAddress,
        int adminServerPort,
        int juteMaxBuffer,
        long myId,
        List<PeerSpec> servers,
        boolean ttlNodesEnabled,
        long containerCheckIntervalMs,
        int snapCount,
        boolean forceSync,
        int autopurgeSnapRetainCount,
        int autopurgePurgeInterval,
        int preAllocSizeKb,
        boolean linearizableReads) {

    /** Every four-letter word Roost knows, in the order it lists them; {@code *} in the whitelist means these. */
    public static final Set<String> ALL_FOUR_LETTER_WORDS = orderedSet(
            List.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "wchs", "isro", "envi", "dump"));

    /** The whitelist of a builder or a config file that does not set one: ZooKeeper's default. */
    public static final Set<String> DEFAULT_FOUR_LETTER_WORDS = orderedSet(List.of("srvr"));

    /**
     * The whitelist of {@link #defaults()}, the server run without a config file: enough for
     * {@code echo ruok | nc 127.0.0.1 2181} and monitoring on a developer's machine.
     */
    public static final Set<String> EMBEDDED_FOUR_LETTER_WORDS = orderedSet(
            List.of("ruok", "srvr", "stat", "mntr", "conf", "isro"));

    /**
     * The highest server id while TTL nodes are enabled: a TTL node's ephemeralOwner carries 0xff in the
     * byte where session ids carry the server id, so server 255 would be mistaken for TTL nodes.
     */
    static final long MAX_SERVER_ID_WITH_TTL = 254;

    /** The highest server id otherwise: session ids carry the server id in their top byte. */
    static final long MAX_SERVER_ID = 255;

    /**
     * Checks every field and makes the collections unmodifiable.
     *
     * @throws ConfigException naming the key of the first bad field
     */
    public ServerConfig {
        atLeast(ConfigKeys.TICK_TIME, tickTime, 1, "is not a positive number of milliseconds (1 or more)");
        atLeast(ConfigKeys.INIT_LIMIT, initLimit, 1, "is not a positive number of ticks (1 or more)");
        atLeast(ConfigKeys.SYNC_LIMIT, syncLimit, 1, "is not a positive number of ticks (1 or more)");
        if (dataDir == null) {
            throw new ConfigException(ConfigKeys.DATA_DIR, "dataDir is not set: give the directory for snapshots");
        }
        if (dataLogDir == null) {
            throw new ConfigException(ConfigKeys.DATA_LOG_DIR,
                    "dataLogDir is not set: give the directory for the transaction log (or the same as dataDir)");
        }
        clientPortAddress = address(ConfigKeys.CLIENT_PORT_ADDRESS, clientPortAddress);
        port(ConfigKeys.CLIENT_PORT, clientPort);
        atLeast(ConfigKeys.MAX_CLIENT_CNXNS, maxClientCnxns, 0,
                "is negative (0 = unlimited, or a limit of 1 or more)");
        atLeast(ConfigKeys.MIN_SESSION_TIMEOUT, minSessionTimeout, 1,
                "is not a positive number of milliseconds (1 or more)");
        atLeast(ConfigKeys.MAX_SESSION_TIMEOUT, maxSessionTimeout, 1,
                "is not a positive number of milliseconds (1 or more)");
        if (minSessionTimeout > maxSessionTimeout) {
            throw new ConfigException(ConfigKeys.MAX_SESSION_TIMEOUT, "maxSessionTimeout=" + maxSessionTimeout
                    + " is less than minSessionTimeout=" + minSessionTimeout + " (min must be <= max)");
        }
        fourLetterWords = checkFourLetterWords(fourLetterWords);
        adminServerAddress = address(ConfigKeys.ADMIN_SERVER_ADDRESS, adminServerAddress);
        port(ConfigKeys.ADMIN_SERVER_PORT, adminServerPort);
        if (adminEnableServer && adminServerPort != 0 && adminServerPort == clientPort
                && adminServerAddress.equals(clientPortAddress)) {
            throw ConfigException.badValue(ConfigKeys.ADMIN_SERVER_PORT, adminServerPort,
                    "is also the clientPort on " + clientPortAddress
                            + "; give the admin server another port or set admin.enableServer=false");
        }
        atLeast(ConfigKeys.JUTE_MAX_BUFFER, juteMaxBuffer, 1, "is not a positive number of bytes (1 or more)");
        servers = checkServers(servers, ttlNodesEnabled);
        checkMyId(myId, servers);
        if (containerCheckIntervalMs < 1) {
            throw ConfigException.badValue(ConfigKeys.CONTAINER_CHECK_INTERVAL_MS, containerCheckIntervalMs,
                    "is not a positive number of milliseconds (1 or more)");
        }
        atLeast(ConfigKeys.SNAP_COUNT, snapCount, 2, "is too small (2 or more transactions between snapshots)");
        atLeast(ConfigKeys.PRE_ALLOC_SIZE, preAllocSizeKb, 1, "is not a positive number of KiB (1 or more)");
        atLeast(ConfigKeys.AUTOPURGE_SNAP_RETAIN_COUNT, autopurgeSnapRetainCount, 3,
                "is too small (keep 3 or more snapshots)");
        atLeast(ConfigKeys.AUTOPURGE_PURGE_INTERVAL, autopurgePurgeInterval, 0,
                "is negative (hours between purges, 0 = never purge)");
    }

    /**
     * A builder holding the defaults listed on this type (standalone, 127.0.0.1:2181, data in
     * {@code ./data}, whitelist {@code srvr}).
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration of a server started without a config file: standalone, client port
     * 127.0.0.1:2181, data in {@code ./data} (relative to the working directory), and the
     * {@link #EMBEDDED_FOUR_LETTER_WORDS} so that {@code ruok} answers.
     *
     * @return the embedded default configuration
     */
    public static ServerConfig defaults() {
        return builder().fourLetterWords(EMBEDDED_FOUR_LETTER_WORDS).build();
    }

    /**
     * A builder holding this configuration, to change a few fields.
     *
     * <p>Values that equal what the builder would derive are left to be derived again: dataLogDir when it
     * equals dataDir, and the session timeouts when they equal 2 and 20 ticks. So
     * {@code config.toBuilder().tickTime(3000).build()} moves default session timeouts with the tick.
     *
     * @return a new builder; not thread-safe
     */
    public Builder toBuilder() {
        Builder b = new Builder()
                .tickTime(tickTime)
                .initLimit(initLimit)
                .syncLimit(syncLimit)
                .dataDir(dataDir)
                .dataLogDir(dataLogDir.equals(dataDir) ? null : dataLogDir)
                .clientPortAddress(clientPortAddress)
                .clientPort(clientPort)
                .maxClientCnxns(maxClientCnxns)
                .fourLetterWords(fourLetterWords)
                .adminEnableServer(adminEnableServer)
                .adminServerAddress(adminServerAddress)
                .adminServerPort(adminServerPort)
                .juteMaxBuffer(juteMaxBuffer)
                .myId(myId)
                .servers(servers)
                .ttlNodesEnabled(ttlNodesEnabled)
                .containerCheckIntervalMs(containerCheckIntervalMs)
                .snapCount(snapCount)
                .forceSync(forceSync)
                .autopurgeSnapRetainCount(autopurgeSnapRetainCount)
                .autopurgePurgeInterval(autopurgePurgeInterval)
                .preAllocSizeKb(preAllocSizeKb)
                .linearizableReads(linearizableReads);
        b.minSessionTimeout((long) minSessionTimeout == 2L * tickTime ? Builder.DERIVED : minSessionTimeout);
        b.maxSessionTimeout((long) maxSessionTimeout == 20L * tickTime ? Builder.DERIVED : maxSessionTimeout);
        return b;
    }

    /**
     * Whether this server runs alone (no {@code server.N} lines).
     *
     * @return true when {@link #servers()} is empty
     */
    public boolean standalone() {
        return servers.isEmpty();
    }

    /**
     * Parses a {@code 4lw.commands.whitelist} value: comma-separated words, trimmed, case-insensitive;
     * {@code *} means all of {@link #ALL_FOUR_LETTER_WORDS}; an empty value means none.
     *
     * @param value the text after {@code 4lw.commands.whitelist=}
     * @return the words, in the order of {@link #ALL_FOUR_LETTER_WORDS}
     * @throws ConfigException naming the key and the unknown word
     */
    public static Set<String> parseFourLetterWords(String value) {
        Objects.requireNonNull(value, "value");
        Set<String> words = new HashSet<>();
        for (String part : value.split(",", -1)) {
            String word = part.strip().toLowerCase(Locale.ROOT);
            if (word.equals("*")) {
                words.addAll(ALL_FOUR_LETTER_WORDS);
            } else if (!word.isEmpty()) {
                if (!ALL_FOUR_LETTER_WORDS.contains(word)) {
                    throw unknownWord(value, part.strip());
                }
                words.add(word);
            }
        }
        return inCanonicalOrder(words);
    }

    private static Set<String> checkFourLetterWords(Set<String> words) {
        if (words == null) {
            throw new ConfigException(ConfigKeys.FOUR_LETTER_WORDS,
                    "4lw.commands.whitelist is not set: give a set of words (it may be empty)");
        }
        Set<String> checked = new HashSet<>();
        for (String word : words) {
            String w = word == null ? "null" : word.strip().toLowerCase(Locale.ROOT);
            if (w.equals("*")) {
                checked.addAll(ALL_FOUR_LETTER_WORDS);
            } else if (ALL_FOUR_LETTER_WORDS.contains(w)) {
                checked.add(w);
            } else {
                throw unknownWord(String.join(",", words), String.valueOf(word));
            }
        }
        return inCanonicalOrder(checked);
    }

    private static ConfigException unknownWord(String value, String word) {
        return ConfigException.badValue(ConfigKeys.FOUR_LETTER_WORDS, value, "names unknown command '" + word
                + "' (known: " + String.join(", ", ALL_FOUR_LETTER_WORDS) + ", or * for all of them)");
    }

    private static Set<String> inCanonicalOrder(Set<String> words) {
        return orderedSet(ALL_FOUR_LETTER_WORDS.stream().filter(words::contains).toList());
    }

    private static Set<String> orderedSet(List<String> words) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(words));
    }

    private static List<PeerSpec> checkServers(List<PeerSpec> servers, boolean ttlNodesEnabled) {
        if (servers == null) {
            throw new ConfigException(ConfigKeys.SERVER_PREFIX + "N",
                    "server.N list is null: give an empty list for a standalone server");
        }
        List<PeerSpec> sorted = new ArrayList<>(servers.size());
        for (PeerSpec peer : servers) {
            sorted.add(Objects.requireNonNull(peer, "servers holds null"));
        }
        sorted.sort(Comparator.comparingLong(PeerSpec::id));
        long maxId = ttlNodesEnabled ? MAX_SERVER_ID_WITH_TTL : MAX_SERVER_ID;
        Map<String, Long> endpoints = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            PeerSpec peer = sorted.get(i);
            String key = ConfigKeys.SERVER_PREFIX + peer.id();
            if (i > 0 && sorted.get(i - 1).id() == peer.id()) {
                throw new ConfigException(key, key + " is given twice: each server id may appear once");
            }
            if (peer.id() > maxId) {
                throw new ConfigException(key, key + " has an id above " + maxId + (ttlNodesEnabled
                        ? " (ids go up to 254 while roost.ttlNodes.enabled=true, because TTL nodes use the"
                                + " top byte 0xff of ephemeralOwner; use 1-254 or set roost.ttlNodes.enabled=false)"
                        : " (session ids carry the server id in one byte; use 1-255)"));
            }
            for (int port : new int[] {peer.peerPort(), peer.electionPort()}) {
                Long other = endpoints.putIfAbsent(peer.host() + ":" + port, peer.id());
                if (other != null) {
                    throw new ConfigException(key, key + "=" + peer.toConfigValue() + " uses " + peer.host()
                            + ":" + port + ", which server." + other + " uses too; every peer and election"
                            + " port on a host must be different");
                }
            }
        }
        if (!sorted.isEmpty() && sorted.stream().allMatch(PeerSpec::observer)) {
            throw new ConfigException(ConfigKeys.SERVER_PREFIX + "N",
                    "every server.N line is an observer; at least one server must be a participant that votes");
        }
        return List.copyOf(sorted);
    }

    private static void checkMyId(long myId, List<PeerSpec> servers) {
        if (servers.isEmpty()) {
            if (myId != 0) {
                throw ConfigException.badValue(ConfigKeys.MYID, myId,
                        "but there are no server.N lines; a standalone server has myid 0");
            }
            return;
        }
        if (servers.stream().noneMatch(peer -> peer.id() == myId)) {
            throw ConfigException.badValue(ConfigKeys.MYID, myId, "is not one of the servers ("
                    + servers.stream().map(peer -> ConfigKeys.SERVER_PREFIX + peer.id())
                            .collect(Collectors.joining(", "))
                    + "); the myid file in dataDir must hold this server's N");
        }
    }

    private static void atLeast(String key, long value, long min, String problem) {
        if (value < min) {
            throw ConfigException.badValue(key, value, problem);
        }
    }

    private static void port(String key, int port) {
        if (port < 0 || port > 65535) {
            throw ConfigException.badValue(key, port, "is not a port number (1-65535, or 0 for any free port)");
        }
    }

    private static String address(String key, String address) {
        if (address == null || address.isBlank()) {
            throw ConfigException.badValue(key, address == null ? "" : address,
                    "is empty: give an address to listen on, such as 127.0.0.1 or 0.0.0.0");
        }
        return address.strip();
    }

    /**
     * Builds a {@link ServerConfig}. Each setter is named after the field it sets; {@link #build()}
     * fills in derived values and validates. Not thread-safe; a builder may be reused after
     * {@code build()}.
     */
    public static final class Builder {

        /** Session-timeout value meaning "derive from tickTime", as ZooKeeper's -1. */
        static final int DERIVED = -1;

        private int tickTime = 2000;
        private int initLimit = 10;
        private int syncLimit = 5;
        private Path dataDir = Path.of("data");
        private Path dataLogDir;
        private String clientPortAddress = "127.0.0.1";
        private int clientPort = 2181;
        private int maxClientCnxns = 60;
        private int minSessionTimeout = DERIVED;
        private int maxSessionTimeout = DERIVED;
        private Set<String> fourLetterWords = DEFAULT_FOUR_LETTER_WORDS;
        private boolean adminEnableServer = true;
        private String adminServerAddress = "127.0.0.1";
        private int adminServerPort = 8080;
        private int juteMaxBuffer = 1048575;
        private long myId;
        private List<PeerSpec> servers = List.of();
        private boolean ttlNodesEnabled = true;
        private long containerCheckIntervalMs = 60000;
        private int snapCount = 100000;
        private boolean forceSync = true;
        private int autopurgeSnapRetainCount = 3;
        private int autopurgePurgeInterval;
        private int preAllocSizeKb = 65536;
        private boolean linearizableReads;

        private Builder() {
        }

        /**
         * Sets the basic time unit.
         *
         * @param tickTime milliseconds, 1 or more
         * @return this builder
         */
        public Builder tickTime(int tickTime) {
            this.tickTime = tickTime;
            return this;
        }

        /**
         * Sets how many ticks a follower may take to connect and sync.
         *
         * @param initLimit ticks, 1 or more
         * @return this builder
         */
        public Builder initLimit(int initLimit) {
            this.initLimit = initLimit;
            return this;
        }

        /**
         * Sets how many ticks a follower may lag behind the leader.
         *
         * @param syncLimit ticks, 1 or more
         * @return this builder
         */
        public Builder syncLimit(int syncLimit) {
            this.syncLimit = syncLimit;
            return this;
        }

        /**
         * Sets the directory for snapshots and {@code myid}. A relative path is used as it is, that is
         * relative to the working directory.
         *
         * @param dataDir the directory
         * @return this builder
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Sets the directory for the transaction log.
         *
         * @param dataLogDir the directory, or null for the same as dataDir
         * @return this builder
         */
        public Builder dataLogDir(Path dataLogDir) {
            this.dataLogDir = dataLogDir;
            return this;
        }

        /**
         * Sets the address the client port listens on.
         *
         * @param clientPortAddress a host name or address, such as 127.0.0.1 or 0.0.0.0
         * @return this builder
         */
        public Builder clientPortAddress(String clientPortAddress) {
            this.clientPortAddress = clientPortAddress;
            return this;
        }

        /**
         * Sets the client port.
         *
         * @param clientPort 1-65535, or 0 for any free port
         * @return this builder
         */
        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        /**
         * Sets the most connections allowed from one client address.
         *
         * @param maxClientCnxns a limit, or 0 for unlimited
         * @return this builder
         */
        public Builder maxClientCnxns(int maxClientCnxns) {
            this.maxClientCnxns = maxClientCnxns;
            return this;
        }

        /**
         * Sets the least session timeout granted.
         *
         * @param minSessionTimeout milliseconds, or -1 for 2 x tickTime (the default)
         * @return this builder
         */
        public Builder minSessionTimeout(int minSessionTimeout) {
            this.minSessionTimeout = minSessionTimeout;
            return this;
        }

        /**
         * Sets the greatest session timeout granted.
         *
         * @param maxSessionTimeout milliseconds, or -1 for 20 x tickTime (the default)
         * @return this builder
         */
        public Builder maxSessionTimeout(int maxSessionTimeout) {
            this.maxSessionTimeout = maxSessionTimeout;
            return this;
        }

        /**
         * Sets the four-letter words answered on the client port.
         *
         * @param fourLetterWords words from {@link ServerConfig#ALL_FOUR_LETTER_WORDS}, or {@code *} for all;
         *     copied
         * @return this builder
         */
        public Builder fourLetterWords(Set<String> fourLetterWords) {
            this.fourLetterWords = fourLetterWords == null ? null : new LinkedHashSet<>(fourLetterWords);
            return this;
        }

        /**
         * Sets whether the admin HTTP server runs.
         *
         * @param adminEnableServer true to run it
         * @return this builder
         */
        public Builder adminEnableServer(boolean adminEnableServer) {
            this.adminEnableServer = adminEnableServer;
            return this;
        }

        /**
         * Sets the admin HTTP address.
         *
         * @param adminServerAddress a host name or address
         * @return this builder
         */
        public Builder adminServerAddress(String adminServerAddress) {
            this.adminServerAddress = adminServerAddress;
            return this;
        }

        /**
         * Sets the admin HTTP port.
         *
         * @param adminServerPort 1-65535, or 0 for any free port
         * @return this builder
         */
        public Builder adminServerPort(int adminServerPort) {
            this.adminServerPort = adminServerPort;
            return this;
        }

        /**
         * Sets the largest frame accepted or sent.
         *
         * @param juteMaxBuffer bytes, 1 or more
         * @return this builder
         */
        public Builder juteMaxBuffer(int juteMaxBuffer) {
            this.juteMaxBuffer = juteMaxBuffer;
            return this;
        }

        /**
         * Sets this server's id.
         *
         * @param myId the N of one of the {@link #servers(List)}, or 0 for a standalone server
         * @return this builder
         */
        public Builder myId(long myId) {
            this.myId = myId;
            return this;
        }

        /**
         * Sets the ensemble.
         *
         * @param servers every member including this one, or empty for a standalone server; copied
         * @return this builder
         */
        public Builder servers(List<PeerSpec> servers) {
            this.servers = servers == null ? null : new ArrayList<>(servers);
            return this;
        }

        /**
         * Sets whether TTL nodes may be created.
         *
         * @param ttlNodesEnabled true to allow them
         * @return this builder
         */
        public Builder ttlNodesEnabled(boolean ttlNodesEnabled) {
            this.ttlNodesEnabled = ttlNodesEnabled;
            return this;
        }

        /**
         * Sets whether reads in an ensemble wait for a leader-confirmed read index.
         *
         * @param linearizableReads true for linearizable reads, false for ZooKeeper's
         *     sequentially consistent ones
         * @return this builder
         */
        public Builder linearizableReads(boolean linearizableReads) {
            this.linearizableReads = linearizableReads;
            return this;
        }

        /**
         * Sets how often empty containers and expired TTL nodes are swept.
         *
         * @param containerCheckIntervalMs milliseconds, 1 or more
         * @return this builder
         */
        public Builder containerCheckIntervalMs(long containerCheckIntervalMs) {
            this.containerCheckIntervalMs = containerCheckIntervalMs;
            return this;
        }

        /**
         * Sets how much log space is preallocated at a time (also the log segment size).
         *
         * @param preAllocSizeKb KiB, 1 or more
         * @return this builder
         */
        public Builder preAllocSizeKb(int preAllocSizeKb) {
            this.preAllocSizeKb = preAllocSizeKb;
            return this;
        }

        /**
         * Sets how many transactions are logged between snapshots.
         *
         * @param snapCount 2 or more
         * @return this builder
         */
        public Builder snapCount(int snapCount) {
            this.snapCount = snapCount;
            return this;
        }

        /**
         * Sets whether log writes are fsynced before they are acknowledged.
         *
         * @param forceSync true to fsync (turn off only for throw-away data)
         * @return this builder
         */
        public Builder forceSync(boolean forceSync) {
            this.forceSync = forceSync;
            return this;
        }

        /**
         * Sets how many snapshots the purge task keeps.
         *
         * @param autopurgeSnapRetainCount 3 or more
         * @return this builder
         */
        public Builder autopurgeSnapRetainCount(int autopurgeSnapRetainCount) {
            this.autopurgeSnapRetainCount = autopurgeSnapRetainCount;
            return this;
        }

        /**
         * Sets the hours between purges.
         *
         * @param autopurgePurgeInterval hours, or 0 to never purge
         * @return this builder
         */
        public Builder autopurgePurgeInterval(int autopurgePurgeInterval) {
            this.autopurgePurgeInterval = autopurgePurgeInterval;
            return this;
        }

        /**
         * Fills in derived values (dataLogDir from dataDir, session timeouts from tickTime) and builds the
         * configuration.
         *
         * @return a valid configuration
         * @throws ConfigException naming the key of the first bad value
         */
        public ServerConfig build() {
            int min = minSessionTimeout == DERIVED ? ticks(2, ConfigKeys.MIN_SESSION_TIMEOUT) : minSessionTimeout;
            int max = maxSessionTimeout == DERIVED ? ticks(20, ConfigKeys.MAX_SESSION_TIMEOUT) : maxSessionTimeout;
            if (min > max && tickTime > 0) {
                // Say which side was derived, so a user who set only one of them knows why.
                String minText = "minSessionTimeout=" + min
                        + (minSessionTimeout == DERIVED ? " (2 x tickTime, as it is not set)" : "");
                String maxText = "maxSessionTimeout=" + max
                        + (maxSessionTimeout == DERIVED ? " (20 x tickTime, as it is not set)" : "");
                String key = maxSessionTimeout == DERIVED ? ConfigKeys.MIN_SESSION_TIMEOUT
                        : ConfigKeys.MAX_SESSION_TIMEOUT;
                throw new ConfigException(key, maxText + " is less than " + minText + " (min must be <= max)");
            }
            return new ServerConfig(tickTime, initLimit, syncLimit, dataDir,
                    dataLogDir != null ? dataLogDir : dataDir, clientPortAddress, clientPort, maxClientCnxns,
                    min, max, fourLetterWords, adminEnableServer, adminServerAddress, adminServerPort,
                    juteMaxBuffer, myId, servers, ttlNodesEnabled, containerCheckIntervalMs, snapCount,
                    forceSync, autopurgeSnapRetainCount, autopurgePurgeInterval, preAllocSizeKb,
                    linearizableReads);
        }

        private int ticks(int count, String derivedKey) {
            long value = (long) count * tickTime;
            if (tickTime < 1) {
                // The constructor reports the bad tickTime itself.
                return 1;
            }
            if (value > Integer.MAX_VALUE) {
                throw ConfigException.badValue(ConfigKeys.TICK_TIME, tickTime, "is too large: " + derivedKey
                        + " defaults to " + count + " x tickTime, which must fit in " + Integer.MAX_VALUE
                        + " milliseconds; lower tickTime or set " + derivedKey);
            }
            return (int) value;
        }
    }
}
