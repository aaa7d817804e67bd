package io.roost.core.proto;

/**
 * Body of a getAllChildrenNumber request.
 *
 * @param path the node path
 */
public record GetAllChildrenNumberRequest(String path) implements Record {

    /**
     * Reads one {@code GetAllChildrenNumberRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetAllChildrenNumberRequest read(JuteInput in) {
        return new GetAllChildrenNumberRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
