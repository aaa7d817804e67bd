package io.roost.core.proto;

/**
 * Thrown when bytes from the wire do not form a valid jute record: truncated input, impossible lengths,
 * or an unexpected record type. The connection that produced them should usually be closed.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message says what was wrong with the input.
     *
     * @param message what was wrong, e.g. "string length 99999 exceeds remaining 12 bytes"
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and an underlying cause.
     *
     * @param message what was wrong
     * @param cause   the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
