package io.roost.core.proto;

/**
 * Body of an exists request.
 *
 * @param path the node path
 * @param watch whether to leave a watch on the node
 */
public record ExistsRequest(String path, boolean watch) implements Record {

    /**
     * Reads one {@code ExistsRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static ExistsRequest read(JuteInput in) {
        String path = in.readString();
        boolean watch = in.readBool();
        return new ExistsRequest(path, watch);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
