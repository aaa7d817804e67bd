package io.roost.core.proto;

/**
 * Body of a delete request.
 *
 * @param path the node path
 * @param version the expected version, -1 for any
 */
public record DeleteRequest(String path, int version) implements Record {

    /**
     * Reads one {@code DeleteRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static DeleteRequest read(JuteInput in) {
        String path = in.readString();
        int version = in.readInt();
        return new DeleteRequest(path, version);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }
}
