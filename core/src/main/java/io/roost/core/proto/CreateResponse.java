package io.roost.core.proto;

/**
 * Reply to create.
 *
 * @param path the path actually created (with any sequence suffix)
 */
public record CreateResponse(String path) implements Record {

    /**
     * Reads one {@code CreateResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static CreateResponse read(JuteInput in) {
        return new CreateResponse(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
