package io.roost.core.proto;

/**
 * Reply to sync.
 *
 * @param path the node path
 */
public record SyncResponse(String path) implements Record {

    /**
     * Reads one {@code SyncResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SyncResponse read(JuteInput in) {
        return new SyncResponse(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
