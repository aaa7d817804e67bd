package io.roost.core.proto;

/**
 * Body of a getEphemerals request.
 *
 * @param prefixPath only ephemerals whose path starts with this are listed
 */
public record GetEphemeralsRequest(String prefixPath) implements Record {

    /**
     * Reads one {@code GetEphemeralsRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetEphemeralsRequest read(JuteInput in) {
        return new GetEphemeralsRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(prefixPath);
    }
}
