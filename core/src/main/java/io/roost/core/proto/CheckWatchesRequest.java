package io.roost.core.proto;

/**
 * Body of a checkWatches request.
 *
 * @param path the node path
 * @param type the {@link WatcherType}
 */
public record CheckWatchesRequest(String path, int type) implements Record {

    /**
     * Reads one {@code CheckWatchesRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static CheckWatchesRequest read(JuteInput in) {
        String path = in.readString();
        int type = in.readInt();
        return new CheckWatchesRequest(path, type);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }
}
