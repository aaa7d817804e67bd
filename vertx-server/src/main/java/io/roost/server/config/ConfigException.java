package io.roost.server.config;

import java.util.Objects;

/**
 * A configuration value that Roost cannot start with.
 *
 * <p>The message always names the key (as written in the config file), the value that was given and
 * what would have been accepted, for example {@code clientPort=99999 is not a port number (0-65535)}.
 * Start-up reports the message as it is and stops.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    /**
     * Creates an exception about one key.
     *
     * @param key the config-file key that is wrong, for example {@code clientPort} or {@code myid}
     * @param message the whole message; it must name the key and say what is allowed
     */
    public ConfigException(String key, String message) {
        super(message);
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * Creates an exception about one key, caused by another exception (for example an I/O error).
     *
     * @param key the config-file key that is wrong
     * @param message the whole message; it must name the key and say what is allowed
     * @param cause what went wrong underneath
     */
    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The config-file key this exception is about, for example {@code 4lw.commands.whitelist}.
     *
     * @return the key, never null
     */
    public String key() {
        return key;
    }

    /** Builds {@code key=value problem}, the usual shape of a message. */
    static ConfigException badValue(String key, Object value, String problem) {
        return new ConfigException(key, key + "=" + value + " " + problem);
    }
}
