package io.roost.core.proto;

/**
 * Thrown by {@link RequestCodec#decode} for an op code Roost does not know; the server answers such a
 * request with {@link Code#UNIMPLEMENTED} rather than closing the connection.
 */
public class UnknownOpCodeException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /** The op code that was not recognised. */
    private final int opCode;

    /**
     * Creates the exception for the given op code.
     *
     * @param opCode the op code found in the request header
     */
    public UnknownOpCodeException(int opCode) {
        super("unknown op code " + opCode);
        this.opCode = opCode;
    }

    /**
     * Returns the op code that was not recognised.
     *
     * @return the op code from the request header
     */
    public int opCode() {
        return opCode;
    }
}
