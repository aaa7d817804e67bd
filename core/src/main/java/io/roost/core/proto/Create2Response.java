package io.roost.core.proto;

/**
 * Reply to create2, createContainer and createTTL.
 *
 * @param path the path actually created (with any sequence suffix)
 * @param stat the node's stat
 */
public record Create2Response(String path, Stat stat) implements Record {

    /**
     * Reads one {@code Create2Response} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static Create2Response read(JuteInput in) {
        String path = in.readString();
        Stat stat = Stat.read(in);
        return new Create2Response(path, stat);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        stat.write(out);
    }
}
