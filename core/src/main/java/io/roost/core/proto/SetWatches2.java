package io.roost.core.proto;

import java.util.List;

/**
 * Body of a setWatches2 request, sent on reconnect with xid -8.
 *
 * @param relativeZxid the last zxid the client saw; events after it fire at once
 * @param dataWatches paths with data watches
 * @param existWatches paths with exists watches
 * @param childWatches paths with child watches
 * @param persistentWatches paths with persistent watches
 * @param persistentRecursiveWatches paths with persistent recursive watches
 */
public record SetWatches2(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches, List<String> persistentWatches, List<String> persistentRecursiveWatches) implements Record {

    /**
     * Reads one {@code SetWatches2} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SetWatches2 read(JuteInput in) {
        long relativeZxid = in.readLong();
        List<String> dataWatches = in.readStringVector();
        List<String> existWatches = in.readStringVector();
        List<String> childWatches = in.readStringVector();
        List<String> persistentWatches = in.readStringVector();
        List<String> persistentRecursiveWatches = in.readStringVector();
        return new SetWatches2(relativeZxid, dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
        out.writeStringVector(persistentWatches);
        out.writeStringVector(persistentRecursiveWatches);
    }
}
