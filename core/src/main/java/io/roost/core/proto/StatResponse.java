package io.roost.core.proto;

/**
 * Reply to exists, setData and setACL: just the node's stat.
 *
 * @param stat the node's stat
 */
public record StatResponse(Stat stat) implements Record {

    /**
     * Reads one {@code StatResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static StatResponse read(JuteInput in) {
        return new StatResponse(Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }
}
