package io.roost.core.proto;

/**
 * An identity: an auth scheme and an id within it, e.g. {@code world:anyone}.
 *
 * @param scheme the scheme, e.g. "digest"
 * @param id the id within the scheme
 */
public record Id(String scheme, String id) implements Record {

    /**
     * Reads one {@code Id} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static Id read(JuteInput in) {
        String scheme = in.readString();
        String id = in.readString();
        return new Id(scheme, id);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(scheme);
        out.writeString(id);
    }
}
