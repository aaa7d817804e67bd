package io.roost.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a zoo.cfg-style properties file into a {@link ServerConfig}.
 *
 * <p>The file has {@link Properties} syntax ({@code key=value}, {@code #} comments, backslash escapes);
 * values are trimmed. ZooKeeper's keys are read where Roost supports the option, plus Roost's own
 * {@code roost.*} keys:
 * {@code tickTime, initLimit, syncLimit, dataDir, dataLogDir, clientPortAddress, clientPort,
 * maxClientCnxns, minSessionTimeout, maxSessionTimeout, 4lw.commands.whitelist, admin.enableServer,
 * admin.serverAddress, admin.serverPort, jute.maxbuffer, server.N, snapCount, forceSync,
 * autopurge.snapRetainCount, autopurge.purgeInterval, roost.ttlNodes.enabled,
 * roost.containerCheckIntervalMs}. Keys that are not listed are not an error: each becomes a warning, so a
 * zoo.cfg written for ZooKeeper still starts Roost.
 *
 * <p>Relative {@code dataDir} and {@code dataLogDir} resolve against the working directory, as in
 * ZooKeeper. When there are {@code server.N} lines, this server's id is read from the file {@code myid} in
 * dataDir. Every problem throws {@link ConfigException} naming the key (or {@code myid}, or the file).
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigLoader {

    private static final System.Logger LOG = System.getLogger(ConfigLoader.class.getName());

    /**
     * ZooKeeper options Roost knows about but does not implement. They are ignored with a warning that says
     * so, rather than the "check the spelling" warning of a key nobody knows.
     */
    private static final Set<String> ZOOKEEPER_ONLY_KEYS = Set.of(
            "standaloneEnabled", "reconfigEnabled", "secureClientPort", "secureClientPortAddress",
            "electionAlg", "peerType", "syncEnabled", "quorumListenOnAllIPs",
            "globalOutstandingLimit", "localSessionsEnabled", "localSessionsUpgradingEnabled", "maxCnxns",
            "sslQuorum", "portUnification", "skipACL", "serverCnxnFactory", "clientPortListenBacklog",
            "connectToLearnerMasterLimit", "fsync.warningthresholdms", "admin.commandURL", "admin.idleTimeout");

    /** Prefixes of ZooKeeper option families Roost does not implement. */
    private static final List<String> ZOOKEEPER_ONLY_PREFIXES = List.of(
            "authProvider.", "ssl.", "quorum.", "metricsProvider.");

    private ConfigLoader() {
    }

    /**
     * What {@link #loadWithWarnings(Path)} found.
     *
     * @param config the configuration
     * @param warnings one line per key that was ignored or given twice, in file order; unmodifiable
     */
    public record LoadResult(ServerConfig config, List<String> warnings) {

        /** Checks for null and copies the warnings. */
        public LoadResult {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Loads a config file, logging each warning (an ignored or repeated key) at {@code WARNING} through
     * {@link System.Logger}.
     *
     * @param file the config file
     * @return the configuration
     * @throws ConfigException if the file is missing or unreadable, a value is bad, or {@code myid} is
     *     missing, garbled or not among the {@code server.N} lines
     */
    public static ServerConfig load(Path file) {
        LoadResult result = loadWithWarnings(file);
        for (String warning : result.warnings()) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
        return result.config();
    }

    /**
     * Loads a config file and returns the warnings instead of logging them.
     *
     * @param file the config file
     * @return the configuration and the warnings
     * @throws ConfigException as {@link #load(Path)}
     */
    public static LoadResult loadWithWarnings(Path file) {
        Objects.requireNonNull(file, "file");
        List<String> warnings = new ArrayList<>();
        Map<String, String> entries = read(file, warnings);

        ServerConfig.Builder builder = ServerConfig.builder();
        Path dataDir = directory(ConfigKeys.DATA_DIR, "data");
        List<PeerSpec> servers = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            switch (key) {
                case ConfigKeys.TICK_TIME -> builder.tickTime(intValue(key, value));
                case ConfigKeys.INIT_LIMIT -> builder.initLimit(intValue(key, value));
                case ConfigKeys.SYNC_LIMIT -> builder.syncLimit(intValue(key, value));
                case ConfigKeys.DATA_DIR -> dataDir = directory(key, value);
                case ConfigKeys.DATA_LOG_DIR -> builder.dataLogDir(directory(key, value));
                case ConfigKeys.CLIENT_PORT_ADDRESS -> builder.clientPortAddress(value);
                case ConfigKeys.CLIENT_PORT -> builder.clientPort(intValue(key, value));
                case ConfigKeys.MAX_CLIENT_CNXNS -> builder.maxClientCnxns(intValue(key, value));
                case ConfigKeys.MIN_SESSION_TIMEOUT -> builder.minSessionTimeout(intValue(key, value));
                case ConfigKeys.MAX_SESSION_TIMEOUT -> builder.maxSessionTimeout(intValue(key, value));
                case ConfigKeys.FOUR_LETTER_WORDS -> builder.fourLetterWords(ServerConfig.parseFourLetterWords(value));
                case ConfigKeys.ADMIN_ENABLE_SERVER -> builder.adminEnableServer(booleanValue(key, value));
                case ConfigKeys.ADMIN_SERVER_ADDRESS -> builder.adminServerAddress(value);
                case ConfigKeys.ADMIN_SERVER_PORT -> builder.adminServerPort(intValue(key, value));
                case ConfigKeys.JUTE_MAX_BUFFER -> builder.juteMaxBuffer(intValue(key, value));
                case ConfigKeys.TTL_NODES_ENABLED -> builder.ttlNodesEnabled(booleanValue(key, value));
                case ConfigKeys.LINEARIZABLE_READS -> builder.linearizableReads(booleanValue(key, value));
                case ConfigKeys.CONTAINER_CHECK_INTERVAL_MS -> builder.containerCheckIntervalMs(longValue(key, value));
                case ConfigKeys.PRE_ALLOC_SIZE -> builder.preAllocSizeKb(intValue(key, value));
                case ConfigKeys.SNAP_COUNT -> builder.snapCount(intValue(key, value));
                case ConfigKeys.FORCE_SYNC -> builder.forceSync(booleanValue(key, value));
                case ConfigKeys.AUTOPURGE_SNAP_RETAIN_COUNT -> builder.autopurgeSnapRetainCount(intValue(key, value));
                case ConfigKeys.AUTOPURGE_PURGE_INTERVAL -> builder.autopurgePurgeInterval(intValue(key, value));
                case "dynamicConfigFile" -> throw ConfigException.badValue(key, value,
                        "is not supported: Roost has no dynamic reconfiguration yet; put the server.N lines in "
                                + file + " instead");
                default -> {
                    if (key.startsWith(ConfigKeys.SERVER_PREFIX)) {
                        servers.add(PeerLine.parse(key, value));
                    } else {
                        warnings.add(file + ": " + ignored(key, value));
                    }
                }
            }
        }
        builder.dataDir(dataDir).servers(servers);
        if (!servers.isEmpty()) {
            builder.myId(readMyId(dataDir, servers, file));
        }
        return new LoadResult(builder.build(), warnings);
    }

    /** Reads the file with {@link Properties} syntax, keeping file order and noting repeated keys. */
    private static Map<String, String> read(Path file, List<String> warnings) {
        if (!Files.exists(file)) {
            throw new ConfigException(file.toString(), "config file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "config file " + file + " is not a regular file");
        }
        OrderedProperties properties = new OrderedProperties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(file.toString(),
                    "config file " + file + " cannot be read (it must be UTF-8 text): " + e, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file.toString(),
                    "config file " + file + " has a malformed \\uXXXX escape: " + e.getMessage(), e);
        }
        for (Map.Entry<String, Integer> repeated : properties.repeats.entrySet()) {
            String key = repeated.getKey();
            warnings.add(file + ": " + key + " is given " + repeated.getValue() + " times; the last value ("
                    + properties.entries.get(key) + ") is used");
        }
        return properties.entries;
    }

    private static String ignored(String key, String value) {
        String entry = key + "=" + value;
        if (key.startsWith("roost.")) {
            return entry + " is not a Roost option; ignored (check the spelling)";
        }
        if (key.startsWith("group.") || key.startsWith("weight.")) {
            return entry + " configures hierarchical quorums, which Roost does not support; ignored"
                    + " (Roost uses majority quorums)";
        }
        if (ZOOKEEPER_ONLY_KEYS.contains(key) || ZOOKEEPER_ONLY_PREFIXES.stream().anyMatch(key::startsWith)) {
            return entry + " is a ZooKeeper option Roost does not support; ignored";
        }
        return entry + " is not a key Roost knows; ignored (check the spelling)";
    }

    private static long readMyId(Path dataDir, List<PeerSpec> servers, Path configFile) {
        Path myIdFile = dataDir.resolve(ConfigKeys.MYID);
        String ids = servers.stream().map(peer -> ConfigKeys.SERVER_PREFIX + peer.id())
                .collect(Collectors.joining(", "));
        if (!Files.isRegularFile(myIdFile)) {
            throw new ConfigException(ConfigKeys.MYID, "myid file " + myIdFile + " is missing: " + configFile
                    + " lists " + ids + ", so this server needs its N in that file (for example: echo 1 > "
                    + myIdFile + ")");
        }
        String text;
        try {
            // US-ASCII never fails: stray bytes become U+FFFD and are reported as garbled below.
            text = new String(Files.readAllBytes(myIdFile), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new ConfigException(ConfigKeys.MYID, "myid file " + myIdFile + " cannot be read: " + e, e);
        }
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new ConfigException(ConfigKeys.MYID, "myid file " + myIdFile + " holds '" + shown
                    + "', which is not a server id; it must hold only this server's N, one of " + ids, e);
        }
        if (servers.stream().noneMatch(peer -> peer.id() == id)) {
            throw new ConfigException(ConfigKeys.MYID, "myid=" + id + " (from " + myIdFile + ") is not one of "
                    + ids + " in " + configFile);
        }
        return id;
    }

    private static Path directory(String key, String value) {
        if (value.isEmpty()) {
            throw ConfigException.badValue(key, value, "is empty: give a directory");
        }
        if (value.startsWith("~")) {
            // ZooKeeper does not expand ~ either; a directory literally named "~" is never what was meant.
            throw ConfigException.badValue(key, value, "starts with ~, which is not expanded; give the full path");
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.badValue(key, value, "is not a valid path: " + e.getReason());
        }
    }

    private static int intValue(String key, String value) {
        long parsed = longValue(key, value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw ConfigException.badValue(key, value, "is out of range (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) parsed;
    }

    private static long longValue(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ConfigException.badValue(key, value, "is not a whole number");
        }
    }

    private static boolean booleanValue(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw ConfigException.badValue(key, value, "is not a yes/no value (true, false, yes or no)");
        };
    }

    /**
     * Parses the value of a {@code server.N} line: {@code host:peerPort:electionPort[:participant|:observer]},
     * with an IPv6 host in brackets.
     */
    private static final class PeerLine {

        private PeerLine() {
        }

        static PeerSpec parse(String key, String value) {
            String idText = key.substring(ConfigKeys.SERVER_PREFIX.length());
            long id;
            try {
                id = Long.parseLong(idText);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, key + "=" + value + ": '" + idText
                        + "' is not a server id; write server.N with N a whole number from 1");
            }
            if (value.indexOf(';') >= 0) {
                throw ConfigException.badValue(key, value, "has a ';client address' part, which is ZooKeeper's"
                        + " dynamic-reconfiguration syntax and not supported; remove it and set clientPort and"
                        + " clientPortAddress");
            }
            if (value.indexOf('|') >= 0) {
                throw ConfigException.badValue(key, value,
                        "lists several addresses with '|', which Roost does not support; give one address");
            }
            String host;
            String rest;
            if (value.startsWith("[")) {
                int close = value.indexOf(']');
                if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                    throw malformed(key, value);
                }
                host = value.substring(1, close);
                rest = value.substring(close + 2);
            } else {
                int colon = value.indexOf(':');
                if (colon < 0) {
                    throw malformed(key, value);
                }
                host = value.substring(0, colon);
                rest = value.substring(colon + 1);
            }
            String[] parts = rest.split(":", -1);
            if (host.isBlank() || parts.length < 2 || parts.length > 3) {
                throw malformed(key, value);
            }
            int peerPort = port(key, value, "peer port", parts[0]);
            int electionPort = port(key, value, "election port", parts[1]);
            boolean observer = false;
            if (parts.length == 3) {
                switch (parts[2].strip().toLowerCase(Locale.ROOT)) {
                    case "observer" -> observer = true;
                    case "participant" -> observer = false;
                    default -> throw ConfigException.badValue(key, value, "has role '" + parts[2]
                            + "'; the role after the election port is participant or observer");
                }
            }
            return new PeerSpec(id, host, peerPort, electionPort, observer);
        }

        private static int port(String key, String value, String which, String text) {
            try {
                int port = Integer.parseInt(text.strip());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw ConfigException.badValue(key, value, "has " + which + " '" + text
                    + "', which is not a port number (1-65535)");
        }

        private static ConfigException malformed(String key, String value) {
            return ConfigException.badValue(key, value,
                    "is not host:peerPort:electionPort[:participant|:observer] (IPv6 hosts go in [brackets])");
        }
    }

    /**
     * {@link Properties} that hands its entries over in file order and counts keys given more than once;
     * {@link Properties#load(Reader)} stores every entry through {@code put}.
     */
    private static final class OrderedProperties extends Properties {

        final Map<String, String> entries = new LinkedHashMap<>();
        final Map<String, Integer> repeats = new LinkedHashMap<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            String k = String.valueOf(key);
            String old = entries.put(k, String.valueOf(value).strip());
            if (old != null) {
                repeats.merge(k, 2, (count, ignored) -> count + 1);
            }
            return super.put(key, value);
        }
    }
}
