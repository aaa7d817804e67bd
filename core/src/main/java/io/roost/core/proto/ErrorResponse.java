package io.roost.core.proto;

/**
 * An error result, used inside multi replies and as the addWatch reply.
 *
 * @param err the {@link Code} value
 */
public record ErrorResponse(int err) implements Record {

    /**
     * Reads one {@code ErrorResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static ErrorResponse read(JuteInput in) {
        return new ErrorResponse(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(err);
    }
}
