package io.roost.core.proto;

/**
 * Body of a check op inside a multi.
 *
 * @param path the node path
 * @param version the expected version, -1 for any
 */
public record CheckVersionRequest(String path, int version) implements Record {

    /**
     * Reads one {@code CheckVersionRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static CheckVersionRequest read(JuteInput in) {
        String path = in.readString();
        int version = in.readInt();
        return new CheckVersionRequest(path, version);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }
}
