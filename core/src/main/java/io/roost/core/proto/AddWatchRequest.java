package io.roost.core.proto;

/**
 * Body of an addWatch request.
 *
 * @param path the node path
 * @param mode the {@link AddWatchMode}
 */
public record AddWatchRequest(String path, int mode) implements Record {

    /**
     * Reads one {@code AddWatchRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static AddWatchRequest read(JuteInput in) {
        String path = in.readString();
        int mode = in.readInt();
        return new AddWatchRequest(path, mode);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(mode);
    }
}
