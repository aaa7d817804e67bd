package io.roost.server.config;

/**
 * One member of an ensemble, from a {@code server.N=host:peerPort:electionPort[:participant|:observer]}
 * line.
 *
 * <p>Instances are immutable and always valid: the constructor rejects a blank host, an id below 1
 * and ports outside 1-65535 (peers must know each other's ports, so 0 is not allowed here).
 *
 * @param id the server id, the {@code N} of {@code server.N}; matches the {@code myid} file of that server
 * @param host the host name or address the other servers reach it on (IPv6 without brackets)
 * @param peerPort the port followers connect to the leader on (ZooKeeper's 2888)
 * @param electionPort the port used for leader election (ZooKeeper's 3888)
 * @param observer true for an observer, which receives committed transactions but never votes
 */
public record PeerSpec(long id, String host, int peerPort, int electionPort, boolean observer) {

    /** Validates the fields; see the type's description. */
    public PeerSpec {
        String key = ConfigKeys.SERVER_PREFIX + id;
        if (id < 1) {
            throw new ConfigException(key, key + " is not a server id: ids are whole numbers from 1");
        }
        if (host == null || host.isBlank()) {
            throw new ConfigException(key, key + " has no host: expected host:peerPort:electionPort");
        }
        host = host.strip();
        checkPort(key, "peer port", peerPort);
        checkPort(key, "election port", electionPort);
        if (peerPort == electionPort) {
            throw new ConfigException(key, key + " uses port " + peerPort
                    + " for both the peer port and the election port; they must differ");
        }
    }

    /**
     * This peer in the config-file syntax, for example {@code 10.0.0.1:2888:3888} or
     * {@code [::1]:2888:3888:observer}.
     *
     * @return the value of this peer's {@code server.N} line
     */
    public String toConfigValue() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return h + ":" + peerPort + ":" + electionPort + (observer ? ":observer" : "");
    }

    private static void checkPort(String key, String which, int port) {
        if (port < 1 || port > 65535) {
            throw new ConfigException(key, key + " has " + which + " " + port
                    + ", which is not a port number (1-65535)");
        }
    }
}
