package io.roost.core.proto;

import java.util.List;

/**
 * Reply to getEphemerals.
 *
 * @param ephemerals paths of the caller's ephemeral nodes
 */
public record GetEphemeralsResponse(List<String> ephemerals) implements Record {

    /**
     * Reads one {@code GetEphemeralsResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetEphemeralsResponse read(JuteInput in) {
        return new GetEphemeralsResponse(in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(ephemerals);
    }
}
