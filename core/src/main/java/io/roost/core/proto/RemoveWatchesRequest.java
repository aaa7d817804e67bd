package io.roost.core.proto;

/**
 * Body of a removeWatches request.
 *
 * @param path the node path
 * @param type the {@link WatcherType}
 */
public record RemoveWatchesRequest(String path, int type) implements Record {

    /**
     * Reads one {@code RemoveWatchesRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static RemoveWatchesRequest read(JuteInput in) {
        String path = in.readString();
        int type = in.readInt();
        return new RemoveWatchesRequest(path, type);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }
}
