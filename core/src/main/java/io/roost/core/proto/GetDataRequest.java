package io.roost.core.proto;

/**
 * Body of a getData request.
 *
 * @param path the node path
 * @param watch whether to leave a watch on the node
 */
public record GetDataRequest(String path, boolean watch) implements Record {

    /**
     * Reads one {@code GetDataRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetDataRequest read(JuteInput in) {
        String path = in.readString();
        boolean watch = in.readBool();
        return new GetDataRequest(path, watch);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
