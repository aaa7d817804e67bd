package io.roost.core.proto;

/**
 * Body of a sync request.
 *
 * @param path the node path
 */
public record SyncRequest(String path) implements Record {

    /**
     * Reads one {@code SyncRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SyncRequest read(JuteInput in) {
        return new SyncRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
