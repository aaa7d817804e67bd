package io.roost.core.proto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Body of a setData request.
 *
 * @param path the node path
 * @param data the new data, may be null
 * @param version the expected version, -1 for any
 */
public record SetDataRequest(String path, byte[] data, int version) implements Record {

    /**
     * Reads one {@code SetDataRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SetDataRequest read(JuteInput in) {
        String path = in.readString();
        byte[] data = in.readBuffer();
        int version = in.readInt();
        return new SetDataRequest(path, data, version);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeInt(version);
    }

    /** Compares all fields, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SetDataRequest other)) {
            return false;
        }
        return Objects.equals(path, other.path)
                && Arrays.equals(data, other.data)
                && version == other.version;
    }

    /** Hashes all fields, byte arrays by content. */
    @Override
    public int hashCode() {
        int h = 0;
        h = 31 * h + Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + version;
        return h;
    }

    /** Shows all fields; byte arrays as length and hex. */
    @Override
    public String toString() {
        return "SetDataRequest[path=" + path
                + ", data=" + Bytes.hex(data)
                + ", version=" + version + "]";
    }
}
