package io.roost.core.proto;

import java.util.List;

/**
 * Body of a setWatches request, sent on reconnect with xid -8.
 *
 * @param relativeZxid the last zxid the client saw; events after it fire at once
 * @param dataWatches paths with data watches
 * @param existWatches paths with exists watches
 * @param childWatches paths with child watches
 */
public record SetWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches) implements Record {

    /**
     * Reads one {@code SetWatches} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SetWatches read(JuteInput in) {
        long relativeZxid = in.readLong();
        List<String> dataWatches = in.readStringVector();
        List<String> existWatches = in.readStringVector();
        List<String> childWatches = in.readStringVector();
        return new SetWatches(relativeZxid, dataWatches, existWatches, childWatches);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
    }
}
