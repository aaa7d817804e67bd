package io.roost.core.proto;

/**
 * Body of getChildren and getChildren2 requests.
 *
 * @param path the node path
 * @param watch whether to leave a watch on the node
 */
public record GetChildrenRequest(String path, boolean watch) implements Record {

    /**
     * Reads one {@code GetChildrenRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetChildrenRequest read(JuteInput in) {
        String path = in.readString();
        boolean watch = in.readBool();
        return new GetChildrenRequest(path, watch);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
