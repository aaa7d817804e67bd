package io.roost.core.proto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reply to getData.
 *
 * @param data the node's data, may be null
 * @param stat the node's stat
 */
public record GetDataResponse(byte[] data, Stat stat) implements Record {

    /**
     * Reads one {@code GetDataResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetDataResponse read(JuteInput in) {
        byte[] data = in.readBuffer();
        Stat stat = Stat.read(in);
        return new GetDataResponse(data, stat);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(data);
        stat.write(out);
    }

    /** Compares all fields, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GetDataResponse other)) {
            return false;
        }
        return Arrays.equals(data, other.data)
                && Objects.equals(stat, other.stat);
    }

    /** Hashes all fields, byte arrays by content. */
    @Override
    public int hashCode() {
        int h = 0;
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(stat);
        return h;
    }

    /** Shows all fields; byte arrays as length and hex. */
    @Override
    public String toString() {
        return "GetDataResponse[data=" + Bytes.hex(data)
                + ", stat=" + stat + "]";
    }
}
