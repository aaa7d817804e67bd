package io.roost.core.proto;

/**
 * Body of a getACL request.
 *
 * @param path the node path
 */
public record GetACLRequest(String path) implements Record {

    /**
     * Reads one {@code GetACLRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetACLRequest read(JuteInput in) {
        return new GetACLRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
